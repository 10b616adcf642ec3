package io.herald.transport.http;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import io.vertx.core.http.HttpServerRequest;

/** Query parameters shared by several routes, checked the same way everywhere. */
public final class QueryParams {
  private QueryParams() {}

  /**
   * A resume position such as {@code ?since=N} or {@code ?since_seq=N}: a non-negative integer, or
   * -1 when absent.
   *
   * @throws ProtocolException naming the parameter, for a 400 before any upgrade
   */
  public static long position(HttpServerRequest req, String name) throws ProtocolException {
    return position(req.getParam(name), name);
  }

  /**
   * {@link #position(HttpServerRequest, String)} for the parameter's raw value (null when absent).
   */
  public static long position(String raw, String name) throws ProtocolException {
    if (raw == null || raw.isEmpty()) return -1;
    try {
      long v = Long.parseLong(raw);
      if (v >= 0) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ProtocolException(
        ErrorCode.INVALID_MESSAGE, "query parameter '" + name + "' must be a non-negative integer");
  }
}
