package io.herald.transport.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.herald.transport.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Windowed percentiles from the real publish-to-write timer behind /metrics (its buckets, its
 * cumulative counts).
 */
class LagHistogramTest {
  private final Timer timer = new Metrics().publishToWrite();

  private void record(int count, Duration each) {
    for (int i = 0; i < count; i++) timer.record(each);
  }

  @Test
  void aWindowHoldsOnlyWhatWasRecordedWithinIt() {
    record(1000, Duration.ofMillis(1));
    LagHistogram.Reading before = LagHistogram.read(timer);
    record(100, Duration.ofMillis(100));
    LagHistogram.Reading after = LagHistogram.read(timer);
    // The 1 ms values are outside the window: every percentile is about 100 ms (within the bucket's
    // width).
    assertThat(LagHistogram.quantile(0.5, before, after)).isCloseTo(100, within(40.0));
    assertThat(LagHistogram.quantile(0.99, before, after)).isCloseTo(100, within(40.0));
    assertThat(LagHistogram.quantile(0.5, LagHistogram.Reading.EMPTY, after))
        .as("since start")
        .isLessThan(5);
  }

  @Test
  void percentilesFollowTheDistribution() {
    LagHistogram.Reading before = LagHistogram.read(timer);
    for (int ms = 1; ms <= 100; ms++) record(1, Duration.ofMillis(ms));
    LagHistogram.Reading after = LagHistogram.read(timer);
    double p50 = LagHistogram.quantile(0.5, before, after),
        p99 = LagHistogram.quantile(0.99, before, after);
    assertThat(p50).isBetween(35.0, 70.0);
    assertThat(p99).isBetween(85.0, 140.0);
    assertThat(p99).isGreaterThan(p50);
  }

  @Test
  void anEmptyWindowHasNoPercentile() {
    record(10, Duration.ofMillis(3));
    LagHistogram.Reading r = LagHistogram.read(timer);
    assertThat(LagHistogram.quantile(0.5, r, r)).isNull();
  }
}
