package io.herald.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.bench.load.Progress;
import io.herald.bench.report.StepResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code fanout-go}: the fan-out steps driven by a load generator that is not Herald's own (issue
 * 15): Go, one gorilla/websocket client per connection from one loopback address, 128-byte
 * broadcasts POSTed by 16 concurrent net/http workers, 2 s of warm-up then {@code --step-seconds}
 * per rate, publish-to-receipt latency ({@code bench/peers/go-loadgen}, built by {@code
 * build-go-loadgen.sh}). The generator prints one JSON line per step; the server's CPU is read here
 * between two lines, so it covers the step's warm-up and measured window at the same rate.
 */
final class GoLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The generator's wait for late messages after each step, when nothing is published: not step
   * time.
   */
  private static final int DRAIN_SECONDS = 1;

  private GoLoad() {}

  /**
   * The fan-out steps of {@code config} against {@code rt}, the generator on the generator's core
   * when pinned.
   */
  static List<StepResult> run(BenchConfig config, RunningTarget rt, Progress p)
      throws IOException, InterruptedException {
    int clients = config.fanoutClients();
    List<Double> rates = config.fanoutRates();
    Path bin = config.root().resolve("bench/peers/go-loadgen/go-loadgen");
    if (!Files.isExecutable(bin))
      throw new IOException(bin + " is missing: run bash bench/peers/build-go-loadgen.sh");
    List<String> cmd =
        List.of(
            bin.toString(),
            "-url",
            "ws://127.0.0.1:" + rt.port + "/ws",
            "-publish",
            "http://127.0.0.1:" + rt.port + "/api/v1/broadcast",
            "-clients",
            Integer.toString(clients),
            "-rates",
            rates.stream().map(r -> Long.toString(Math.round(r))).collect(Collectors.joining(",")),
            "-warmup",
            "2s",
            "-step",
            Math.round(config.stepSeconds()) + "s",
            "-workers",
            "16",
            "-drain",
            DRAIN_SECONDS + "s");
    Process g =
        new ProcessBuilder(config.pinning().generator(cmd))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<StepResult> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(g.getInputStream(), StandardCharsets.UTF_8))) {
      ProcStats before = null;
      long t0 = 0;
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode n = JSON.readTree(line);
        if (n.has("event")) { // "connected": the first step starts now
          before = rt.stats();
          t0 = System.nanoTime();
          continue;
        }
        ProcStats now = rt.stats();
        long t1 = System.nanoTime();
        double cpu = before == null ? 0 : now.cpuSeconds() - before.cpuSeconds(),
            wall = Math.max(1e-3, (t1 - t0) / 1e9 - DRAIN_SECONDS);
        long accepted = n.path("accepted").asLong(),
            expected = n.path("expected").asLong(),
            delivered = n.path("delivered").asLong();
        double perSec = n.path("deliveredPerSec").asDouble();
        // CPU per delivery from the whole step (warm-up included: same rate), scaled to the
        // measured window's rate.
        double perCpuSec = cpu <= 0 ? 0 : perSec / (cpu / wall);
        StepResult s =
            new StepResult(
                "fanout-go",
                rt.target.name(),
                clients,
                n.path("rate").asDouble(),
                accepted,
                expected,
                delivered,
                expected == 0 ? 0 : 100.0 * Math.max(0, expected - delivered) / expected,
                n.path("reordered").asLong(),
                perSec,
                Math.round(n.path("p50Ms").asDouble() * 1000),
                Math.round(n.path("p99Ms").asDouble() * 1000),
                Math.round(n.path("p999Ms").asDouble() * 1000),
                cpu,
                perCpuSec,
                now.rssBytes());
        out.add(s);
        p.line(
            String.format(
                Locale.ROOT,
                "go-loadgen rate=%.0f delivered/s=%.0f p99=%.1fms p999=%.1fms server cpu=%.0f%% (%.2f us/delivery)",
                s.rate(),
                perSec,
                s.p99Micros() / 1000.0,
                s.p999Micros() / 1000.0,
                100 * cpu / wall,
                perSec == 0 ? 0 : 1e6 * (cpu / wall) / perSec));
        before = now;
        t0 = t1;
      }
    }
    if (g.waitFor() != 0) throw new IOException("go-loadgen exited with " + g.exitValue());
    return out;
  }
}
