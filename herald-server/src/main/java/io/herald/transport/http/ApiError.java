package io.herald.transport.http;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.json.Json;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * An HTTP error answered with a JSON body {@code {"error":"<code>","message":"<text>"}}. Messages never contain
 * secrets: they name the field or the rule, not the value a client sent for a key.
 */
public record ApiError(int status, ErrorCode code, String message) {
  public static ApiError badRequest(ErrorCode code, String message) {
    return new ApiError(400, code, message);
  }

  public String body() {
    return "{\"error\":\"" + code.wire() + "\",\"message\":" + Json.quote(message) + "}";
  }

  public void send(RoutingContext ctx) {
    send(ctx.response());
  }

  public void send(HttpServerResponse response) {
    if (response.ended()) return;
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body());
  }
}
