package io.herald.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboxTest {
  private static Outbox<String> outbox(int msgs, long bytes, OverflowPolicy p) {
    return new Outbox<>(new OutboxConfig(msgs, bytes, p));
  }

  @Test
  void aStalledConsumerIsBoundedByCountThenDisconnectedAndTheQueueDiscarded() {
    Outbox<String> o = outbox(3, 1000, new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));
    for (int i = 0; i < 3; i++) assertThat(o.offer("m" + i, 10, false)).isEqualTo(Offer.ACCEPTED);
    assertThat(o.offer("m3", 10, false)).isEqualTo(Offer.OVERFLOWED);
    assertThat(o.size()).isZero();
    assertThat(o.bytes()).isZero();
    assertThat(o.offer("m4", 10, false)).isEqualTo(Offer.CLOSED);
  }

  @Test
  void theByteBudgetBoundsMemoryWhateverTheCount() {
    Outbox<String> o =
        outbox(1_000_000, 100, new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));
    int accepted = 0;
    while (o.offer("x", 7, false) == Offer.ACCEPTED) accepted++;
    assertThat(accepted).isEqualTo(14);
  }

  @Test
  void volatileMessagesAreDroppedWithoutDisconnecting() {
    Outbox<String> o = outbox(1, 100, new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));
    o.offer("a", 1, false);
    assertThat(o.offer("b", 1, true)).isEqualTo(Offer.DROPPED);
    assertThat(o.poll()).isEqualTo("a");
    assertThat(o.offer("c", 1, false)).isEqualTo(Offer.ACCEPTED);
  }

  @Test
  void keepLatestEvictsTheOldest() {
    Outbox<String> o = outbox(2, 100, new OverflowPolicy.KeepLatest());
    o.offer("a", 1, false);
    o.offer("b", 1, false);
    assertThat(o.offer("c", 1, false)).isEqualTo(Offer.ACCEPTED);
    assertThat(o.poll()).isEqualTo("b");
    assertThat(o.poll()).isEqualTo("c");
    assertThat(o.poll()).isNull();
  }

  @Test
  void dropNewestKeepsTheQueue() {
    Outbox<String> o = outbox(1, 100, new OverflowPolicy.DropNewest());
    o.offer("a", 1, false);
    assertThat(o.offer("b", 1, false)).isEqualTo(Offer.DROPPED);
    assertThat(o.poll()).isEqualTo("a");
  }

  @Test
  void aMessageLargerThanTheWholeBudgetNeverFits() {
    Outbox<String> o = outbox(10, 100, new OverflowPolicy.KeepLatest());
    o.offer("a", 50, false);
    assertThat(o.offer("huge", 101, false)).isEqualTo(Offer.DROPPED);
    assertThat(o.isEmpty()).isTrue();
  }
}
