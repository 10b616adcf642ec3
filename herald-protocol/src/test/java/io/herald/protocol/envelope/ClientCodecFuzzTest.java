package io.herald.protocol.envelope;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of push-hub's client messages: decoded or refused with a
 * ProtocolException, nothing else.
 */
class ClientCodecFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void clientMessages(FuzzedDataProvider data) {
    try {
      ClientCodec.decode(data.consumeRemainingAsString());
    } catch (ProtocolException refused) {
      // a clear error to the client
    }
  }
}
