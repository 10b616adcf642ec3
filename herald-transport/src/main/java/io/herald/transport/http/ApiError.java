package io.herald.transport.http;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.json.Json;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * An HTTP error answered with a JSON body {@code {"error":"<code>","message":"<text>"}}. Messages
 * never contain secrets: they name the field or the rule, not the value a client sent for a key.
 */
public record ApiError(int status, ErrorCode code, String message, String field) {
  public ApiError(int status, ErrorCode code, String message) {
    this(status, code, message, null);
  }

  public static ApiError badRequest(ErrorCode code, String message) {
    return new ApiError(400, code, message);
  }

  /**
   * A 400 about one input field, named in the body as {@code "field"} so clients need not parse the
   * message.
   */
  public static ApiError badField(String field, String message) {
    return new ApiError(400, ErrorCode.INVALID_MESSAGE, message, field);
  }

  public String body() {
    return "{\"error\":\""
        + code.wire()
        + "\""
        + (field == null ? "" : ",\"field\":" + Json.quote(field))
        + ",\"message\":"
        + Json.quote(message)
        + "}";
  }

  public void send(RoutingContext ctx) {
    send(ctx.response());
  }

  public void send(HttpServerResponse response) {
    if (response.ended()) return;
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body());
  }
}
