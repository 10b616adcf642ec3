package io.herald.transport.eio;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * One polling POST body, read up to maxPayload on the request's own loop from the first moment (a
 * request whose body has already arrived cannot be read later) and handed on whole (a character may
 * straddle chunks).
 */
final class PostBody {
  private PostBody() {}

  /** The client announced a body over {@code max} (Content-Length): refuse it before reading. */
  static boolean announcedOver(HttpServerRequest req, int max) {
    String length = req.getHeader("Content-Length");
    return length != null
        && length.length() < 12
        && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > max;
  }

  /**
   * Reads the body: {@code whole} gets it once complete, or {@code tooLarge} runs once it grows
   * over {@code max} (the rest is not kept), or {@code abandoned} when the client goes away
   * mid-body.
   */
  static void read(
      HttpServerRequest req,
      int max,
      Consumer<Buffer> whole,
      Runnable tooLarge,
      Runnable abandoned) {
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(
        chunk -> {
          if (over[0]) return;
          if (body.length() + chunk.length() > max) {
            over[0] = true;
            tooLarge.run();
          } else {
            body.appendBuffer(chunk);
          }
        });
    req.exceptionHandler(e -> abandoned.run());
    req.endHandler(
        v -> {
          if (!over[0]) whole.accept(body);
        });
  }

  /**
   * 413 for a body over {@code max}. The rest of the body is read and dropped before the answer:
   * closing a connection with unread bytes makes the kernel reset it, and the client would lose the
   * 413.
   */
  static void refuse(HttpServerRequest req, int max) {
    req.handler(chunk -> {});
    req.endHandler(
        v ->
            req.response()
                .setStatusCode(413)
                .putHeader("content-type", "application/json")
                .end("{\"code\":3,\"message\":\"Payload over maxPayload (" + max + " bytes)\"}"));
  }
}
