package io.herald.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.event.Encoding;
import io.herald.core.event.Frame;
import io.herald.core.history.HistoryConfig;
import io.herald.core.history.Replay;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class HubTest {
  private final Hub hub =
      new Hub(HubConfig.DEFAULT, InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));

  @Test
  void sequencesAreGaplessPerChannelAndIndependentAcrossChannels() {
    assertThat(hub.publish("a", "t", "1").seq()).isEqualTo(1);
    assertThat(hub.publish("a", "t", "2").seq()).isEqualTo(2);
    assertThat(hub.publish("b", "t", "3").seq()).isEqualTo(1);
    assertThat(hub.lastSeq("a")).isEqualTo(2);
    assertThat(hub.stats()).isEqualTo(new HubStats(2, 0, 3));
  }

  @Test
  void theBusiestChannelsComeFirstWithTheirSubscriptionsAndLatestSequence() {
    ManualLoop loop1 = new ManualLoop(), loop2 = new ManualLoop();
    hub.publish("quiet", "t", "{}");
    Subscription a = hub.subscribe("busy", new RecordingSubscriber(), loop1, -1);
    hub.subscribe("busy", new RecordingSubscriber(), loop2, -1);
    hub.subscribe("one", new RecordingSubscriber(), loop1, -1);
    hub.publish("busy", "t", "{}");
    assertThat(hub.busiest(2))
        .containsExactly(new ChannelStats("busy", 2, 1), new ChannelStats("one", 1, 0));
    hub.unsubscribe(a);
    assertThat(hub.busiest(10))
        .containsExactly(
            new ChannelStats("busy", 1, 1),
            new ChannelStats("one", 1, 0),
            new ChannelStats("quiet", 0, 1));
  }

  @Test
  void historyIsReadOnlyWhenCompleteAndSmallEnough() {
    Hub small =
        new Hub(
            new HubConfig(new HistoryConfig(3, Duration.ofMinutes(5))),
            InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")));
    for (int i = 0; i < 5; i++) small.publish("r", "t", "{}"); // history keeps 3, 4, 5
    assertThat(small.history("r", 1, 100)).as("2 was evicted").isNull();
    assertThat(small.history("r", 2, 1)).as("3 missed, at most 1 allowed").isNull();
    assertThat(small.history("r", 2, 3).frames())
        .extracting(Frame::seq)
        .containsExactly(3L, 4L, 5L);
    assertThat(small.history("r", 5, 3).frames()).isEmpty();
  }

  @Test
  void aBurstOnSeveralLoopsCostsOneTaskPerLoopAndOneFlushPerSubscriberInOrder() {
    ManualLoop loop1 = new ManualLoop(), loop2 = new ManualLoop();
    List<RecordingSubscriber> subs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RecordingSubscriber s = new RecordingSubscriber();
      subs.add(s);
      hub.subscribe("c", s, i % 2 == 0 ? loop1 : loop2, -1);
    }
    loop1.runAll();
    loop2.runAll();
    for (int i = 0; i < 100; i++) hub.publish("c", "t", "{}");
    assertThat(loop1.runAll()).isEqualTo(1);
    assertThat(loop2.runAll()).isEqualTo(1);
    for (RecordingSubscriber s : subs) {
      assertThat(s.seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
      assertThat(s.flushes).isEqualTo(1);
    }
  }

  @Test
  void aSubscriberJoiningWhileABurstIsPendingGetsExactlyTheEventsAfterItsJoin() {
    ManualLoop loop = new ManualLoop();
    RecordingSubscriber early = new RecordingSubscriber();
    hub.subscribe("c", early, loop, -1);
    loop.runAll();
    hub.publish("c", "t", "{}"); // 1: pending, drain task scheduled
    RecordingSubscriber late = new RecordingSubscriber();
    hub.subscribe("c", late, loop, -1); // joins behind 1
    hub.publish("c", "t", "{}"); // 2: behind the join, no new task
    assertThat(loop.runAll()).isEqualTo(1);
    assertThat(early.seqs).containsExactly(1L, 2L);
    assertThat(late.seqs).containsExactly(2L);
  }

  @Test
  void resumeSeamHasNoGapAndNoDuplicateWhenPublishRacesSubscribe() {
    ManualLoop loop = new ManualLoop();
    for (int i = 0; i < 5; i++) hub.publish("c", "t", "{}");
    RecordingSubscriber late = new RecordingSubscriber();
    // seq 6 is published and its fan-out task is queued before the subscribe task ...
    RecordingSubscriber early = new RecordingSubscriber();
    hub.subscribe("c", early, loop, -1);
    loop.runAll();
    hub.publish("c", "t", "{}");
    hub.subscribe("c", late, loop, 2);
    hub.publish("c", "t", "{}");
    loop.runAll();
    // ... so the late subscriber gets 3..6 from history and 7 live: nothing missing, nothing twice.
    assertThat(late.replay.recovered()).isTrue();
    assertThat(late.seqs).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(early.seqs).containsExactly(6L, 7L);
  }

  @Test
  void unsubscribedSubscriberGetsNothingMoreAndNoTaskIsScheduledForAnEmptyLoop() {
    ManualLoop loop = new ManualLoop();
    RecordingSubscriber s = new RecordingSubscriber();
    Subscription sub = hub.subscribe("c", s, loop, -1);
    loop.runAll();
    hub.publish("c", "t", "{}");
    hub.unsubscribe(sub);
    loop.runAll();
    hub.publish("c", "t", "{}");
    assertThat(loop.runAll()).isZero();
    assertThat(s.seqs).containsExactly(1L);
    assertThat(hub.stats().subscriptions()).isZero();
  }

  @Test
  void aFailingSubscriberDoesNotStopTheOthers() {
    ManualLoop loop = new ManualLoop();
    hub.subscribe(
        "c",
        new Subscriber() {
          public void replay(Replay r) {}

          public void deliver(Frame f) {
            throw new IllegalStateException("boom");
          }
        },
        loop,
        -1);
    RecordingSubscriber ok = new RecordingSubscriber();
    hub.subscribe("c", ok, loop, -1);
    loop.runAll();
    hub.publish("c", "t", "{}");
    loop.runAll();
    assertThat(ok.seqs).containsExactly(1L);
  }

  @Test
  void eachEncodingIsBuiltOnceAndSharedByAllSubscribers() {
    AtomicInteger calls = new AtomicInteger();
    Encoding<String> enc =
        Encoding.of(
            "test",
            e -> {
              calls.incrementAndGet();
              return e.type() + e.seq();
            });
    Frame f = hub.publish("c", "x", "{}");
    for (int i = 0; i < 1000; i++) assertThat(f.encoded(enc)).isSameAs(f.encoded(enc));
    assertThat(calls).hasValue(1);
  }

  @Test
  void theObserverCountsOnlySubscribersThatCountAsDeliveries() {
    List<Integer> counts = new ArrayList<>();
    Hub observed =
        new Hub(
            HubConfig.DEFAULT,
            InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")),
            (f, n) -> counts.add(n));
    ManualLoop loop = new ManualLoop();
    RecordingSubscriber dispatcher =
        new RecordingSubscriber() {
          @Override
          public boolean counted() {
            return false; // hands events on and counts them itself
          }
        };
    observed.subscribe("c", dispatcher, loop, -1);
    observed.subscribe("c", new RecordingSubscriber(), loop, -1);
    observed.publish("c", "t", "{}");
    loop.runAll();
    assertThat(counts).containsExactly(1);
    assertThat(dispatcher.seqs).containsExactly(1L);
  }
}
