package io.herald.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Whether a Herald target and a peer differ at a step by more than the noise of repeated runs
 * ({@code --runs N}, at least {@value #MIN_RUNS} each). For the p99 it gives the difference of the
 * two medians (Herald's minus the peer's) and for deliveries per CPU-second their ratio, each with
 * a 95% bootstrap interval: the runs of each target are resampled with replacement {@value
 * #RESAMPLES} times and the statistic recomputed. An interval that leaves out 0 (or 1 for the
 * ratio) is a difference these runs show; one that contains it is a tie at this many runs, however
 * the two medians happen to fall. The seed is fixed, so the same results.json always gives the same
 * table.
 */
final class Compare {
  static final int MIN_RUNS = 3;
  static final int RESAMPLES = 10_000;

  private Compare() {}

  record Step(String scenario, int clients, double rate) {}

  /** An estimate and its 95% interval. */
  record Interval(double estimate, double low, double high) {
    /** -1 below {@code none}, 1 above it, 0 when the interval contains it. */
    int side(double none) {
      return high < none ? -1 : low > none ? 1 : 0;
    }
  }

  /**
   * The markdown table, or "" when no step has a Herald target and a peer with enough runs each.
   */
  static String markdown(List<StepResult> steps) {
    Map<Step, Map<String, List<StepResult>>> byStep = new LinkedHashMap<>();
    for (StepResult s : steps) {
      byStep
          .computeIfAbsent(
              new Step(s.scenario(), s.clients(), s.rate()), k -> new LinkedHashMap<>())
          .computeIfAbsent(s.target(), k -> new ArrayList<>())
          .add(s);
    }
    StringBuilder rows = new StringBuilder();
    byStep.forEach(
        (step, targets) ->
            targets.forEach(
                (h, hr) -> {
                  if (!h.startsWith("herald") || hr.size() < MIN_RUNS) return;
                  targets.forEach(
                      (p, pr) -> {
                        if (p.startsWith("herald") || pr.size() < MIN_RUNS) return;
                        Interval p99 = interval(hr, pr, StepResult::p99Micros, false);
                        Interval cpu = interval(hr, pr, StepResult::deliveredPerCpuSec, true);
                        rows.append(
                            String.format(
                                Locale.ROOT,
                                "| %s | %d | %.0f | %s | %s | %d / %d "
                                    + "| %+.1f ms [%+.1f, %+.1f] | %s | %.2f [%.2f, %.2f] | %s |%n",
                                step.scenario(),
                                step.clients(),
                                step.rate(),
                                h,
                                p,
                                hr.size(),
                                pr.size(),
                                p99.estimate() / 1000,
                                p99.low() / 1000,
                                p99.high() / 1000,
                                verdict(p99.side(0), "lower", "higher"),
                                cpu.estimate(),
                                cpu.low(),
                                cpu.high(),
                                verdict(cpu.side(1), "fewer", "more")));
                      });
                }));
    if (rows.isEmpty()) return "";
    return "Herald against each peer, per step (95% bootstrap intervals over "
        + "the runs; \"tie\" when the interval holds no difference):\n\n"
        + "| scenario | clients | publish/s | herald target | peer | runs "
        + "| p99: Herald minus peer | p99 | deliveries per CPU-s: Herald / peer | per CPU-s |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n"
        + rows
        + "\n";
  }

  private static String verdict(int side, String below, String above) {
    return side < 0 ? below : side > 0 ? above : "tie";
  }

  /**
   * Herald's median minus the peer's ({@code ratio} false) or divided by it (true), with its
   * bootstrap interval.
   */
  static Interval interval(
      List<StepResult> herald,
      List<StepResult> peer,
      ToDoubleFunction<StepResult> f,
      boolean ratio) {
    double[] h = herald.stream().mapToDouble(f).toArray(),
        p = peer.stream().mapToDouble(f).toArray();
    SplittableRandom random = new SplittableRandom(42);
    double[] stats = new double[RESAMPLES];
    double[] hs = new double[h.length], ps = new double[p.length];
    for (int i = 0; i < RESAMPLES; i++) {
      for (int j = 0; j < h.length; j++) hs[j] = h[random.nextInt(h.length)];
      for (int j = 0; j < p.length; j++) ps[j] = p[random.nextInt(p.length)];
      stats[i] = combine(median(hs), median(ps), ratio);
    }
    Arrays.sort(stats);
    return new Interval(
        combine(median(h), median(p), ratio),
        stats[(int) (0.025 * RESAMPLES)],
        stats[(int) (0.975 * RESAMPLES) - 1]);
  }

  private static double combine(double herald, double peer, boolean ratio) {
    return ratio ? (peer == 0 ? Double.NaN : herald / peer) : herald - peer;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
