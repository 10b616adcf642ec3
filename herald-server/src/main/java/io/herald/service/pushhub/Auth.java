package io.herald.service.pushhub;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.http.ApiError;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The API key check for the broadcast endpoint: {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. */
final class Auth {
  private final Optional<byte[]> key;

  Auth(Optional<String> key) {
    this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8));
  }

  void check(RoutingContext rc) {
    if (key.isEmpty() || matches(presented(rc))) {
      rc.next();
      return;
    }
    rc.response().putHeader("WWW-Authenticate", "Bearer");
    new ApiError(401, ErrorCode.UNAUTHORIZED, "missing or wrong API key (send Authorization: Bearer <key> or X-API-Key)").send(rc);
  }

  private static String presented(RoutingContext rc) {
    String h = rc.request().getHeader("X-API-Key");
    if (h != null) return h;
    String a = rc.request().getHeader("Authorization");
    return a != null && a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
  }

  /** Constant-time, so the key cannot be guessed byte by byte from response times. */
  private boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(key.get(), presented.getBytes(StandardCharsets.UTF_8));
  }
}
