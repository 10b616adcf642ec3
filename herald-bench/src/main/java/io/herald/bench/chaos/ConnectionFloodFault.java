package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsHandshake;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code connection-flood}: push-hub with an open-file limit of {@link #FD_LIMIT}, clients
 * connected and a publisher running, then more WebSocket upgrades than the process may hold (1.5
 * times its limit) from four loopback addresses, held open. While the flood lasts, a load
 * balancer's probe opens a fresh connection to /health every 100 ms, on the control port
 * (HERALD_CONTROL_PORT), where it must be answered within 100 ms, and on the main port, where it
 * must be answered (its times are reported); the publisher's broadcasts must be accepted and reach
 * the clients that were there before the flood, none lost or doubled; refused connections are
 * counted by reason. After the flood is released, new clients connect again.
 */
final class ConnectionFloodFault {
  /**
   * Small enough that the flood fits in this process's own limit (the chaos JVM holds the flood's
   * sockets).
   */
  static final int FD_LIMIT = 4096;

  static final int HEALTH_DEADLINE_MS = 100;
  private static final int IN_FLIGHT = 128;
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;
  private final Faults faults;
  private String handshakeRate = "off";
  private int controlPort;

  ConnectionFloodFault(ChaosConfig config, HttpClient http, Progress progress, Faults faults) {
    this.config = config;
    this.http = http;
    this.progress = progress;
    this.faults = faults;
  }

  Tally run() throws Exception {
    Path journal = Files.createTempDirectory(config.out(), "journal-");
    int port = Ports.free();
    Target plain = faults.pushHub(journal);
    // The launcher execs the JVM, so the shell's limit is Herald's; -XX:-MaxFDLimit keeps the JVM
    // from raising it.
    Map<String, String> env = new HashMap<>(plain.env());
    env.put("HERALD_JAVA_OPTS", "-XX:-MaxFDLimit");
    // The overload settings docs/shared.md recommends for a node that faces the internet:
    // handshakes spread at
    // 1,000 a second (CHAOS_FLOOD_HANDSHAKE_RATE=0 runs the flood on the defaults, with no rate).
    String rate = System.getenv().getOrDefault("CHAOS_FLOOD_HANDSHAKE_RATE", "1000");
    if (!rate.equals("0")) env.put("HERALD_HANDSHAKE_RATE", rate);
    handshakeRate = rate.equals("0") ? "off" : rate + "/s";
    // The probes' own port (docs/shared.md): what a load balancer's health check should use on a
    // node that faces floods.
    controlPort = Ports.free();
    env.put("HERALD_CONTROL_PORT", Integer.toString(controlPort));
    // Herald on core 0, this process (the flood, the clients, the probe) on the others, as a flood
    // from other machines
    // would be: otherwise the probe's own scheduling is measured as much as Herald's answer.
    boolean pin = Pinning.possible();
    List<String> cmd =
        Pinning.server(
            pin,
            List.of(
                "bash",
                "-c",
                "ulimit -n " + FD_LIMIT + " && exec \"$0\" push-hub",
                config.root().resolve("herald").toString()));
    Target limited = new Target("herald-flood", cmd, env);
    if (pin) Pinning.self("1-" + (Runtime.getRuntime().availableProcessors() - 1));
    RunningTarget server;
    try {
      server = RunningTarget.start(limited, port, config.out());
    } catch (IOException | RuntimeException e) {
      if (pin) Pinning.self("0-" + (Runtime.getRuntime().availableProcessors() - 1));
      throw e;
    }
    try {
      return flood(server, journal, port);
    } finally {
      if (pin) Pinning.self("0-" + (Runtime.getRuntime().availableProcessors() - 1));
    }
  }

  private Tally flood(RunningTarget server, Path journal, int port) throws Exception {
    Ledger ledger = new Ledger();
    List<ResumingClient> clients = faults.connect(port, config.clients());
    Faults.Publisher pub = new Faults.Publisher(http, port, config.rate(), ledger);
    Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
    Faults.sleep((long) (config.seconds() * 1000 / 4));
    int floodSize = FD_LIMIT * 3 / 2;
    progress.line(
        "connection-flood: "
            + floodSize
            + " WebSocket upgrades from 127.0.0.2-5 against a limit of "
            + FD_LIMIT
            + " open files (HERALD_HANDSHAKE_RATE "
            + handshakeRate
            + ")");
    List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger upgraded = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    Probes main = new Probes(port);
    Probes control = new Probes(controlPort);
    Thread flood = Thread.ofVirtual().start(() -> flood(port, floodSize, held, upgraded, refused));
    Thread probe =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (flood.isAlive() || control.count() < 20) {
                    control.probe();
                    main.probe();
                    Faults.sleep(100);
                  }
                });
    flood.join();
    probe.join();
    progress.line(
        "connection-flood: "
            + upgraded.get()
            + " upgraded, "
            + refused.get()
            + " refused or closed; releasing them");
    synchronized (held) {
      for (Socket s : held) closeQuietly(s);
    }
    publisher.join();
    boolean caughtUp = faults.awaitCaughtUp("connection-flood", clients, ledger);
    boolean newClientConnects = canConnect(port);
    String metrics = Scrape.text(http, port);
    String refusals = refusalSummary(metrics);
    String signal =
        "/health on the control port: "
            + control.summary()
            + "; on the main port: "
            + main.summary();
    progress.line(
        "connection-flood: health probe times in ms, sorted: control port "
            + control.sorted()
            + ", main port "
            + main.sorted());
    Tally t =
        Faults.tally(
            "connection-flood",
            clients,
            ledger,
            pub,
            signal,
            (caughtUp ? "clients from before caught up" : "clients behind")
                + "; flood "
                + floodSize
                + ": "
                + upgraded.get()
                + " upgraded, "
                + refused.get()
                + " refused ("
                + refusals
                + "); "
                + (newClientConnects ? "a new client connects after" : "no new client after"));
    clients.forEach(ResumingClient::stop);
    server.close();
    Faults.delete(journal);
    // The bound is the control port's; on the main port every probe must still get its 200 (its
    // time is reported).
    boolean ok =
        control.within(HEALTH_DEADLINE_MS)
            && main.failed() == 0
            && newClientConnects
            && pub.attempted() == ledger.accepted.size();
    return t.judged(ok, t.signal(), t.note());
  }

  /**
   * {@code n} upgrades spread over four loopback source addresses, {@value #IN_FLIGHT} at a time
   * (four clients with 32 handshakes in flight each); the upgraded ones are held.
   */
  private static void flood(
      int port, int n, List<Socket> held, AtomicInteger upgraded, AtomicInteger refused) {
    ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < n; i++) todo.add(i);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < IN_FLIGHT; w++) {
        pool.submit(
            () -> {
              for (Integer i; (i = todo.poll()) != null; ) {
                Socket s = new Socket();
                try {
                  s.bind(new InetSocketAddress("127.0.0." + (2 + i % 4), 0));
                  s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                  s.setSoTimeout(5_000);
                  s.getOutputStream().write(WsHandshake.request("/ws"));
                  if (WsHandshake.upgraded(WsHandshake.readHead(s.getInputStream()))) {
                    upgraded.incrementAndGet();
                    held.add(s); // held: the flood keeps its connections until it is released
                    drain(s);
                    continue;
                  }
                } catch (IOException e) {
                  // closed at accept, or no answer: a refusal too
                }
                refused.incrementAndGet();
                closeQuietly(s);
              }
            });
      }
    }
  }

  /**
   * Reads and drops what the held connection receives, as a real client's library does: a flood of
   * connections, not of stalled consumers (the {@code stalled-consumer} fault is that one).
   */
  private static void drain(Socket s) {
    Thread.ofVirtual()
        .start(
            () -> {
              byte[] buf = new byte[8192];
              try {
                s.setSoTimeout(0);
                InputStream in = s.getInputStream();
                while (in.read(buf) >= 0) {
                  // dropped
                }
              } catch (IOException e) {
                // released
              }
            });
  }

  private static boolean canConnect(int port) {
    for (int i = 0; i < 50; i++) {
      try (RawWsClient c = new RawWsClient(port, "/ws")) {
        return true;
      } catch (IOException e) {
        Faults.sleep(200); // the released flood's descriptors are still being closed
      }
    }
    return false;
  }

  /** {@code budget=N, fd_reserve=N, ...} from herald_connections_refused_total. */
  static String refusalSummary(String metrics) {
    List<String> out = new ArrayList<>();
    for (String line : metrics.split("\n")) {
      if (!line.startsWith("herald_connections_refused_total{")) continue;
      String reason = line.replaceAll(".*reason=\"([^\"]+)\".*", "$1");
      long n = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      out.add(reason + "=" + n);
    }
    Collections.sort(out);
    return String.join(", ", out);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
