package io.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of what an engine reads back (a pub/sub message, a JetStream body, a
 * stream entry's meta field), which another program on the same Redis or NATS may have written:
 * whatever the bytes, the decoder returns an event or throws its documented
 * IllegalArgumentException, and what it returns survives encoding it again. Without JAZZER_FUZZ=1
 * this runs the seeds in EventCodecFuzzTestInputs; with it, Jazzer explores for 10 s.
 */
class EventCodecFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void anyBytes(FuzzedDataProvider data) {
    int layout = data.consumeInt(0, 2);
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      switch (layout) {
        case 0 -> {
          EventCodec.Live live =
              EventCodec.decodeLive("ch", new String(bytes, StandardCharsets.UTF_8));
          assertThat(EventCodec.decodeLive("ch", EventCodec.encodeLive(live.event(), live.prev())))
              .isEqualTo(live);
        }
        case 1 -> {
          Event e = EventCodec.decodeBody("ch", 1, bytes);
          assertThat(
                  EventCodec.decodeBody(
                      "ch",
                      1,
                      EventCodec.encodeBody(e.time().toEpochMilli(), e.type(), e.meta(), e.data())))
              .isEqualTo(e);
        }
        default -> {
          EventMeta m = EventCodec.decodeMeta(new String(bytes, StandardCharsets.UTF_8));
          assertThat(EventCodec.decodeMeta(EventCodec.encodeMeta(m))).isEqualTo(m);
        }
      }
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank(); // refused with a reason
    }
  }
}
