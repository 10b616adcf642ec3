package io.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text form stores keep an event's rooms and origin in: every value survives, whatever it holds. */
class EventMetaTest {
  @Test
  void noneIsTheEmptyString() {
    assertThat(EventMeta.NONE.encode()).isEmpty();
    assertThat(EventMeta.decode("")).isEqualTo(EventMeta.NONE);
    assertThat(EventMeta.rooms(List.of())).isSameAs(EventMeta.NONE);
  }

  @Test
  void roomsAndOriginRoundTripWithLineBreaksBackslashesAndSpaces() {
    for (EventMeta m : List.of(
        new EventMeta(List.of("global"), null),
        new EventMeta(List.of(), new EventMeta.Origin("topic with space", 0, 0)),
        new EventMeta(List.of("", "a\nb", "c\\nd", "\\", "é ü"), new EventMeta.Origin("t\n\\x", 7, Long.MAX_VALUE)))) {
      assertThat(EventMeta.decode(m.encode())).isEqualTo(m);
    }
  }

  @Test
  void textItDidNotWriteIsRefused() {
    assertThatThrownBy(() -> EventMeta.decode("nonsense")).isInstanceOf(IllegalArgumentException.class);
  }
}
