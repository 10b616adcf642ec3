package io.herald.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediansTest {
  static StepResult step(String target, double rate, long p99Micros) {
    return new StepResult(
        "fanout-go",
        target,
        1000,
        rate,
        0,
        0,
        0,
        0,
        0,
        rate * 1000,
        1000,
        p99Micros,
        0,
        1,
        rate * 900,
        0);
  }

  @Test
  void oneRowPerStepWithTheMedianOfItsRuns() {
    String md =
        Medians.markdown(
            List.of(
                step("herald", 50, 30_000),
                step("go", 50, 10_000),
                step("herald", 50, 10_000),
                step("go", 50, 20_000),
                step("herald", 50, 20_000),
                step("go", 50, 90_000)));
    assertThat(md)
        .contains(
            "| fanout-go | herald | 1000 | 50 | 3 | 50000 | 1.00 | 20.00 | 30.0 10.0 20.0 | 45000 |")
        .contains(
            "| fanout-go | go | 1000 | 50 | 3 | 50000 | 1.00 | 20.00 | 10.0 20.0 90.0 | 45000 |");
  }

  @Test
  void nothingWhenEveryStepRanOnce() {
    assertThat(Medians.markdown(List.of(step("herald", 50, 1), step("herald", 100, 2)))).isEmpty();
  }

  @Test
  void anEvenNumberOfRunsAveragesTheMiddleTwo() {
    assertThat(
            Medians.median(
                List.of(step("h", 1, 10), step("h", 1, 40), step("h", 1, 20), step("h", 1, 30)),
                StepResult::p99Micros))
        .isEqualTo(25);
  }
}
