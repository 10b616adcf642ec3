package io.herald.service.reportlistener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GapTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(30);

  @Test
  void contiguousRowsMoveTheFrontierAndLeaveNothingAbove() {
    GapTracker g = new GapTracker(10, List.of());
    assertThat(g.accept(List.of(11L, 12L, 13L))).containsExactly(11L, 12L, 13L);
    g.advance(T0, GRACE, t -> false);
    assertThat(g.frontier()).isEqualTo(13);
    assertThat(g.deliveredAbove()).isEmpty();
    assertThat(g.gaps()).isEmpty();
  }

  @Test
  void aLateCommitBelowABroadcastRowIsDeliveredAndThenTheFrontierPassesIt() {
    GapTracker g = new GapTracker(10, List.of());
    g.accept(List.of(12L)); // 11 is still uncommitted
    g.advance(T0, GRACE, t -> false);
    assertThat(g.frontier()).isEqualTo(10);
    assertThat(g.gaps()).containsExactly(new GapTracker.Gap(11, 11, T0));
    assertThat(g.accept(List.of(11L, 12L))).containsExactly(11L); // 12 is not broadcast twice
    g.advance(T0.plusSeconds(1), GRACE, t -> false);
    assertThat(g.frontier()).isEqualTo(12);
  }

  @Test
  void aGapIsAbandonedOnlyAfterTheGraceAndWhenNoOlderTransactionIsOpen() {
    GapTracker g = new GapTracker(0, List.of());
    g.accept(List.of(1L, 4L));
    g.advance(T0, GRACE, t -> false);
    assertThat(g.frontier()).isEqualTo(1);
    g.advance(T0.plusSeconds(29), GRACE, t -> false);
    assertThat(g.frontier()).isEqualTo(1);
    g.advance(
        T0.plusSeconds(31), GRACE, t -> true); // a transaction from before the gap is still open
    assertThat(g.frontier()).isEqualTo(1);
    g.advance(T0.plusSeconds(31), GRACE, t -> false);
    assertThat(g.frontier()).isEqualTo(4);
    assertThat(g.abandoned()).isEqualTo(2);
  }

  @Test
  void aPartlyFilledGapKeepsItsFirstNoticedTime() {
    GapTracker g = new GapTracker(0, List.of());
    g.accept(List.of(5L));
    g.advance(T0, GRACE, t -> false);
    g.accept(List.of(3L));
    g.advance(T0.plusSeconds(10), GRACE, t -> false);
    assertThat(g.gaps())
        .containsExactly(new GapTracker.Gap(1, 2, T0), new GapTracker.Gap(4, 4, T0));
    g.advance(T0.plusSeconds(30), GRACE, t -> false);
    assertThat(g.frontier()).isEqualTo(5);
  }

  @Test
  void stateRestoredAfterARestartRepeatsNothingAndStillWaitsForTheGap() {
    GapTracker before = new GapTracker(0, List.of());
    before.accept(List.of(1L, 3L));
    before.advance(T0, GRACE, t -> false);
    GapTracker after = new GapTracker(before.frontier(), before.deliveredAbove());
    assertThat(after.accept(List.of(2L, 3L))).containsExactly(2L);
    after.advance(T0, GRACE, t -> false);
    assertThat(after.frontier()).isEqualTo(3);
    assertThat(after.highest()).isEqualTo(3);
  }
}
