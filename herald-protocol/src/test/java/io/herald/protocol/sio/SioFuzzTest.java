package io.herald.protocol.sio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.herald.protocol.envelope.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of what a Socket.IO client sends (scripts/fuzz.sh; regression inputs in the test run): any
 * text either decodes or is refused with a ProtocolException, never another exception; a decoded event survives
 * the server's own encoding and decodes back to the same name and arguments.
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
      SioEncoder.Encoded again = SioEncoder.event(e.nsp(), e.name(), e.args());
      assertThat(again.text()).startsWith("4");
      var back = (SioPacket.Event) SioPacket.decode(again.text().substring(1));
      if (!again.attachments().isEmpty()) Attachments.fill(back.args(), again.attachments());
      assertThat(back.name()).isEqualTo(e.name());
      assertThat(back.args()).isEqualTo(e.args());
    }
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
