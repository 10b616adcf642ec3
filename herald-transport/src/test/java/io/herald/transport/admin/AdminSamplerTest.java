package io.herald.transport.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.transport.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The charted points and the "now" figures, on a clock the test moves. */
class AdminSamplerTest {
  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final AtomicLong published = new AtomicLong(), delivered = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private final Timer lag = new Metrics().publishToWrite();
  private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
  private final AdminSampler sampler =
      new AdminSampler(clock, published::get, delivered::get, connections::get, lag);

  private void second(int events, int subscribers) {
    millis.addAndGet(1000);
    published.addAndGet(events);
    delivered.addAndGet((long) events * subscribers);
    for (int i = 0; i < events; i++) lag.record(Duration.ofMillis(2));
    sampler.tick();
  }

  @Test
  void eachSecondIsOnePointWithItsRatesAndLag() {
    sampler.tick();
    connections.set(7);
    second(5, 3);
    second(0, 3);
    assertThat(sampler.points()).hasSize(2);
    AdminSampler.Point busy = sampler.points().getFirst(), idle = sampler.points().getLast();
    assertThat(busy.published()).isEqualTo(5.0);
    assertThat(busy.delivered()).isEqualTo(15.0);
    assertThat(busy.connections()).isEqualTo(7);
    assertThat(busy.p50()).isBetween(1.0, 3.0);
    assertThat(idle.published()).isZero();
    assertThat(idle.p99()).as("no delivery that second").isNull();
  }

  @Test
  void nowIsTheLastTenSecondsAndTheChartsKeepFiveMinutes() {
    sampler.tick();
    for (int s = 0; s < AdminSampler.POINTS + 20; s++) second(s < AdminSampler.POINTS ? 0 : 4, 2);
    assertThat(sampler.points()).hasSize(AdminSampler.POINTS);
    AdminSampler.Now now = sampler.now();
    assertThat(now.seconds()).isEqualTo(AdminSampler.WINDOW_SECONDS);
    assertThat(now.published()).isEqualTo(4.0);
    assertThat(now.delivered()).isEqualTo(8.0);
    assertThat(now.p99()).isBetween(1.0, 3.0);
  }
}
