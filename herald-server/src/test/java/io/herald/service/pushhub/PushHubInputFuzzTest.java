package io.herald.service.pushhub;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.transport.http.QueryParams;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Coverage-guided fuzzing of push-hub's HTTP inputs: broadcast bodies, and request URIs as the HTTP
 * layer decodes them with the {@code ?since=} position read from them. Parsed or refused with a
 * ProtocolException (a 400), nothing else.
 */
class PushHubInputFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void broadcastBodies(FuzzedDataProvider data) {
    try {
      BroadcastRequest.parse(data.consumeRemainingAsBytes(), Instant.EPOCH);
    } catch (ProtocolException refused) {
      // 400 with a JSON body
    }
  }

  @FuzzTest(maxDuration = "10s")
  void queryParameters(FuzzedDataProvider data) {
    QueryStringDecoder uri;
    try {
      uri =
          new QueryStringDecoder("/ws?" + data.consumeRemainingAsString(), StandardCharsets.UTF_8);
      uri.parameters();
    } catch (
        IllegalArgumentException
            malformed) { // a bad %-escape: the HTTP layer answers 400 before any route
      return;
    }
    for (String name : List.of("since", "since_seq")) {
      List<String> values = uri.parameters().get(name);
      try {
        QueryParams.position(values == null ? null : values.getFirst(), name);
      } catch (ProtocolException refused) {
        // 400 naming the parameter
      }
    }
  }
}
