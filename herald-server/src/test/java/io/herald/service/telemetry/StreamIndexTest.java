package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-node index of the telemetry log: what a cursor from before a loss of the engine's data is
 * told.
 */
class StreamIndexTest {
  static StreamIndex.Entry entry(long id, String user) {
    return new StreamIndex.Entry(
        TelemetryEvent.of(new EventId(id), user, "{\"eventType\":\"T\"}"),
        1_000,
        Streams.of("T", user));
  }

  /**
   * An index of at most {@code max} events loaded at {@code start}, that then received {@code ids}
   * for {@code user}.
   */
  static StreamIndex received(int max, long start, String user, long... ids) {
    StreamIndex index = new StreamIndex(max, 3_600_000);
    index.reset(List.of(), start);
    for (long id : ids) index.append(entry(id, user), 1_000);
    return index;
  }

  @Test
  void afterALossReportedAsAnEmptyChannelEveryEarlierCursorIsToldItMissedEvents() {
    StreamIndex index = received(100, 5_000, "ann", 5_001, 5_002);
    index.reset(List.of(), 0); // the engine lost the log; its new events are not here yet
    index.append(entry(9_000_001, "ann"), 1_000);
    Page fromLatest = index.read(Streams.user("ann"), new EventId(5_002), 10, 1_000);
    assertThat(fromLatest.events()).extracting(e -> e.id().value()).containsExactly(9_000_001L);
    assertThat(fromLatest.missed())
        .as("the latest cursor before the loss: what followed it cannot be vouched for")
        .isTrue();
    assertThat(index.read(Streams.user("ann"), new EventId(9_000_001), 10, 1_000).missed())
        .isFalse();
    assertThat(index.read(Streams.user("ann"), EventId.ZERO, 10, 1_000).missed())
        .as("nothing read yet")
        .isFalse();
  }

  @Test
  void aCursorOlderThanAStreamsTrimmedEventsIsToldItMissedSomeAndAQuietStreamIsNot() {
    StreamIndex index = received(2, 0, "ann", 1);
    index.append(entry(2, "bob"), 1_000);
    index.append(entry(3, "bob"), 1_000); // trims 1 (ann's)
    assertThat(index.read(Streams.user("ann"), new EventId(0), 10, 1_000).missed()).isFalse();
    assertThat(index.read(Streams.user("ann"), new EventId(1), 10, 1_000).missed()).isFalse();
    index.append(entry(4, "bob"), 1_000); // trims 2 (bob's)
    assertThat(index.read(Streams.user("bob"), new EventId(1), 10, 1_000).missed()).isTrue();
    assertThat(index.read(Streams.user("bob"), new EventId(2), 10, 1_000).events())
        .extracting(e -> e.id().value())
        .containsExactly(3L, 4L);
  }
}
