package io.herald.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber of any engine sees: every event once and in order, or a reset, whatever the
 * transport loses.
 */
class EngineFeedTest {
  private final MemoryChannel channel = new MemoryChannel(5000);
  private final Recorder seen = new Recorder();

  /**
   * What the listener received: sequences, and each reset as a negative marker followed by its top.
   */
  static final class Recorder implements EngineListener {
    final List<Long> events = new ArrayList<>();
    final List<Page> resets = new ArrayList<>();

    @Override
    public void event(Event event) {
      events.add(event.seq());
    }

    @Override
    public void reset(Page page) {
      resets.add(page);
    }
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  private void live(Event e) {
    feed.live(e, e.seq() - 1);
  }

  private EngineFeed feed;

  @Test
  void catchesUpOverSeveralPagesThenFollowsLiveMessagesHeldMeanwhileWithoutDuplicates() {
    for (int i = 0; i < 2500; i++) channel.publish();
    channel.immediate = false;
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    live(channel.publish()); // before the subscription took: held
    feed.catchUp();
    while (channel.waiting()) {
      live(
          channel
              .publish()); // while a page is in flight: held, and also in the history the next page
      // reads
      channel.answer();
    }
    live(channel.publish());
    assertThat(seen.events).isEqualTo(range(1, channel.top()));
    assertThat(seen.resets).isEmpty();
    assertThat(channel.reads).isGreaterThanOrEqualTo(3); // 1000 a page
  }

  @Test
  void aLostLiveMessageIsReadFromTheHistory() {
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    feed.catchUp();
    live(channel.publish());
    channel.publish(); // lost on the way
    channel.publish(); // lost too
    live(channel.publish());
    live(channel.publish());
    assertThat(seen.events).isEqualTo(range(1, 5));
  }

  @Test
  void aLostLastMessageIsFoundByTheSweep() {
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    feed.catchUp();
    live(channel.publish());
    channel.publish(); // lost, and nothing follows it
    feed.checkTop(channel.top());
    assertThat(seen.events).isEqualTo(range(1, 2));
  }

  @Test
  void aHistoryThatNoLongerReachesBackIsAResetWithTheLatestEventsThenLiveGoesOn() {
    MemoryChannel small = new MemoryChannel(10);
    for (int i = 0; i < 50; i++) small.publish();
    feed = new EngineFeed(small, 5, small.capacity, seen);
    feed.catchUp();
    assertThat(seen.events).isEmpty();
    assertThat(seen.resets)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.recovered()).isFalse();
              assertThat(p.top()).isEqualTo(50);
              assertThat(p.events()).extracting(Event::seq).isEqualTo(range(41, 50));
            });
    Event next = small.publish();
    feed.live(next, next.seq() - 1);
    assertThat(seen.events).containsExactly(51L);
    assertThat(small.fences).isEmpty(); // trimmed, not gone back: nothing to fence
  }

  @Test
  void aChannelThatWentBackIsFencedAboveWhatWasDeliveredBeforeTheReset() {
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    feed.catchUp();
    for (int i = 0; i < 10; i++) live(channel.publish());
    channel.goBack(7); // a failover lost 8..10, which this subscriber has
    feed.checkTop(channel.top());
    assertThat(channel.fences).containsExactly(10L);
    assertThat(seen.resets).singleElement().satisfies(p -> assertThat(p.top()).isGreaterThan(10));
    Event next = channel.publish();
    live(next);
    assertThat(next.seq()).isGreaterThan(10);
    assertThat(seen.events).isEqualTo(append(range(1, 10), next.seq())); // never a sequence twice
  }

  private static List<Long> append(List<Long> list, long more) {
    List<Long> out = new ArrayList<>(list);
    out.add(more);
    return out;
  }

  @Test
  void aFailedReadIsRetriedLaterAndDeliversOnce() {
    for (int i = 0; i < 3; i++) channel.publish();
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    channel.failNext = true;
    feed.catchUp();
    assertThat(seen.events).isEmpty();
    live(channel.publish()); // held: the read is still to be retried
    assertThat(seen.events).isEmpty();
    channel.runLater();
    assertThat(seen.events).isEqualTo(range(1, 4));
  }

  @Test
  void aLiveOnlySubscriptionStartsAtTheTop() {
    for (int i = 0; i < 3; i++) channel.publish();
    feed = new EngineFeed(channel, -1, channel.capacity, seen);
    feed.catchUp();
    assertThat(feed.last()).isEqualTo(3);
    live(channel.publish());
    assertThat(seen.events).containsExactly(4L);
  }

  @Test
  void aConsumerIsStartedAfterTheLastEventReadAndRestartedWhenItFailsToStart() {
    for (int i = 0; i < 3; i++) channel.publish();
    feed = new EngineFeed(channel, 1, channel.capacity, seen);
    channel.failNextFollow = true;
    feed.catchUp();
    assertThat(channel.follows).containsExactly(3L);
    live(channel.publish()); // no consumer yet: held
    assertThat(seen.events).isEqualTo(range(2, 3));
    channel.runLater();
    assertThat(channel.follows).containsExactly(3L, 4L);
    assertThat(seen.events).isEqualTo(range(2, 4));
  }

  /**
   * A feed whose transport is a consumer that may lag ({@link FeedTransport.Sweep#STALLED}), caught
   * up.
   */
  private void startPatient() {
    channel.sweep = FeedTransport.Sweep.STALLED;
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    feed.catchUp();
  }

  @Test
  void aPatientSweepReadsOnlyWhenTheFeedIsStillShortOfTheTopItSawBefore() {
    startPatient();
    int stops = channel.stops;
    channel.publish();
    channel.publish();
    feed.checkTop(channel.top()); // a consumer that lags: give it a sweep
    assertThat(channel.stops).isEqualTo(stops);
    feed.checkTop(channel.top()); // nothing came meanwhile: stalled, read
    assertThat(channel.stops).isEqualTo(stops + 1);
    assertThat(seen.events).isEqualTo(range(1, 2));
  }

  @Test
  void aPatientSweepLeavesAConsumerThatMovesOn() {
    startPatient();
    int reads = channel.reads;
    Event a = channel.publish();
    Event b = channel.publish();
    feed.checkTop(channel.top());
    live(a);
    live(b);
    Event c = channel.publish();
    feed.checkTop(channel.top()); // behind again, but past the top the last sweep saw
    assertThat(channel.reads).isEqualTo(reads);
    live(c);
    assertThat(seen.events).isEqualTo(range(1, 3));
  }

  @Test
  void aSequenceThatHoldsNoEventIsSkipped() {
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    feed.catchUp();
    live(channel.publish());
    Event notOurs = channel.publish();
    feed.skipped(notOurs.seq(), notOurs.seq() - 1);
    live(channel.publish());
    assertThat(seen.events).containsExactly(1L, 3L);
    assertThat(feed.last()).isEqualTo(3);
  }

  @Test
  void tooManyMessagesHeldDuringAReadAreReadFromTheHistoryInstead() {
    MemoryChannel big = new MemoryChannel(2 * EngineFeed.MAX_HELD);
    big.immediate = false;
    feed = new EngineFeed(big, 0, big.capacity, seen);
    feed.catchUp();
    for (int i = 0; i < EngineFeed.MAX_HELD + 500; i++) live(big.publish());
    while (big.waiting()) big.answer();
    assertThat(seen.events).isEqualTo(range(1, big.top()));
    assertThat(seen.resets).isEmpty();
  }

  @Test
  void nothingIsDeliveredAfterClose() {
    channel.immediate = false;
    channel.publish();
    feed = new EngineFeed(channel, 0, channel.capacity, seen);
    feed.catchUp();
    feed.close();
    channel.answer();
    live(channel.publish());
    assertThat(seen.events).isEmpty();
  }
}
