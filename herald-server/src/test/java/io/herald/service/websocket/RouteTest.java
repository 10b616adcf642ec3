package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.core.event.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A broadcast's route travels as the engine event's typed metadata: the name is the type, rooms and
 * Kafka origin are fields; clients get the event without the origin; events packed the old way
 * (history written before) still read.
 */
class RouteTest {
  static final EventMeta.Origin ORIGIN = new EventMeta.Origin("survey.analytics", 3, 41);

  @Test
  void theNameIsTheTypeRoomsAndOriginAreFieldsAndClientsGetTheEventWithoutTheOrigin() {
    Route r = new Route("analytics.update", List.of("survey:1", "project:2"), ORIGIN);
    Event e = new Event("socket.io", 7, r.name(), "{\"a\":1}", Instant.EPOCH, r.meta());
    assertThat(e.type()).isEqualTo("analytics.update");
    assertThat(new Frame(e, 0).encoded(Route.ROUTE)).isEqualTo(r);
    assertThat(new String(new Frame(e, 0).encoded(Route.WITH_OFFSET), StandardCharsets.UTF_8))
        .isEqualTo("42[\"analytics.update\",{\"a\":1},\"7\"]");
  }

  @Test
  void anEventKeptByAnEarlierHeraldWithTheRoutePackedInItsTypeStillReads() {
    Event old =
        new Event(
            "socket.io",
            8,
            "analytics.update\nsurvey:1\nproject:2\n@survey.analytics/3/41",
            "{\"a\":1}",
            Instant.EPOCH);
    assertThat(new Frame(old, 0).encoded(Route.ROUTE))
        .isEqualTo(new Route("analytics.update", List.of("survey:1", "project:2"), ORIGIN));
    assertThat(new String(new Frame(old, 0).encoded(Route.PLAIN), StandardCharsets.UTF_8))
        .isEqualTo("42[\"analytics.update\",{\"a\":1}]");
    Event http = new Event("socket.io", 9, "x\nglobal", "1", Instant.EPOCH);
    assertThat(new Frame(http, 0).encoded(Route.ROUTE))
        .isEqualTo(new Route("x", List.of("global")));
  }

  @Test
  void positionsArePerPartitionThePlaceAfterTheLastRecordKept() {
    Map<TopicPartition, Long> next =
        KafkaPositions.after(
            List.of(
                new Route("a", List.of("global"), new EventMeta.Origin("survey.analytics", 0, 5)),
                new Route("a", List.of("global"), new EventMeta.Origin("survey.analytics", 0, 9)),
                new Route(
                    "a",
                    List.of("global"),
                    new EventMeta.Origin(
                        "survey.analytics", 0, 7)), // not in offset order: the highest counts
                new Route("a", List.of("global"), new EventMeta.Origin("my.topic_with-dots", 1, 3)),
                new Route("a", List.of("global")))); // from HTTP: no origin
    assertThat(next)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                new TopicPartition("survey.analytics", 0),
                10L,
                new TopicPartition("my.topic_with-dots", 1),
                4L));
  }
}
