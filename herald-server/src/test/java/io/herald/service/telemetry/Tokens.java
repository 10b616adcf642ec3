package io.herald.service.telemetry;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.herald.testkit.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** JWTs minted the way a Spring Boot application signs them, for the tests. */
final class Tokens {
  static final String SECRET = "test-secret-of-at-least-sixty-four-bytes-so-that-hs512-signs-too!";

  private Tokens() {}

  static String user(String id) {
    return sign(
        JWSAlgorithm.HS256,
        SECRET,
        Map.of("sub", id, "roles", List.of("USER")),
        Instant.now().plusSeconds(600));
  }

  static String admin(String id) {
    return sign(
        JWSAlgorithm.HS512,
        SECRET,
        Map.of("sub", id, "roles", List.of("ADMIN")),
        Instant.now().plusSeconds(600));
  }

  static String sign(JWSAlgorithm alg, String secret, Map<String, Object> claims, Instant exp) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    claims.forEach(b::claim);
    if (exp != null) b.expirationTime(Date.from(exp));
    return Jwts.sign(alg.getName(), secret, b.build().toJSONObject());
  }

  /** {@code alg: none}: an unsigned token, which must never be accepted. */
  static String unsigned(String sub) {
    Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
    return e.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + e.encodeToString(
            ("{\"sub\":\"" + sub + "\",\"roles\":[\"ADMIN\"]}").getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }
}
