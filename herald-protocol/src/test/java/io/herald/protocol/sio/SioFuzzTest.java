package io.herald.protocol.sio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.herald.protocol.envelope.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of what a Socket.IO client sends (scripts/fuzz.sh; regression inputs in
 * the test run): any text either decodes or is refused with a ProtocolException, never another
 * exception; a decoded event survives the server's own encoding and decodes back to the same name
 * and arguments.
 */
class SioFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void socketIoPackets(FuzzedDataProvider data) throws Exception {
    int binaries = data.consumeInt(0, 3);
    List<byte[]> attachments = new ArrayList<>();
    for (int i = 0; i < binaries; i++) attachments.add(data.consumeBytes(8));
    SioPacket p;
    try {
      p = SioPacket.decode(data.consumeRemainingAsString());
    } catch (ProtocolException refused) {
      return;
    }
    if (p instanceof SioPacket.Event e) {
      try {
        if (e.attachments() > 0) Attachments.fill(e.args(), attachments);
      } catch (ProtocolException refused) {
        return;
      }
      // The server's encoding is a fixed point: what it writes decodes to what it writes again.
      // (Not equal to the
      // input in every case: 1e999 is a double, Infinity, written as the string "Infinity", as JSON
      // has no infinity.)
      SioEncoder.Encoded first = SioEncoder.event(e.nsp(), e.name(), e.args());
      assertThat(first.text()).startsWith("4");
      // A placeholder may be used many times: the server then writes one attachment per use, and
      // Herald reads at most 256.
      if (first.attachments().size() > SioPacket.MAX_ATTACHMENTS) return;
      SioEncoder.Encoded second = reencoded(first);
      assertThat(second.text()).isEqualTo(first.text());
      assertThat(second.attachments()).hasSameSizeAs(first.attachments());
      for (int i = 0; i < first.attachments().size(); i++)
        assertThat(second.attachments().get(i)).isEqualTo(first.attachments().get(i));
    }
  }

  private static SioEncoder.Encoded reencoded(SioEncoder.Encoded packet) throws ProtocolException {
    var back = (SioPacket.Event) SioPacket.decode(packet.text().substring(1));
    if (!packet.attachments().isEmpty()) Attachments.fill(back.args(), packet.attachments());
    assertThat(back.attachments()).isEqualTo(packet.attachments().size());
    return SioEncoder.event(back.nsp(), back.name(), back.args());
  }

  @FuzzTest(maxDuration = "10s")
  void engineIoPayloads(FuzzedDataProvider data) throws Exception {
    List<EioPacket> packets;
    try {
      packets = EioPacket.decodePayload(data.consumeRemainingAsString());
    } catch (ProtocolException refused) {
      return;
    }
    for (EioPacket p : packets) assertThat(EioPacket.decode(EioPacket.encode(p))).isEqualTo(p);
  }
}
