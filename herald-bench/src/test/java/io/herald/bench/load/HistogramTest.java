package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void quantilesAreWithinTwoPercentOfTheTrueValue() {
    Histogram h = new Histogram();
    for (long v = 1; v <= 1_000_000; v++) h.record(v);
    assertThat(h.count()).isEqualTo(1_000_000);
    assertThat(h.quantile(0.5)).isCloseTo(500_000, withPercentage(2));
    assertThat(h.quantile(0.99)).isCloseTo(990_000, withPercentage(2));
    assertThat(h.quantile(0.999)).isCloseTo(999_000, withPercentage(2));
  }

  @Test
  void smallValuesAreExactAndResetEmpties() {
    Histogram h = new Histogram();
    for (int i = 0; i < 10; i++) h.record(37);
    assertThat(h.quantile(0.99)).isEqualTo(37);
    h.reset();
    assertThat(h.count()).isZero();
    assertThat(h.quantile(0.5)).isZero();
  }
}
