package io.herald.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.event.Event;
import io.herald.core.event.Frame;
import io.herald.core.history.Journal;
import io.herald.core.history.JournalException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the hub uses a journal: restored channels go on from their last sequence, a refused append
 * reaches nobody.
 */
class HubJournalTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

  /**
   * A journal in a list, as the hub sees any: what it was given at start, what it was asked to
   * append.
   */
  private static final class ListJournal implements Journal {
    final List<Event> kept = new ArrayList<>();
    final long restoredLast;
    boolean failing;

    ListJournal(long restoredLast, List<Event> restored) {
      this.restoredLast = restoredLast;
      kept.addAll(restored);
    }

    @Override
    public Restored restore(String channel, int maxEvents) {
      return new Restored(List.copyOf(kept), restoredLast);
    }

    @Override
    public void append(Event event) {
      if (failing) throw new JournalException("disk full", null);
      kept.add(event);
    }

    @Override
    public void close() {}
  }

  private static Event event(long seq) {
    return new Event("c", seq, "t", "{\"n\":" + seq + "}", CLOCK.instant());
  }

  @Test
  void aRestoredChannelReplaysWhatWasKeptAndContinuesItsSequence() {
    ListJournal journal = new ListJournal(12, List.of(event(11), event(12)));
    Hub hub = new Hub(HubConfig.DEFAULT, CLOCK, FanOutObserver.NONE, journal);
    assertThat(hub.lastSeq("c")).as("a client's first cursor after a restart").isEqualTo(12);
    assertThat(hub.publish("c", "t", "{}").seq()).isEqualTo(13);
    assertThat(journal.kept).extracting(Event::seq).containsExactly(11L, 12L, 13L);
    ManualLoop loop = new ManualLoop();
    RecordingSubscriber s = new RecordingSubscriber();
    hub.subscribe("c", s, loop, 10);
    loop.runAll();
    assertThat(s.seqs).containsExactly(11L, 12L, 13L);
    assertThat(hub.history("c", 9, 100)).as("10 is not kept: no complete replay from 9").isNull();
  }

  @Test
  void anEventTheJournalRefusesIsDeliveredToNobodyAndItsSequenceIsReused() {
    ListJournal journal = new ListJournal(0, List.of());
    Hub hub = new Hub(HubConfig.DEFAULT, CLOCK, FanOutObserver.NONE, journal);
    ManualLoop loop = new ManualLoop();
    RecordingSubscriber s = new RecordingSubscriber();
    hub.subscribe("c", s, loop, -1);
    hub.publish("c", "t", "{}");
    journal.failing = true;
    assertThatThrownBy(() -> hub.publish("c", "t", "{}")).isInstanceOf(JournalException.class);
    journal.failing = false;
    Frame next = hub.publish("c", "t", "{}");
    loop.runAll();
    assertThat(next.seq()).isEqualTo(2);
    assertThat(s.seqs).containsExactly(1L, 2L);
    assertThat(hub.history("c", 0, 100).frames()).extracting(Frame::seq).containsExactly(1L, 2L);
  }
}
