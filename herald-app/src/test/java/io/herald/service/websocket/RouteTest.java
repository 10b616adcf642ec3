package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.event.Event;
import io.herald.core.event.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A broadcast's route in the engine event's type: rooms and source round trip, and the source never reaches a client. */
class RouteTest {
  @Test
  void roomsAndSourceRoundTripAndClientsGetTheEventWithoutTheSource() {
    Route r = new Route("analytics.update", List.of("survey:1", "project:2"), "survey.analytics/3/41");
    assertThat(Route.parse(r.type())).isEqualTo(r);
    assertThat(Route.parse(new Route("x", List.of("global")).type())).isEqualTo(new Route("x", List.of("global"), ""));
    Event e = new Event("socket.io", 7, r.type(), "{\"a\":1}", Instant.EPOCH);
    assertThat(new String(new Frame(e, 0).encoded(Route.WITH_OFFSET), StandardCharsets.UTF_8)).isEqualTo("42[\"analytics.update\",{\"a\":1},\"7\"]");
  }

  @Test
  void positionsArePerPartitionThePlaceAfterTheLastRecordKept() {
    Map<TopicPartition, Long> next = KafkaPositions.after(List.of(
        new Route("a", List.of("global"), "survey.analytics/0/5"),
        new Route("a", List.of("global"), "survey.analytics/0/9"),
        new Route("a", List.of("global"), "survey.analytics/0/7"),  // not in offset order: the highest counts
        new Route("a", List.of("global"), "my.topic_with-dots/1/3"),
        new Route("a", List.of("global")),                          // from HTTP: no source
        new Route("a", List.of("global"), "not-kafka")));
    assertThat(next).containsExactlyInAnyOrderEntriesOf(Map.of(
        new TopicPartition("survey.analytics", 0), 10L, new TopicPartition("my.topic_with-dots", 1), 4L));
  }
}
