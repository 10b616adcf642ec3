package io.herald.service.telemetry;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.http.ApiError;
import io.herald.transport.http.ApiKey;
import io.herald.transport.http.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Who may call {@code /v1/internal/*}: with INTERNAL_API_KEY set, requests carrying it ({@code
 * X-API-Key: <key>} or {@code Authorization: Bearer <key>}); without it, loopback clients only, so
 * a forgotten key never opens the publish endpoints to the network. A request with a forwarding
 * header is not a direct loopback client, trusted proxy or not. A local proxy that adds no such
 * header cannot be told from a local client: set the key then.
 */
final class InternalAccess {
  private final ApiKey key;

  InternalAccess(Optional<String> key) {
    this.key = new ApiKey(key);
  }

  /** Null when allowed, else the error to answer. */
  ApiError check(HttpServerRequest req) {
    if (key.configured()) {
      if (key.presentedBy(req)) return null;
      return new ApiError(
          401,
          ErrorCode.UNAUTHORIZED,
          "internal endpoints need X-API-Key or Authorization: Bearer with INTERNAL_API_KEY");
    }
    // Direct local connections only: a forwarded request is not one, whoever forwarded it (a
    // trusted proxy too: its
    // header may name any address, loopback included).
    if (!TrustedProxies.forwarded(req)
        && isLoopback(req.remoteAddress() == null ? null : req.remoteAddress().host())) return null;
    return new ApiError(
        403,
        ErrorCode.FORBIDDEN,
        "internal endpoints are served to direct loopback clients only while INTERNAL_API_KEY is unset"
            + " (a request through a proxy is not one)");
  }

  private static boolean isLoopback(String host) {
    InetAddress a = host == null ? null : TrustedProxies.literal(host);
    return a != null && a.isLoopbackAddress();
  }
}
