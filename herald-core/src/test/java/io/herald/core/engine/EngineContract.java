package io.herald.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every engine promises (see {@link Engine}), run against each: memory, the file journal and
 * Redis. A subclass says how to make an engine keeping {@code maxEvents} per channel.
 */
public abstract class EngineContract {
  protected final List<Engine> engines = new ArrayList<>();
  protected final String channel = "contract-" + UUID.randomUUID();

  /**
   * A new engine (a new node, for a shared engine) keeping at most {@code maxEvents} per channel.
   */
  protected abstract Engine engine(int maxEvents) throws Exception;

  /**
   * Returns once a subscription on {@code channel} is live at the engine's server, so what a test
   * publishes next goes the live way. An engine in this process subscribes within the call: nothing
   * to wait for.
   */
  protected void awaitSubscribed(String channel) throws Exception {}

  /**
   * How many events past the bound an engine may keep (Redis trims a stream in whole nodes of 100
   * entries).
   */
  protected int trimSlack() {
    return 0;
  }

  @AfterEach
  protected void closeEngines() {
    engines.forEach(Engine::close);
  }

  protected Engine started(int maxEvents) throws Exception {
    Engine e = engine(maxEvents);
    engines.add(e);
    return e;
  }

  /**
   * Publishes, retrying for a while when the engine is not connected yet (the Redis engine connects
   * in the background).
   */
  public static Event publish(Engine e, String channel, String type, String data) {
    try {
      return e.publish(channel, type, data).toCompletableFuture().get();
    } catch (Exception first) {
      // fall through: wait for the engine
    }
    return await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> e.publish(channel, type, data).toCompletableFuture().get(), x -> true);
  }

  public static Page read(Engine e, String channel, long since, int max) throws Exception {
    return e.read(channel, since, max).toCompletableFuture().get();
  }

  /** Records what a subscription delivers and every reset. */
  public static final class Recorder implements EngineListener {
    public final List<Event> events = new CopyOnWriteArrayList<>();
    public final List<Page> resets = new CopyOnWriteArrayList<>();

    @Override
    public void event(Event event) {
      events.add(event);
    }

    @Override
    public void reset(Page page) {
      resets.add(page);
    }

    public List<Long> seqs() {
      return events.stream().map(Event::seq).toList();
    }
  }

  public static void assertConsecutiveAfter(long start, List<Long> seqs, int count) {
    assertThat(seqs).hasSize(count);
    for (int i = 0; i < count; i++)
      assertThat(seqs.get(i)).as("event %d", i).isEqualTo(start + 1 + i);
  }

  @Test
  protected void sequencesAreGaplessAndIncreasing() throws Exception {
    Engine e = started(1000);
    long first = publish(e, channel, "t", "{\"i\":0}").seq();
    assertThat(first).isPositive();
    for (int i = 1; i < 50; i++)
      assertThat(publish(e, channel, "t", "{\"i\":" + i + "}").seq()).isEqualTo(first + i);
    Page p = read(e, channel, first, 1000);
    assertThat(p.recovered()).isTrue();
    assertThat(p.top()).isEqualTo(first + 49);
    assertThat(p.events()).extracting(Event::data).first().isEqualTo("{\"i\":1}");
    assertThat(p.events()).extracting(Event::type).containsOnly("t");
  }

  @Test
  protected void aReadSaysWhetherHistoryReachesBack() throws Exception {
    Engine e = started(1000);
    long first = publish(e, channel, "t", "1").seq();
    for (int i = 2; i <= 10; i++) publish(e, channel, "t", Integer.toString(i));
    long top = first + 9;
    Page mid = read(e, channel, first + 4, 1000);
    assertThat(mid.recovered()).isTrue();
    assertThat(mid.events())
        .extracting(Event::seq)
        .containsExactly(first + 5, first + 6, first + 7, first + 8, first + 9);
    Page limited = read(e, channel, first + 4, 2);
    assertThat(limited.events()).extracting(Event::seq).containsExactly(first + 5, first + 6);
    assertThat(limited.top()).isEqualTo(top);
    Page atTop = read(e, channel, top, 1000);
    assertThat(atTop.recovered()).isTrue();
    assertThat(atTop.events()).isEmpty();
    assertThat(read(e, channel, top + 1000, 1000).recovered())
        .as("a position ahead of the channel")
        .isFalse();
    Page latest = read(e, channel, -1, 3);
    assertThat(latest.events()).extracting(Event::seq).containsExactly(top - 2, top - 1, top);
  }

  @Test
  protected void aPositionOlderThanTheKeptHistoryIsNotRecovered() throws Exception {
    Engine e = started(10);
    long first = publish(e, channel, "t", "0").seq();
    int n = 300 + trimSlack();
    for (int i = 1; i < n; i++) publish(e, channel, "t", Integer.toString(i));
    Page p = read(e, channel, first, 1000);
    assertThat(p.recovered()).isFalse();
    assertThat(p.top()).isEqualTo(first + n - 1);
    assertThat(p.events()).isNotEmpty().hasSizeLessThanOrEqualTo(10 + trimSlack());
    assertThat(p.events().getLast().seq()).isEqualTo(first + n - 1);
  }

  @Test
  protected void aSubscriptionDeliversEveryLaterEventOnceInOrderWhilePublishersRace()
      throws Exception {
    Engine e = started(1000);
    long start = 0;
    for (int i = 0; i < 5; i++) start = publish(e, channel, "before", Integer.toString(i)).seq();
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    try (AutoCloseable sa = e.subscribe(channel, start - 2, a);
        AutoCloseable sb = e.subscribe(channel, start, b)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        jobs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) publish(e, channel, "live", thread + ":" + i);
                }));
      }
      for (Future<?> j : jobs) j.get();
      pool.shutdown();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> a.events.size() >= 202 && b.events.size() >= 200);
      Thread.sleep(
          200); // a quiet period: nothing more may come, and a duplicate would arrive within it
      assertConsecutiveAfter(start - 2, a.seqs(), 202);
      assertConsecutiveAfter(start, b.seqs(), 200);
      assertThat(a.events.subList(2, 202)).isEqualTo(b.events);
      assertThat(a.resets).isEmpty();
    }
  }

  @Test
  protected void aSubscriptionFromBeforeTheKeptHistoryIsReset() throws Exception {
    Engine e = started(10);
    long first = publish(e, channel, "t", "0").seq();
    int n = 300 + trimSlack();
    for (int i = 1; i < n; i++) publish(e, channel, "t", Integer.toString(i));
    Recorder r = new Recorder();
    try (AutoCloseable s = e.subscribe(channel, first, r)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !r.resets.isEmpty());
      assertThat(r.resets.getFirst().top()).isEqualTo(first + n - 1);
      assertThat(r.resets.getFirst().recovered()).isFalse();
      long next = publish(e, channel, "t", "after").seq();
      await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 1);
      assertThat(r.seqs()).containsExactly(next);
    }
  }

  @Test
  protected void aSubscriptionFromZeroGetsANewChannelsFirstEventsWithoutAReset() throws Exception {
    Engine e = started(1000);
    Recorder r = new Recorder();
    try (AutoCloseable s = e.subscribe(channel, 0, r)) {
      awaitSubscribed(channel); // subscribed before the channel exists
      long first = publish(e, channel, "t", "a").seq();
      publish(e, channel, "t", "b");
      publish(e, channel, "t", "c");
      await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() >= 3);
      assertThat(r.seqs()).containsExactly(first, first + 1, first + 2);
      assertThat(r.resets).isEmpty();
      assertThat(read(e, channel, 0, 10).recovered())
          .as("position 0 reaches back to a channel's start")
          .isTrue();
    }
  }

  @Test
  protected void aClosedSubscriptionReceivesNothingMore() throws Exception {
    Engine e = started(1000);
    long start = publish(e, channel, "t", "0").seq();
    Recorder r = new Recorder();
    AutoCloseable s = e.subscribe(channel, start, r);
    publish(e, channel, "t", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 1);
    s.close();
    publish(e, channel, "t", "2");
    Thread.sleep(
        300); // a quiet period: an event wrongly delivered after the close arrives within it
    assertThat(r.seqs()).containsExactly(start + 1);
  }

  @Test
  protected void typesAndDataArriveAsPublishedWhateverTheyHold() throws Exception {
    Engine e = started(1000);
    long start = publish(e, channel, "t", "0").seq();
    Recorder r = new Recorder();
    try (AutoCloseable s = e.subscribe(channel, start, r)) {
      String type = "event\nroom:survey:é\n2"; // a Socket.IO route holds line breaks
      String data = "{\"text\":\"line\\nbreak ü\"}\n";
      publish(e, channel, type, data);
      await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 1);
      assertThat(r.events.getFirst().type()).isEqualTo(type);
      assertThat(r.events.getFirst().data()).isEqualTo(data);
      assertThat(read(e, channel, start, 10).events().getFirst().type()).isEqualTo(type);
    }
  }

  @Test
  protected void roomsAndOriginArriveAsPublished() throws Exception {
    Engine e = started(1000);
    long start = publish(e, channel, "t", "0").seq();
    Recorder r = new Recorder();
    var meta =
        new EventMeta(
            List.of("survey:é", "user:line\nbreak", "back\\slash"),
            new EventMeta.Origin("survey.responses", 4, 1234));
    try (AutoCloseable s = e.subscribe(channel, start, r)) {
      Event sent =
          e.publish(channel, "response.new", "{\"a\":1}", meta).toCompletableFuture().get();
      assertThat(sent.meta()).isEqualTo(meta);
      publish(e, channel, "plain", "2");
      await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 2);
      assertThat(r.events.get(0).meta()).isEqualTo(meta);
      assertThat(r.events.get(0).type()).isEqualTo("response.new");
      assertThat(r.events.get(1).meta()).isEqualTo(EventMeta.NONE);
      assertThat(read(e, channel, start, 10).events())
          .extracting(Event::meta)
          .containsExactly(meta, EventMeta.NONE);
    }
  }

  @Test
  protected void channelsAreIndependent() throws Exception {
    Engine e = started(1000);
    long a = publish(e, channel + "-a", "t", "a").seq();
    long b = publish(e, channel + "-b", "t", "b").seq();
    assertThat(publish(e, channel + "-a", "t", "a2").seq()).isEqualTo(a + 1);
    assertThat(read(e, channel + "-b", b - 1, 10).events())
        .extracting(Event::data)
        .containsExactly("b");
  }
}
