package io.herald.bench.report;

import static io.herald.bench.report.MediansTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison says lower or higher only when the runs separate the two targets, and tie otherwise. */
class CompareTest {
  private static List<StepResult> runs(String target, long... p99Micros) {
    List<StepResult> l = new ArrayList<>();
    for (long p : p99Micros) l.add(step(target, 50, p));
    return l;
  }

  @Test
  void runsThatDoNotOverlapAreADifference() {
    List<StepResult> all = new ArrayList<>(runs("herald", 10_000, 11_000, 10_500, 10_200, 10_800));
    all.addAll(runs("go-gorilla", 20_000, 21_000, 19_500, 20_500, 22_000));
    assertThat(Compare.markdown(all)).contains("| fanout-go | 1000 | 50 | herald | go-gorilla | 5 / 5 | -10.0 ms [")
        .contains("| lower |");
  }

  @Test
  void interleavedRunsAreATieWhicheverMedianIsLower() {
    List<StepResult> all = new ArrayList<>(runs("herald", 15_000, 17_000, 14_500, 16_000, 15_800));
    all.addAll(runs("go-gorilla", 15_500, 16_500, 14_800, 15_200, 17_500));
    Compare.Interval i = Compare.interval(all.subList(0, 5), all.subList(5, 10), StepResult::p99Micros, false);
    assertThat(i.low()).isNegative();
    assertThat(i.high()).isPositive();
    assertThat(Compare.markdown(all)).contains("| tie |");
  }

  @Test
  void nothingBelowThreeRunsOrWithoutAPeer() {
    List<StepResult> two = new ArrayList<>(runs("herald", 1, 2));
    two.addAll(runs("go-gorilla", 5, 6));
    assertThat(Compare.markdown(two)).isEmpty();
    assertThat(Compare.markdown(runs("herald", 1, 2, 3))).isEmpty();
  }

  @Test
  void theSameResultsGiveTheSameTable() {
    List<StepResult> all = new ArrayList<>(runs("herald", 15_000, 17_000, 14_500));
    all.addAll(runs("go-gorilla", 15_500, 16_500, 14_800));
    assertThat(Compare.markdown(all)).isEqualTo(Compare.markdown(all));
  }
}
