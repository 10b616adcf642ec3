package io.herald.core.event;

import java.util.List;
import java.util.Objects;

/**
 * What an event carries beside its type and payload, as typed fields that every engine keeps and
 * delivers with it (never packed into the type and parsed back): the rooms of its channel it is
 * for, and the broker record it came from. Their text form is {@link EventCodec#encodeMeta}.
 *
 * @param rooms the rooms it is for within its channel; empty: the channel's every subscriber
 * @param origin the Kafka record it was made from, or null
 */
public record EventMeta(List<String> rooms, Origin origin) {
  /** No rooms, no origin: most events. */
  public static final EventMeta NONE = new EventMeta(List.of(), null);

  /** A Kafka record: where a consumer would resume after it. */
  public record Origin(String topic, int partition, long offset) {
    public Origin {
      Objects.requireNonNull(topic, "topic");
    }
  }

  public EventMeta {
    rooms = List.copyOf(rooms);
  }

  public static EventMeta rooms(List<String> rooms) {
    return rooms.isEmpty() ? NONE : new EventMeta(rooms, null);
  }

  public EventMeta withOrigin(Origin o) {
    return new EventMeta(rooms, o);
  }

  public boolean none() {
    return rooms.isEmpty() && origin == null;
  }
}
