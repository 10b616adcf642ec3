package io.herald.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The median of repeated runs ({@code --runs N}) per scenario, target, clients and rate. A single
 * run on a shared machine is one sample; comparing two targets by one sample each lets scheduling
 * noise pick the winner.
 */
final class Medians {
  private Medians() {}

  record Key(String scenario, String target, int clients, double rate) {}

  /** The markdown table, or "" when no step was measured more than once. */
  static String markdown(List<StepResult> steps) {
    Map<Key, List<StepResult>> byKey = new LinkedHashMap<>();
    for (StepResult s : steps) {
      byKey
          .computeIfAbsent(
              new Key(s.scenario(), s.target(), s.clients(), s.rate()), k -> new ArrayList<>())
          .add(s);
    }
    if (byKey.values().stream().allMatch(l -> l.size() < 2)) return "";
    StringBuilder b = new StringBuilder("Median of the runs per step:\n\n");
    b.append(
        "| scenario | target | clients | publish/s | runs | delivered/s "
            + "| p50 ms | p99 ms | p99 of each run (ms) | delivered per CPU-s |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|\n");
    byKey.forEach(
        (k, l) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.0f | %d | %.0f | %.2f | %.2f | %s | %.0f |%n",
                    k.scenario(),
                    k.target(),
                    k.clients(),
                    k.rate(),
                    l.size(),
                    median(l, StepResult::deliveredPerSec),
                    median(l, StepResult::p50Micros) / 1000,
                    median(l, StepResult::p99Micros) / 1000,
                    String.join(
                        " ",
                        l.stream()
                            .map(s -> String.format(Locale.ROOT, "%.1f", s.p99Micros() / 1000.0))
                            .toList()),
                    median(l, StepResult::deliveredPerCpuSec))));
    return b.append('\n').toString();
  }

  static double median(List<StepResult> l, ToDoubleFunction<StepResult> f) {
    return Compare.median(l.stream().mapToDouble(f).toArray());
  }
}
