package io.herald.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StampTest {
  @Test
  void writesWhatInstantToStringWritesForEveryPrecision() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(0, 4_102_444_800L); // 1970 to 2100
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(second, nanos);
      assertThat(Stamp.of(t)).as("%s", t).isEqualTo(t.toString());
    }
  }

  @Test
  void theSameSecondAgainAndTheEdgesOfTheCachedRange() {
    Instant t = Instant.parse("2026-12-07T15:04:05.120Z");
    assertThat(Stamp.of(t)).isEqualTo("2026-12-07T15:04:05.120Z");
    assertThat(Stamp.of(t.plusNanos(3_000))).isEqualTo("2026-12-07T15:04:05.120003Z");
    assertThat(Stamp.of(t.plusNanos(7))).isEqualTo("2026-12-07T15:04:05.120000007Z");
    for (Instant edge :
        new Instant[] {
          Instant.EPOCH,
          Instant.ofEpochSecond(-1, 5),
          Instant.parse("9999-12-31T23:59:59.999Z"),
          Instant.ofEpochSecond(253_402_300_800L),
          Instant.MAX,
          Instant.MIN
        }) {
      assertThat(Stamp.of(edge)).isEqualTo(edge.toString());
    }
  }
}
