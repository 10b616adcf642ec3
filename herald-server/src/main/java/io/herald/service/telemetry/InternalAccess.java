package io.herald.service.telemetry;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.http.ApiError;
import io.herald.transport.http.ApiKey;
import io.herald.transport.http.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Who may call {@code /v1/internal/*}: with INTERNAL_API_KEY set, requests carrying it ({@code X-API-Key: <key>}
 * or {@code Authorization: Bearer <key>}); without it, loopback clients only, so a forgotten key never opens
 * the publish endpoints to the network. A loopback peer that forwards for someone else (a forwarding header from a
 * proxy not in HERALD_TRUSTED_PROXIES) is not a loopback client.
 */
final class InternalAccess {
  private final ApiKey key;
  private final TrustedProxies proxies;

  InternalAccess(Optional<String> key, TrustedProxies proxies) {
    this.key = new ApiKey(key);
    this.proxies = proxies;
  }

  /** Null when allowed, else the error to answer. */
  ApiError check(HttpServerRequest req) {
    if (key.configured()) {
      if (key.presentedBy(req)) return null;
      return new ApiError(401, ErrorCode.UNAUTHORIZED, "internal endpoints need X-API-Key or Authorization: Bearer with INTERNAL_API_KEY");
    }
    // Through a proxy Herald does not trust (a local nginx makes every client look like loopback): no loopback pass.
    if (!proxies.untrustedForward(req) && isLoopback(proxies.client(req))) return null;
    return new ApiError(403, ErrorCode.FORBIDDEN, "internal endpoints are served to loopback clients only while INTERNAL_API_KEY is unset"
        + " (a request forwarded by a proxy counts only when the proxy is in HERALD_TRUSTED_PROXIES)");
  }

  /** The peer's address is always a literal: never a name lookup on the event loop. */
  private static boolean isLoopback(String host) {
    if (host == null) return false;
    try {
      return InetAddress.ofLiteral(host).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
