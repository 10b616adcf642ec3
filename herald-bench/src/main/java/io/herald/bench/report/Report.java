package io.herald.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes results.json, summary.md and the charts into the output folder. */
public final class Report {
  private Report() {}

  public static void write(Results r, Path out) throws IOException {
    Files.createDirectories(out);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("results.json").toFile(), r);
    Files.writeString(out.resolve("summary.md"), markdown(r));
    if (r.steps().stream().anyMatch(s -> s.scenario().equals("fanout")))
      Files.writeString(out.resolve("fanout.svg"), Charts.fanout(r, "fanout", "Fan-out"));
    if (r.steps().stream().anyMatch(s -> s.scenario().equals("cluster"))) {
      Files.writeString(
          out.resolve("cluster.svg"),
          Charts.fanout(r, "cluster", "Three nodes on a shared engine (Redis, NATS)"));
    }
    if (r.steps().stream().anyMatch(s -> s.scenario().equals("sio-fanout"))) {
      Files.writeString(
          out.resolve("sio-fanout.svg"), Charts.fanout(r, "sio-fanout", "Socket.IO fan-out"));
    }
    for (String steady :
        List.of("steady", "sio-steady")) { // a chart once there is more than one client count
      if (r.steps().stream()
              .filter(s -> s.scenario().equals(steady))
              .map(StepResult::clients)
              .distinct()
              .count()
          > 1) {
        Files.writeString(
            out.resolve(steady + ".svg"),
            Charts.steady(
                r, steady, steady.equals("steady") ? "Steady (20/s)" : "Socket.IO steady (20/s)"));
      }
    }
    if (!r.idle().isEmpty()) Files.writeString(out.resolve("idle.svg"), Charts.idle(r));
  }

  static String markdown(Results r) {
    StringBuilder b = new StringBuilder();
    b.append("Command: `")
        .append(r.command())
        .append("`  \nStarted: ")
        .append(r.startedAt())
        .append("  \nMachine: ")
        .append(r.machine())
        .append("\n\n");
    if (!r.steps().isEmpty()) {
      b.append(
          "| scenario | target | clients | publish/s | delivered/s | loss % | reordered "
              + "| p50 ms | p99 ms | p999 ms | server CPU s | delivered per CPU-s | RSS MiB |\n");
      b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (StepResult s : r.steps()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %.0f | %.0f | %.3f | %d | %.2f | %.2f | %.2f | %.2f | %.0f | %d |%n",
                s.scenario(),
                s.target(),
                s.clients(),
                s.rate(),
                s.deliveredPerSec(),
                s.lossPercent(),
                s.reordered(),
                s.p50Micros() / 1000.0,
                s.p99Micros() / 1000.0,
                s.p999Micros() / 1000.0,
                s.serverCpuSeconds(),
                s.deliveredPerCpuSec(),
                s.rssBytes() >> 20));
      }
      b.append('\n').append(Medians.markdown(r.steps())).append(Compare.markdown(r.steps()));
    }
    if (!r.idle().isEmpty()) {
      b.append(
          "| idle: target | requested | held | RSS with 100 (MiB) | RSS with all (MiB) | RSS per connection (bytes) |\n"
              + "|---|---|---|---|---|---|\n");
      for (IdleResult i : r.idle()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d | %.0f |%n",
                i.target(),
                i.requested(),
                i.held(),
                i.rssBaseline() >> 20,
                i.rssAfter() >> 20,
                i.rssPerConnection()));
      }
      b.append('\n');
    }
    if (!r.handshakes().isEmpty()) {
      b.append(
          "| handshake: target | connections | in flight | fresh /s | warm /s "
              + "| fresh p99 ms | warm p99 ms | failed | server CPU µs per warm handshake |\n");
      b.append("|---|---|---|---|---|---|---|---|---|\n");
      for (HandshakeResult h : r.handshakes()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.0f | %.0f | %.1f | %.1f | %d | %.0f |%n",
                h.target(),
                h.connections(),
                h.inFlight(),
                h.freshPerSec(),
                h.warmPerSec(),
                h.freshP99Micros() / 1000.0,
                h.warmP99Micros() / 1000.0,
                h.failed(),
                h.cpuMicrosPerHandshake()));
      }
      b.append('\n');
    }
    if (!r.reports().isEmpty()) {
      b.append(
          "| report-listener: scenario | clients | inserts/s | interval ms | inserted | delivered "
              + "| loss % | reordered | reports/s | p50 ms | p99 ms | p999 ms | server CPU s | RSS MiB |\n");
      b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (ReportsResult x : r.reports()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.0f | %d | %d | %d | %.3f | %d | %.0f | %.1f | %.1f | %.1f | %.2f | %d |%n",
                x.scenario(),
                x.clients(),
                x.insertRate(),
                x.intervalMillis(),
                x.inserted(),
                x.delivered(),
                x.lossPercent(),
                x.reordered(),
                x.reportsPerSec(),
                x.p50Micros() / 1000.0,
                x.p99Micros() / 1000.0,
                x.p999Micros() / 1000.0,
                x.serverCpuSeconds(),
                x.rssBytes() >> 20));
      }
      b.append('\n');
    }
    if (!r.polls().isEmpty()) {
      b.append(
          "| telemetry: scenario | store | connections | events/s published | requests or events "
              + "| failures or lost | answered/s | p50 ms | p99 ms | p999 ms | held | server CPU s | RSS MiB |\n");
      b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (PollResult x : r.polls()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %.0f | %d | %d | %.0f | %.2f | %.2f | %.2f | %d | %.2f | %d |%n",
                x.scenario(),
                x.store(),
                x.connections(),
                x.rate(),
                x.requests(),
                x.failures(),
                x.perSec(),
                x.p50Micros() / 1000.0,
                x.p99Micros() / 1000.0,
                x.p999Micros() / 1000.0,
                x.held(),
                x.serverCpuSeconds(),
                x.rssBytes() >> 20));
      }
      b.append('\n');
    }
    if (!r.writer().isEmpty()) {
      b.append(
          "| writer: scenario | prefetch | items | seconds | per second | server CPU s | RSS MiB |\n"
              + "|---|---|---|---|---|---|---|\n");
      for (WriterResult x : r.writer()) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.3f | %.0f | %.2f | %d |%n",
                x.scenario(),
                x.prefetch(),
                x.items(),
                x.seconds(),
                x.perSec(),
                x.serverCpuSeconds(),
                x.rssBytes() >> 20));
      }
      b.append('\n');
    }
    if (!r.startup().isEmpty()) {
      b.append("| start-up: target | median ms | runs (ms) |\n|---|---|---|\n");
      for (StartupResult s : r.startup())
        b.append("| ")
            .append(s.target())
            .append(" | ")
            .append(s.medianMillis())
            .append(" | ")
            .append(s.runs())
            .append(" |\n");
    }
    if (!r.skipped()
        .isEmpty()) { // said in the summary, not only in the scroll-back: the run went on without
      // them
      b.append("\nSkipped (not run on this machine):\n\n");
      for (Results.Skipped s : r.skipped())
        b.append("- ")
            .append(s.scenario())
            .append(" / ")
            .append(s.target())
            .append(": ")
            .append(s.why())
            .append('\n');
    }
    return b.toString();
  }
}
