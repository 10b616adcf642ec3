package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.bench.report.Charts;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import io.herald.testkit.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: resuming clients that stay, clients that connect and drop again and again, and a
 * publisher, for {@code soakSeconds}. Every 10 s it samples the server's RSS and its old
 * generation's use (Micrometer's {@code jvm_memory_used_bytes} of the G1 Old Gen pool, reported
 * only: it grows with promotion until a collection). Passes when the staying clients lost and
 * doubled nothing, the RSS at the end is within 10% of its value a third of the way in (plus 32
 * MiB), once heap and code caches have grown, and the heap live after a full collection (forced
 * with jcmd a third of the way in and at the end) grew by at most 10% plus 8 MiB: a leak per
 * churned connection would grow it steadily, while the RSS alone also moves with how far G1 has let
 * the heap grow. (The heap live after a collection, {@code jvm_gc_live_data_size_bytes}, stays 0
 * until an old-generation collection, which a soak of minutes may never see.)
 */
final class Soak {
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;

  Soak(ChaosConfig config, HttpClient http, Progress progress) {
    this.config = config;
    this.http = http;
    this.progress = progress;
  }

  Tally run(Faults faults) throws Exception {
    Path journal = Files.createTempDirectory(config.out(), "journal-");
    int port = Ports.free();
    // A history of 1,000 events (full after 20 s at 50/s): the memory it holds stops growing early,
    // so what still
    // grows afterwards is a leak. (The other faults keep a million, so that no client falls off its
    // end.)
    RunningTarget server = RunningTarget.start(faults.pushHub(journal, 1_000), port, config.out());
    Ledger ledger = new Ledger();
    List<ResumingClient> steady = faults.connect(port, config.clients());
    long deadline = System.nanoTime() + (long) (config.soakSeconds() * 1e9);
    AtomicLong churned = new AtomicLong();
    List<Thread> churners = new ArrayList<>();
    for (int i = 0; i < config.churnClients(); i++)
      churners.add(Thread.ofVirtual().start(() -> churn(port, deadline, churned)));
    Faults.Publisher pub = new Faults.Publisher(http, port, config.rate(), ledger);
    Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.soakSeconds()));
    List<long[]> samples = new ArrayList<>(); // seconds, RSS, old generation used
    long t0 = System.nanoTime(), liveThird = -1;
    while (System.nanoTime() < deadline) {
      Faults.sleep(10_000);
      long[] s = {
        (System.nanoTime() - t0) / 1_000_000_000L,
        ProcStats.of(server.process.pid()).rssBytes(),
        oldGen(port)
      };
      samples.add(s);
      if (liveThird < 0 && s[0] >= config.soakSeconds() / 3) {
        liveThird = liveHeap(server.process.pid(), port);
        progress.line(
            String.format(
                "soak: live heap after a full collection, a third of the way in: %.1f MiB",
                liveThird / 1048576.0));
      }
      progress.line(
          String.format(
              "soak: %d s, RSS %d MiB, old generation %d MiB, %d churned connections",
              s[0], s[1] >> 20, s[2] >> 20, churned.get()));
    }
    publisher.join();
    for (Thread t : churners) t.join();
    boolean caughtUp = faults.awaitCaughtUp("soak", steady, ledger);
    long liveEnd = liveHeap(server.process.pid(), port);
    // The leak test proper: what survives a full collection may not grow with the churned
    // connections.
    boolean noLeak = liveThird > 0 && liveEnd <= liveThird * 1.10 + (8 << 20);
    Files.writeString(config.out().resolve("soak.csv"), csv(samples));
    Files.writeString(config.out().resolve("soak.svg"), chart(samples));
    long[] third = samples.get(samples.size() / 3), last = samples.getLast();
    boolean flat = last[1] <= third[1] * 1.10 + (32 << 20);
    Tally t =
        Faults.tally(
            "soak",
            steady,
            ledger,
            pub,
            "",
            String.format(
                "%s; %,d churned connections; RSS %d → %d MiB, old generation %d → %d MiB, "
                    + "live heap after a full GC %.1f → %.1f MiB (a third in → end; soak.csv)",
                caughtUp ? "steady clients caught up" : "steady clients behind",
                churned.get(),
                third[1] >> 20,
                last[1] >> 20,
                third[2] >> 20,
                last[2] >> 20,
                liveThird / 1048576.0,
                liveEnd / 1048576.0));
    steady.forEach(ResumingClient::stop);
    server.close();
    Faults.delete(journal);
    return t.judged(
        flat && noLeak && caughtUp,
        (flat ? "RSS flat" : "RSS grew") + (noLeak ? ", live heap flat" : ", live heap grew"),
        t.note());
  }

  /**
   * Connects, reads for 0.2 to 2 s, drops the connection (no close handshake), again, until the
   * deadline.
   */
  private void churn(int port, long deadline, AtomicLong churned) {
    WebSocket.Listener reader =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            w.request(1);
            return null;
          }
        };
    while (System.nanoTime() < deadline) {
      try {
        WebSocket w =
            http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), reader)
                .join();
        churned.incrementAndGet();
        Faults.sleep(200 + ThreadLocalRandom.current().nextLong(1_800));
        w.abort();
      } catch (RuntimeException e) {
        Faults.sleep(500);
      }
    }
  }

  /**
   * The heap that survives a full collection: {@code jcmd <pid> GC.run} (a System.gc(), a full
   * collection under G1), then the old generation's use, which after it is what is live (the young
   * generation is empty).
   */
  private long liveHeap(long pid, int port) {
    Shell.Result gc =
        Shell.run(
            60, Path.of(System.getProperty("java.home"), "bin", "jcmd") + " " + pid + " GC.run");
    if (!gc.ok()) progress.line("soak: jcmd GC.run failed: " + gc.output());
    return oldGen(port);
  }

  /** The G1 Old Gen pool's {@code jvm_memory_used_bytes} from /metrics (-1 when absent). */
  private long oldGen(int port) {
    return Scrape.value(
        http, port, l -> l.startsWith("jvm_memory_used_bytes") && l.contains("G1 Old Gen"));
  }

  /**
   * RSS and the old generation in MiB against seconds, from the samples (also what --render-soak
   * draws from soak.csv).
   */
  static String chart(List<long[]> samples) {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    series.put("RSS", samples.stream().map(s -> new double[] {s[0], s[1] / 1048576.0}).toList());
    series.put(
        "old generation",
        samples.stream().map(s -> new double[] {s[0], s[2] / 1048576.0}).toList());
    return Charts.lines(
        "Soak: Herald's memory while clients churn (MiB)", "seconds", "MiB", series);
  }

  /** The samples of a soak.csv, for redrawing its chart. */
  static List<long[]> read(Path csv) throws IOException {
    return Files.readAllLines(csv).stream()
        .skip(1)
        .filter(l -> !l.isBlank())
        .map(l -> Arrays.stream(l.split(",")).mapToLong(Long::parseLong).toArray())
        .toList();
  }

  private static String csv(List<long[]> samples) {
    StringBuilder b = new StringBuilder("seconds,rss_bytes,old_gen_used_bytes\n");
    for (long[] s : samples)
      b.append(s[0]).append(',').append(s[1]).append(',').append(s[2]).append('\n');
    return b.toString();
  }
}
