package io.herald.service.telemetry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.transport.http.ApiKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the bearer tokens a Spring Boot application issues (jjwt or Spring Security): HMAC-SHA256/384/512
 * with the shared secret. Any other algorithm, {@code none} included, is refused before the signature is looked
 * at, so a token cannot choose how it is checked. {@code exp} and {@code nbf} are checked with a small leeway.
 */
final class JwtAuth {
  private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

  /** Why a token was refused; the message is safe to return (it never echoes the token or the secret). */
  static final class Rejected extends Exception {
    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  private final MACVerifier verifier;
  private final Duration leeway;
  private final InstantSource clock;

  /** @throws IllegalArgumentException when the secret is shorter than HS256's 256 bits */
  JwtAuth(byte[] secret, Duration leeway, InstantSource clock) {
    try {
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT_SECRET must be at least 32 bytes (256 bits, the HS256 minimum)");
    }
    this.leeway = leeway;
    this.clock = clock;
  }

  /** From an {@code Authorization} header value. */
  Principal verifyHeader(String authorization) throws Rejected {
    if (authorization == null || authorization.isBlank()) throw new Rejected("missing Authorization: Bearer <token>");
    String token = ApiKey.bearer(authorization);
    if (token == null) throw new Rejected("Authorization must be 'Bearer <token>'");
    return verify(token);
  }

  Principal verify(String token) throws Rejected {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new Rejected("malformed token");
    }
    if (!ALLOWED.contains(jwt.getHeader().getAlgorithm())) throw new Rejected("token algorithm not accepted (HS256, HS384 or HS512 only)");
    try {
      if (!jwt.verify(verifier)) throw new Rejected("bad signature");
    } catch (JOSEException e) {
      throw new Rejected("bad signature");  // also: the secret is too short for the token's algorithm
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Rejected("malformed claims");
    }
    long now = clock.millis(), skew = leeway.toMillis();
    Date exp = claims.getExpirationTime(), nbf = claims.getNotBeforeTime();
    if (exp != null && now > exp.getTime() + skew) throw new Rejected("token expired");
    if (nbf != null && now < nbf.getTime() - skew) throw new Rejected("token not valid yet");
    String user = string(claims.getClaim("userId"));
    if (user == null) user = claims.getSubject();
    if (user == null || user.isBlank()) throw new Rejected("token has neither userId nor sub");
    Set<String> roles = new LinkedHashSet<>();
    for (String name : new String[] {"roles", "role", "authorities"}) collectRoles(claims.getClaim(name), roles);
    return new Principal(user, Set.copyOf(roles), roles.contains("ADMIN") || roles.contains("ROLE_ADMIN"));
  }

  private static String string(Object o) {
    return o == null ? null : o.toString();
  }

  /** Roles come as a list, a comma-separated string, or Spring's {@code [{"authority":"ROLE_ADMIN"}]}. */
  private static void collectRoles(Object claim, Set<String> into) {
    switch (claim) {
      case null -> { }
      case String s -> {
        for (String part : s.split("[,\\s]+")) if (!part.isBlank()) into.add(part.trim());
      }
      case Collection<?> c -> c.forEach(item -> collectRoles(item, into));
      case Map<?, ?> m -> collectRoles(m.get("authority"), into);
      default -> into.add(claim.toString());
    }
  }
}
