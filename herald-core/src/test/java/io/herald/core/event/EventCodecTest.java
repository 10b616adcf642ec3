package io.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The text forms engines keep and send an event in: the exact bytes of each layout (nodes of two
 * versions read each other's), every value surviving a round trip whatever it holds, and a clear
 * refusal of text Herald did not write.
 */
class EventCodecTest {
  private static final Instant T = Instant.ofEpochMilli(1_700_000_000_123L);

  @Test
  void noneIsTheEmptyString() {
    assertThat(EventCodec.encodeMeta(EventMeta.NONE)).isEmpty();
    assertThat(EventCodec.decodeMeta("")).isEqualTo(EventMeta.NONE);
    assertThat(EventMeta.rooms(List.of())).isSameAs(EventMeta.NONE);
  }

  @Test
  void metaIsTheOriginLineThenOneEscapedRoomALine() {
    EventMeta m = new EventMeta(List.of("a\nb", "c\\d"), new EventMeta.Origin("orders in", 3, 42));
    assertThat(EventCodec.encodeMeta(m)).isEqualTo("3 42 orders in\na\\nb\nc\\\\d");
    assertThat(EventCodec.encodeMeta(EventMeta.rooms(List.of("r")))).isEqualTo("\nr");
  }

  @Test
  void roomsAndOriginRoundTripWithLineBreaksBackslashesAndSpaces() {
    for (EventMeta m :
        List.of(
            new EventMeta(List.of("global"), null),
            new EventMeta(List.of(), new EventMeta.Origin("topic with space", 0, 0)),
            new EventMeta(
                List.of("", "a\nb", "c\\nd", "\\", "é ü"),
                new EventMeta.Origin("t\n\\x", 7, Long.MAX_VALUE)))) {
      assertThat(EventCodec.decodeMeta(EventCodec.encodeMeta(m))).isEqualTo(m);
    }
  }

  /**
   * What Herald's Redis publish script sends, and what a node from before metadata sent and still
   * reads.
   */
  @Test
  void aLiveMessageWithoutMetaIsThePlainLineLayout() {
    Event e = new Event("c", 1001, "stats_update", "{\"n\":1}", T);
    String wire = "1001\n1000\n1700000000123\n12\nstats_update{\"n\":1}";
    assertThat(EventCodec.encodeLive(e, 1000)).isEqualTo(wire);
    assertThat(EventCodec.decodeLive("c", wire)).isEqualTo(new EventCodec.Live(e, 1000));
  }

  @Test
  void aLiveMessageWithMetaGivesBothLengths() {
    Event e = new Event("c", 5, "chat\n", "{}", T, EventMeta.rooms(List.of("r1")));
    assertThat(EventCodec.encodeLive(e, 0)).isEqualTo("5\n0\n1700000000123\n5:3\nchat\n\nr1{}");
  }

  /** What a JetStream message of every Herald version holds. */
  @Test
  void aBodyIsTheTimeAndLengthsOnLinesInUtf8() {
    byte[] body =
        EventCodec.encodeBody(T.toEpochMilli(), "é", EventMeta.rooms(List.of("r")), "[1]");
    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("1700000000123\n1\n2\né\nr[1]");
    assertThat(EventCodec.decodeBody("c", 9, body))
        .isEqualTo(new Event("c", 9, "é", "[1]", T, EventMeta.rooms(List.of("r"))));
  }

  /** A property checked on many generated events: decode(encode(e)) is e, in every layout. */
  @Test
  void everyEventRoundTripsInEveryLayout() {
    Random random = new Random(23);
    for (int i = 0; i < 3000; i++) {
      Event e =
          new Event(
              "ch",
              1 + (random.nextLong() & Long.MAX_VALUE - 1),
              text(random),
              text(random),
              Instant.ofEpochMilli(random.nextLong(0, 1L << 45)),
              meta(random));
      long prev = random.nextBoolean() ? 0 : e.seq() - 1;
      assertThat(EventCodec.decodeLive("ch", EventCodec.encodeLive(e, prev)))
          .isEqualTo(new EventCodec.Live(e, prev));
      assertThat(
              EventCodec.decodeBody(
                  "ch",
                  e.seq(),
                  EventCodec.encodeBody(e.time().toEpochMilli(), e.type(), e.meta(), e.data())))
          .isEqualTo(e);
      assertThat(EventCodec.decodeMeta(EventCodec.encodeMeta(e.meta()))).isEqualTo(e.meta());
    }
  }

  @Test
  void aHugePayloadRoundTrips() {
    String data = "x\n".repeat(4 << 20);
    Event e = new Event("ch", 7, "big", data, T, EventMeta.rooms(List.of("r")));
    assertThat(EventCodec.decodeLive("ch", EventCodec.encodeLive(e, 6)).event()).isEqualTo(e);
    assertThat(
            EventCodec.decodeBody(
                "ch", 7, EventCodec.encodeBody(T.toEpochMilli(), "big", e.meta(), data)))
        .isEqualTo(e);
  }

  @Test
  void textItDidNotWriteIsRefusedWithTheReason() {
    assertThatThrownBy(() -> EventCodec.decodeMeta("nonsense"))
        .isInstanceOf(IllegalArgumentException.class);
    for (String s :
        List.of(
            "",
            "1",
            "1\n0\n5\n",
            "1\n0\n5\n99\nshort",
            "x\n0\n5\n1\na",
            "1\n0\n5\n1:9\nab",
            "0\n0\n5\n1\na",
            "99999999999999999999999\n0\n5\n1\na",
            "1\n0\n5\n-1\na")) {
      assertThatThrownBy(() -> EventCodec.decodeLive("ch", s))
          .as(s)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not a Herald event");
    }
    assertThatThrownBy(
            () ->
                EventCodec.decodeBody(
                    "ch", 1, "{\"foreign\":true}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static EventMeta meta(Random r) {
    if (r.nextInt(4) == 0) return EventMeta.NONE;
    List<String> rooms = new ArrayList<>();
    for (int n = r.nextInt(4); n > 0; n--) rooms.add(text(r));
    EventMeta.Origin origin =
        r.nextBoolean() ? null : new EventMeta.Origin(text(r), r.nextInt(), r.nextLong());
    return new EventMeta(rooms, origin);
  }

  /**
   * Empty, the delimiters the layouts use, escapes, digits, and any Unicode code point (in and out
   * of the BMP).
   */
  private static String text(Random r) {
    String[] pieces = {
      "\n", "\\", "\\n", ":", " ", "-", "0", "12", "{\"a\":\"b\"}", "\r\n", "é", "😀", "\u0000"
    };
    StringBuilder b = new StringBuilder();
    for (int n = r.nextInt(r.nextInt(10) == 0 ? 2000 : 12); n > 0; n--) {
      if (r.nextBoolean()) b.append(pieces[r.nextInt(pieces.length)]);
      else b.appendCodePoint(randomCodePoint(r));
    }
    return b.toString();
  }

  private static int randomCodePoint(Random r) {
    while (true) {
      int cp = r.nextInt(r.nextBoolean() ? 0x80 : Character.MAX_CODE_POINT + 1);
      if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        return cp; // a lone surrogate is no text
    }
  }
}
