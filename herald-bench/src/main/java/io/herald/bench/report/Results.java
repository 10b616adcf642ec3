package io.herald.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Everything one benchmark run measured. Written as JSON, a markdown table and SVG charts. */
public record Results(
    String command,
    String startedAt,
    String machine,
    List<StepResult> steps,
    List<IdleResult> idle,
    List<StartupResult> startup,
    List<ReportsResult> reports,
    List<PollResult> polls,
    List<WriterResult> writer,
    List<Skipped> skipped,
    List<HandshakeResult> handshakes) {
  /**
   * A target a scenario could not run here, and why (a peer not built, a runtime missing, a failed
   * start).
   */
  public record Skipped(String scenario, String target, String why) {}

  public Results {
    if (reports == null)
      reports = new ArrayList<>(); // results.json from before the report scenarios
    if (polls == null) polls = new ArrayList<>();
    if (writer == null) writer = new ArrayList<>();
    if (skipped == null) skipped = new ArrayList<>();
    if (handshakes == null)
      handshakes = new ArrayList<>(); // results.json from before the handshake scenario
  }

  public static Results empty(String command, String startedAt, String machine) {
    return new Results(
        command,
        startedAt,
        machine,
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>());
  }
}
