package io.herald.transport.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A shared secret a caller presents as {@code X-API-Key: <key>} or {@code Authorization: Bearer
 * <key>}, compared in constant time so that it cannot be guessed byte by byte from response times.
 * Empty: no key configured.
 */
public final class ApiKey {
  private final Optional<byte[]> key;

  public ApiKey(Optional<String> key) {
    this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8));
  }

  public boolean configured() {
    return key.isPresent();
  }

  /** Whether {@code req} may pass: no key is configured, or it carries the key. */
  public boolean admits(HttpServerRequest req) {
    return !configured() || presentedBy(req);
  }

  /** Whether {@code req} carries the key; false when none is configured. */
  public boolean presentedBy(HttpServerRequest req) {
    String given = req.getHeader("X-API-Key");
    if (given == null) given = bearer(req.getHeader("Authorization"));
    return key.isPresent()
        && given != null
        && MessageDigest.isEqual(key.get(), given.getBytes(StandardCharsets.UTF_8));
  }

  /** What a caller without the key is told (never the key). */
  public static final String REFUSED =
      "missing or wrong API key (send Authorization: Bearer <key> or X-API-Key)";

  /**
   * A route handler: passes admitted requests on; for the others sets {@code WWW-Authenticate:
   * Bearer} and lets {@code refuse} answer 401 in its service's error shape.
   */
  public Handler<RoutingContext> guard(Consumer<RoutingContext> refuse) {
    return rc -> {
      if (admits(rc.request())) {
        rc.next();
        return;
      }
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      refuse.accept(rc);
    };
  }

  /** Whether a key is set, never the key: a configuration record holding this may be logged. */
  @Override
  public String toString() {
    return configured() ? "ApiKey[***]" : "ApiKey[none]";
  }

  /**
   * The credential of an {@code Authorization: Bearer <credential>} header value, or null for
   * another scheme.
   */
  public static String bearer(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim()
        : null;
  }
}
