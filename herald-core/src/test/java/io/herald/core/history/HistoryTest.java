package io.herald.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.event.Event;
import io.herald.core.event.Frame;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final InstantSource clock = () -> now;

  private Frame frame(long seq) {
    return new Frame(new Event("c", seq, "t", "{}", now), 0);
  }

  private static List<Long> seqs(Replay r) {
    return r.frames().stream().map(Frame::seq).toList();
  }

  @Test
  void readsFromASequence() {
    History h = new History(new HistoryConfig(100, Duration.ofMinutes(1)), clock);
    for (long s = 1; s <= 5; s++) h.append(frame(s));
    Replay r = h.readAfter(2);
    assertThat(seqs(r)).containsExactly(3L, 4L, 5L);
    assertThat(r.recovered()).isTrue();
    assertThat(r.lastSeq()).isEqualTo(5);
    assertThat(h.readAfter(5).frames()).isEmpty();
    assertThat(h.readAfter(5).recovered()).isTrue();
  }

  @Test
  void countBoundEvictsTheOldestAndAResumeFromBeforeThemIsNotRecovered() {
    History h = new History(new HistoryConfig(3, Duration.ofMinutes(1)), clock);
    for (long s = 1; s <= 10; s++) h.append(frame(s));
    assertThat(h.size()).isEqualTo(3);
    assertThat(seqs(h.readAfter(0))).containsExactly(8L, 9L, 10L);
    assertThat(h.readAfter(0).recovered()).isFalse();
    assertThat(h.readAfter(7).recovered()).isTrue();
  }

  @Test
  void ageBoundEvictsExpiredEventsEvenWithoutNewAppends() {
    History h = new History(new HistoryConfig(100, Duration.ofSeconds(30)), clock);
    h.append(frame(1));
    now = now.plusSeconds(20);
    h.append(frame(2));
    now = now.plusSeconds(15);
    Replay r = h.readAfter(0);
    assertThat(seqs(r)).containsExactly(2L);
    assertThat(r.recovered()).isFalse();
    now = now.plusSeconds(60);
    assertThat(h.readAfter(2).frames()).isEmpty();
    assertThat(h.readAfter(2).recovered()).isTrue();
    assertThat(h.size()).isZero();
  }

  @Test
  void aResumeFromTheFutureGetsEverythingKeptAndIsNotRecovered() {
    History h = new History(new HistoryConfig(100, Duration.ofMinutes(1)), clock);
    h.append(frame(1));
    Replay r = h.readAfter(99);
    assertThat(seqs(r)).containsExactly(1L);
    assertThat(r.recovered()).isFalse();
  }

  @Test
  void refusesAnOutOfOrderAppend() {
    History h = new History(HistoryConfig.DEFAULT, clock);
    h.append(frame(1));
    assertThatThrownBy(() -> h.append(frame(3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("history expects seq 2, got 3");
  }
}
