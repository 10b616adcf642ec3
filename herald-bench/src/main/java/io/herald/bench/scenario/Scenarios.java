package io.herald.bench.scenario;

import io.herald.bench.load.Progress;
import io.herald.bench.load.Publisher;
import io.herald.bench.load.RawClients;
import io.herald.bench.report.IdleResult;
import io.herald.bench.report.Results;
import io.herald.bench.report.StartupResult;
import io.herald.bench.report.StepResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The benchmark scenarios. Each starts a fresh target process, so no scenario inherits another's
 * state.
 */
public final class Scenarios {
  /**
   * A step fails the fan-out criteria when p99 exceeds this or loss exceeds {@link
   * #MAX_LOSS_PERCENT}.
   */
  static final long MAX_P99_MICROS = 50_000;

  static final double MAX_LOSS_PERCENT = 0.1;

  private final BenchConfig config;
  private final Results results;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

  public Scenarios(BenchConfig config, Results results) {
    this.config = config;
    this.results = results;
  }

  /** A fresh process of {@code t}, on the server's core when pinned. */
  private RunningTarget start(Target t) throws IOException, InterruptedException {
    Target placed = new Target(t.name(), config.pinning().server(t.command()), t.env());
    return RunningTarget.start(placed, Ports.free(), config.out());
  }

  /**
   * What a scenario's clients and publisher speak: push-hub's /ws and /api/v1/broadcast (uri null:
   * the Publisher's default), or Socket.IO on WebSocket (seed 003) with broadcasts to the global
   * room.
   */
  private record Contract(String path, String uri, Publisher.Body body, boolean engineIo) {}

  private static final Contract PUSH_HUB = new Contract("/ws", null, null, false);
  private static final Contract SOCKET_IO =
      new Contract(
          "/socket.io/?EIO=4&transport=websocket",
          "/api/broadcast/global",
          (nanos, i) -> "{\"event\":\"bench\",\"data\":{\"t\":" + nanos + ",\"i\":" + i + "}}",
          true);

  /**
   * Receiving clients; Socket.IO ones never offer permessage-deflate (neither server compresses by
   * default).
   */
  private RawClients clients(Contract c) throws IOException {
    return new RawClients(
        2, config.sourceAddresses(), !c.engineIo() && config.deflate(), c.engineIo());
  }

  /** Fan-out: N clients, publish rate stepped up until p99 > 50 ms or loss > 0.1%. */
  public void fanout(Target t) throws Exception {
    fanout(t, "fanout", PUSH_HUB);
  }

  /**
   * Socket.IO fan-out (seed 003): Herald's websocket service and the Node socket.io server, in one
   * run.
   */
  public void sioFanout(Target t) throws Exception {
    fanout(t, "sio-fanout", SOCKET_IO);
  }

  private void fanout(Target t, String scenario, Contract c) throws Exception {
    Progress p = new Progress("[" + scenario + " " + t.name() + "]");
    try (RunningTarget rt = start(t);
        RawClients pool = clients(c)) {
      pool.connect(rt.port, c.path(), config.fanoutClients(), p);
      Publisher pub = new Publisher(vertx, rt.port);
      Steps.run("warmup", rt, pool, pub, config.fanoutClients(), 100, 3, p, c.uri(), c.body());
      for (double rate : config.fanoutRates()) {
        StepResult r =
            Steps.run(
                scenario,
                rt,
                pool,
                pub,
                config.fanoutClients(),
                rate,
                config.stepSeconds(),
                p,
                c.uri(),
                c.body());
        results.steps().add(r);
        if (r.p99Micros() > MAX_P99_MICROS || r.lossPercent() > MAX_LOSS_PERCENT) break;
      }
      pub.close();
    }
  }

  /**
   * Issue 12: fan-out over three nodes sharing Redis, and what an idle node and Redis spend (see
   * ClusterScenario).
   */
  public void cluster(Target herald) throws Exception {
    new ClusterScenario(config, results, vertx).run(herald);
  }

  /**
   * Fan-out under the third-party Go generator (issue 15): the same steps, measured by another
   * tool.
   */
  public void fanoutGo(Target t) throws Exception {
    Progress p = new Progress("[fanout-go " + t.name() + "]");
    try (RunningTarget rt = start(t)) {
      results.steps().addAll(GoLoad.run(config, rt, p));
    }
  }

  /**
   * Targeted events (seed 003): broadcasts to a room none of the connected sockets is in, 2,000/s
   * for 10 s, with 100 and with 5,000 clients connected. The server CPU per event shows whether a
   * room event costs the room's sockets or every socket of the service.
   */
  public void sioTargeted(Target t) throws Exception {
    Publisher.Body body =
        (nanos, i) ->
            "{\"room\":\"survey:nobody\",\"event\":\"bench\",\"data\":{\"t\":"
                + nanos
                + ",\"i\":"
                + i
                + "}}";
    for (int clients : List.of(100, config.steadyClients().getLast())) {
      Progress p = new Progress("[sio-targeted " + t.name() + "]");
      try (RunningTarget rt = start(t);
          RawClients pool = clients(SOCKET_IO)) {
        pool.connect(rt.port, SOCKET_IO.path(), clients, p);
        Publisher pub = new Publisher(vertx, rt.port);
        pub.run(
            2000,
            10,
            "/api/broadcast/room",
            body); // warm-up: 20,000 requests, so the JIT has compiled the path
        ProcStats s0 = rt.stats();
        Publisher.Run run = pub.run(2000, 10, "/api/broadcast/room", body);
        ProcStats s1 = rt.stats();
        double cpu = s1.cpuSeconds() - s0.cpuSeconds();
        p.line(
            String.format(
                "%s clients=%d targeted events=%d cpu=%.2fs (%.1f us per event) delivered to non-members=%d",
                t.name(),
                clients,
                run.accepted(),
                cpu,
                1e6 * cpu / Math.max(1, run.accepted()),
                pool.received.sum()));
        results
            .steps()
            .add(
                new StepResult(
                    "sio-targeted",
                    t.name(),
                    clients,
                    2000,
                    run.accepted(),
                    0,
                    pool.received.sum(),
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    cpu,
                    0,
                    s1.rssBytes()));
        pub.close();
      }
    }
  }

  /** Steady: many clients at a modest rate; reports latency. */
  public void steady(Target t) throws Exception {
    steady(t, "steady", PUSH_HUB);
  }

  /**
   * Steady for Socket.IO (seed 003): 5,000 Socket.IO clients, 20 broadcasts/s to the global room,
   * 20 s.
   */
  public void sioSteady(Target t) throws Exception {
    steady(t, "sio-steady", SOCKET_IO);
  }

  /** One run per client count, each on a freshly started target. */
  private void steady(Target t, String scenario, Contract c) throws Exception {
    for (int clients : config.steadyClients()) {
      Progress p = new Progress("[" + scenario + " " + t.name() + " " + clients + "]");
      try (RunningTarget rt = start(t);
          RawClients pool = clients(c)) {
        pool.connect(rt.port, c.path(), clients, p);
        Publisher pub = new Publisher(vertx, rt.port);
        Steps.run(
            "warmup",
            rt,
            pool,
            pub,
            clients,
            config.steadyRate(),
            config.steadyWarmup(),
            p,
            c.uri(),
            c.body());
        results
            .steps()
            .add(
                Steps.run(
                    scenario,
                    rt,
                    pool,
                    pub,
                    clients,
                    config.steadyRate(),
                    20,
                    p,
                    c.uri(),
                    c.body()));
        pub.close();
      }
    }
  }

  /** Idle: as many connections as the open-file limit allows; RSS growth per connection. */
  public void idle(Target t) throws Exception {
    idle(t, "idle", PUSH_HUB);
  }

  /**
   * Handshakes per second on a fresh and on a warm process, {@code --idle-clients} a round (issue
   * 30).
   */
  public void handshake(Target t) throws Exception {
    try (RunningTarget rt = start(t)) {
      results
          .handshakes()
          .add(
              HandshakeScenario.run(
                  t.name(),
                  rt,
                  config.idleClients(),
                  config.sourceAddresses(),
                  new Progress("[handshake " + t.name() + "]")));
    }
  }

  /**
   * Idle for Socket.IO (seed 003): Herald's websocket service and the Node socket.io server,
   * WebSocket transport.
   */
  public void sioIdle(Target t) throws Exception {
    idle(t, "sio-idle", SOCKET_IO);
  }

  private void idle(Target t, String scenario, Contract c) throws Exception {
    Progress p = new Progress("[" + scenario + " " + t.name() + "]");
    try (RunningTarget rt = start(t);
        RawClients pool = clients(c)) {
      int base = 100;
      pool.connect(rt.port, c.path(), base, p);
      Thread.sleep(3000);
      long rss0 = rt.stats().rssBytes();
      pool.connect(rt.port, c.path(), config.idleClients() - base, p);
      Thread.sleep(5000);
      long rss1 = rt.stats().rssBytes();
      int held = pool.open();
      IdleResult r =
          new IdleResult(
              t.name(),
              config.idleClients(),
              held,
              rss0,
              rss1,
              (double) (rss1 - rss0) / Math.max(1, held - base));
      p.line(
          String.format(
              "held %d of %d, RSS %d -> %d MiB, %.0f bytes per connection",
              held, config.idleClients(), rss0 >> 20, rss1 >> 20, r.rssPerConnection()));
      results.idle().add(r);
    }
  }

  /**
   * The report-listener's scenarios against a fresh database: {@code reports} (latency) or {@code
   * catchup}.
   */
  public void reports(String scenario) throws Exception {
    ReportBenchConfig c = config.reports();
    Progress p = new Progress("[" + scenario + " herald]");
    var db = ReportScenarios.freshDatabase();
    Target t = ReportScenarios.target(config.root(), c.intervalMillis());
    int clients = scenario.equals("catchup") ? c.catchupClients() : c.clients();
    try (RunningTarget rt = start(t);
        RawClients pool = new RawClients(2, config.sourceAddresses(), config.deflate())) {
      pool.connect(rt.port, ReportScenarios.PATH, clients, p);
      if (scenario.equals("catchup")) {
        results
            .reports()
            .add(
                ReportScenarios.catchup(rt, pool, db, clients, c.backlog(), c.intervalMillis(), p));
      } else {
        ReportScenarios.paced(
            rt, pool, db, clients, c.rate() / 5, 3, c.intervalMillis(), p); // warm-up
        results
            .reports()
            .add(
                ReportScenarios.paced(
                    rt, pool, db, clients, c.rate(), c.seconds(), c.intervalMillis(), p));
      }
    }
  }

  /**
   * Telemetry against each configured store: {@code shortpoll} (a step per concurrency) or {@code
   * longpoll}.
   */
  public void telemetry(String scenario) throws Exception {
    TelemetryBenchConfig c = config.telemetry();
    for (String store : c.stores()) {
      boolean redis = store.equals("redis");
      if (redis) TelemetryScenarios.flushRedis();
      Progress p = new Progress("[" + scenario + " " + store + "]");
      try (RunningTarget rt = start(TelemetryScenarios.target(config.root(), redis))) {
        if (scenario.equals("shortpoll")) {
          for (int conns : c.shortConnections()) {
            results
                .polls()
                .add(
                    TelemetryScenarios.shortPoll(
                        rt, store, conns, c.shortSeconds(), config.sourceAddresses(), p));
          }
        } else {
          results
              .polls()
              .add(
                  TelemetryScenarios.longPoll(
                      rt,
                      vertx,
                      store,
                      c.longPolls(),
                      c.longRate(),
                      c.longSeconds(),
                      config.sourceAddresses(),
                      p));
        }
      }
    }
  }

  /**
   * The writer against fresh queues, database and Redis: {@code writer} (a backlog per prefetch) or
   * {@code countsync}.
   */
  public void writer(String scenario) throws Exception {
    WriterBenchConfig c = config.writer();
    Progress p = new Progress("[" + scenario + " herald]");
    Function<Target, RunningTarget> starter =
        t -> {
          try {
            return start(t);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    if (scenario.equals("countsync")) {
      WriterScenarios.reset(config.root(), starter);
      try (RunningTarget rt = start(WriterScenarios.target(config.root(), 200))) {
        results.writer().add(WriterScenarios.countSync(rt, c.counters(), p));
      }
      return;
    }
    for (int prefetch : c.prefetches()) {
      int messages = prefetch == 1 ? c.slowMessages() : c.messages();
      WriterScenarios.reset(config.root(), starter);
      WriterScenarios.fill(c.chats(), messages, p);
      try (RunningTarget rt = start(WriterScenarios.target(config.root(), prefetch))) {
        results.writer().add(WriterScenarios.drain(rt, prefetch, messages, p));
      }
    }
  }

  /** Start-up: process start to the first 200 from GET /health, median of 5. */
  public void startup(Target t) throws Exception {
    List<Long> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      try (RunningTarget rt = start(t)) {
        runs.add(rt.startup.toMillis());
      }
    }
    List<Long> sorted = runs.stream().sorted().toList();
    results.startup().add(new StartupResult(t.name(), sorted.get(sorted.size() / 2), runs));
    new Progress("[startup " + t.name() + "]").line("runs (ms): " + runs);
  }

  public void close() {
    vertx.close().await();
  }
}
