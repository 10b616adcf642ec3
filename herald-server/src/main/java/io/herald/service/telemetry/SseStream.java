package io.herald.service.telemetry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * One Server-Sent Events stream: every event of its stream the caller may see, as it happens, each
 * as {@code id: <eventId>} and {@code data: <event JSON>}; a comment line every heartbeat while
 * idle; resumable with {@code Last-Event-ID}. When events after the client's id were dropped it
 * first gets an {@code event: missed} message. A client that does not read is closed (it reconnects
 * with {@code Last-Event-ID}) rather than buffered without bound.
 */
final class SseStream extends Follower {
  private static final int PAGE = 100;
  private final Vertx vertx;
  private final HttpServerResponse response;
  private long heartbeat;

  SseStream(Vertx vertx, Target target, HttpServerResponse response, EventId cursor) {
    super(target, cursor, PAGE);
    this.vertx = vertx;
    this.response = response;
  }

  void start(Duration heartbeatEvery) {
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.write("retry: 3000\n\n");
    response.closeHandler(v -> end());
    response.exceptionHandler(e -> end());
    heartbeat =
        vertx.setPeriodic(
            heartbeatEvery.toMillis(),
            id -> {
              if (!ended()) response.write(": keep-alive\n\n");
            });
    follow();
  }

  @Override
  protected void onEnd() {
    vertx.cancelTimer(heartbeat);
  }

  @Override
  protected boolean handle(VisibleReader.Result r) {
    StringBuilder b = new StringBuilder();
    if (r.missed())
      b.append("event: missed\ndata: {\"lastEventId\":\"")
          .append(cursor == null ? EventId.ZERO : cursor)
          .append("\"}\n\n");
    for (TelemetryEvent e : r.events())
      b.append("id: ").append(e.id()).append("\ndata: ").append(e.json()).append("\n\n");
    cursor = r.cursor();
    if (!b.isEmpty()) response.write(b.toString());
    if (response
        .writeQueueFull()) { // slow consumer: bounded memory; it resumes from its Last-Event-ID
      failed(null);
      return false;
    }
    return r.more();
  }

  /**
   * A store failure or a client that stopped reading: closed; the client reconnects with
   * Last-Event-ID.
   */
  @Override
  protected void failed(Throwable e) {
    end();
    response.reset();
  }

  /**
   * Shutdown: the stream ends cleanly; an EventSource reconnects (elsewhere) with its
   * Last-Event-ID.
   */
  @Override
  protected Future<Void> closeForShutdown() {
    end();
    return response.end();
  }
}
