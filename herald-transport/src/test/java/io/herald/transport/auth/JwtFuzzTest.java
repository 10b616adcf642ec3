package io.herald.transport.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;

/**
 * Coverage-guided fuzzing of the tokens clients present: any text, and tokens built from a fuzzed
 * header and payload with a fuzzed signature, are refused with {@link JwtVerifier.Rejected} (none
 * is signed with the secret), never with another exception.
 */
class JwtFuzzTest {
  private static final JwtVerifier VERIFIER =
      new JwtVerifier(
          "fuzzing-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(30),
          InstantSource.fixed(Instant.parse("2026-12-03T00:00:00Z")));
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  @FuzzTest(maxDuration = "10s")
  void tokens(FuzzedDataProvider data) {
    String token;
    if (data.consumeBoolean()) {
      token = data.consumeRemainingAsString();
    } else {
      String header = data.consumeString(200), payload = data.consumeString(400);
      token =
          B64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
              + "."
              + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
              + "."
              + B64.encodeToString(data.consumeRemainingAsBytes());
    }
    try {
      VERIFIER.verify(token);
      throw new AssertionError("a token no one signed was accepted: " + token);
    } catch (JwtVerifier.Rejected refused) {
      // the client's clear error
    }
  }
}
