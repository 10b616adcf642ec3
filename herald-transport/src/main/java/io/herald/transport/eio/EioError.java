package io.herald.transport.eio;

import io.vertx.core.http.HttpServerResponse;

/**
 * Engine.IO's handshake errors, as its Node server writes them: {@code {"code":N,"message":"..."}}.
 */
enum EioError {
  TRANSPORT_UNKNOWN(0, "Transport unknown"),
  UNKNOWN_SID(1, "Session ID unknown"),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
  BAD_REQUEST(3, "Bad request"),
  FORBIDDEN(4, "Forbidden"),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

  final int code;
  final String message;

  EioError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  void send(HttpServerResponse response) {
    response
        .setStatusCode(this == FORBIDDEN ? 403 : 400)
        .putHeader("content-type", "application/json")
        .end("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
  }
}
