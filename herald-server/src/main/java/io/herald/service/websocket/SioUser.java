package io.herald.service.websocket;

import com.nimbusds.jwt.JWTClaimsSet;
import io.herald.transport.auth.JwtVerifier;

/**
 * Who is on a socket: the token's {@code userId} (or {@code sub}), {@code email} and {@code role},
 * or anonymous.
 */
record SioUser(String userId, String email, String role) {
  static final SioUser ANONYMOUS = new SioUser(null, null, null);

  boolean anonymous() {
    return userId == null;
  }

  boolean admin() {
    return "admin".equalsIgnoreCase(role);
  }

  /** Null when the token names no user. */
  static SioUser of(JWTClaimsSet claims) {
    String user = JwtVerifier.userId(claims);
    return user == null
        ? null
        : new SioUser(user, str(claims.getClaim("email")), str(claims.getClaim("role")));
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
