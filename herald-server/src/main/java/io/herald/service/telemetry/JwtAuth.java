package io.herald.service.telemetry;

import com.nimbusds.jwt.JWTClaimsSet;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.auth.JwtVerifier.Rejected;
import io.herald.transport.http.ApiKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Telemetry's reading of a verified token ({@link JwtVerifier}): the user and their roles, ADMIN
 * among them or not.
 */
final class JwtAuth {
  private final JwtVerifier verifier;

  /**
   * @throws IllegalArgumentException when the secret is shorter than HS256's 256 bits
   */
  JwtAuth(byte[] secret, Duration leeway, InstantSource clock) {
    this.verifier = new JwtVerifier(secret, leeway, clock);
  }

  /** From an {@code Authorization} header value. */
  Principal verifyHeader(String authorization) throws Rejected {
    if (authorization == null || authorization.isBlank())
      throw new Rejected("missing Authorization: Bearer <token>");
    String token = ApiKey.bearer(authorization);
    if (token == null) throw new Rejected("Authorization must be 'Bearer <token>'");
    return verify(token);
  }

  Principal verify(String token) throws Rejected {
    JWTClaimsSet claims = verifier.verify(token);
    String user = JwtVerifier.userId(claims);
    if (user == null) throw new Rejected("token has neither userId nor sub");
    Set<String> roles = new LinkedHashSet<>();
    for (String name : new String[] {"roles", "role", "authorities"})
      collectRoles(claims.getClaim(name), roles);
    return new Principal(
        user, Set.copyOf(roles), roles.contains("ADMIN") || roles.contains("ROLE_ADMIN"));
  }

  /**
   * Roles come as a list, a comma-separated string, or Spring's {@code
   * [{"authority":"ROLE_ADMIN"}]}.
   */
  private static void collectRoles(Object claim, Set<String> into) {
    switch (claim) {
      case null -> {}
      case String s -> {
        for (String part : s.split("[,\\s]+")) if (!part.isBlank()) into.add(part.trim());
      }
      case Collection<?> c -> c.forEach(item -> collectRoles(item, into));
      case Map<?, ?> m -> collectRoles(m.get("authority"), into);
      default -> into.add(claim.toString());
    }
  }
}
