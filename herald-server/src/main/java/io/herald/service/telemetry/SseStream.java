package io.herald.service.telemetry;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * One Server-Sent Events stream: every event of its stream the caller may see, as it happens, each as
 * {@code id: <eventId>} and {@code data: <event JSON>}; a comment line every heartbeat while idle; resumable
 * with {@code Last-Event-ID}. When events after the client's id were dropped it first gets an {@code event:
 * missed} message. A client that does not read is closed (it reconnects with {@code Last-Event-ID}) rather than
 * buffered without bound. Confined to the request's event loop.
 */
final class SseStream implements Waiters.Waiter {
  private static final int PAGE = 100;
  private final Vertx vertx;
  private final Context context;
  private final HttpServerResponse response;
  private final Waiters waiters;
  private final VisibleReader reader;
  private final String stream;
  private final Principal who;
  private final boolean filter;
  private EventId cursor;
  private boolean closed;
  private boolean reading;
  private boolean again;
  private long heartbeat;

  SseStream(Vertx vertx, Context context, HttpServerResponse response, Waiters waiters, VisibleReader reader, String stream,
      EventId cursor, Principal who, boolean filter) {
    this.vertx = vertx;
    this.context = context;
    this.response = response;
    this.waiters = waiters;
    this.reader = reader;
    this.stream = stream;
    this.cursor = cursor;
    this.who = who;
    this.filter = filter;
  }

  void start(Duration heartbeatEvery) {
    response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.write("retry: 3000\n\n");
    response.closeHandler(v -> stop());
    response.exceptionHandler(e -> stop());
    heartbeat = vertx.setPeriodic(heartbeatEvery.toMillis(), id -> {
      if (!closed) response.write(": keep-alive\n\n");
    });
    waiters.add(stream, this);
    attempt();
  }

  @Override
  public void wake() {
    context.runOnContext(v -> attempt());
  }

  /** Shutdown: the stream ends cleanly; an EventSource reconnects (elsewhere) with its Last-Event-ID. */
  @Override
  public io.vertx.core.Future<Void> shutdown() {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      if (closed) {
        p.complete();
        return;
      }
      stop();
      response.end().onComplete(ar -> p.complete());
    });
    return p.future();
  }

  private void attempt() {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    reader.read(context, stream, cursor, PAGE, who, filter).onComplete(ar -> {
      reading = false;
      if (closed) return;
      if (ar.failed()) {  // the store is down: the client reconnects with Last-Event-ID and misses nothing
        close();
        return;
      }
      VisibleReader.Result r = ar.result();
      StringBuilder b = new StringBuilder();
      if (r.missed()) b.append("event: missed\ndata: {\"lastEventId\":\"").append(cursor == null ? EventId.ZERO : cursor).append("\"}\n\n");
      for (TelemetryEvent e : r.events()) b.append("id: ").append(e.id()).append("\ndata: ").append(e.json()).append("\n\n");
      cursor = r.cursor();
      if (!b.isEmpty()) response.write(b.toString());
      if (response.writeQueueFull()) {
        close();  // slow consumer: bounded memory; it resumes from its Last-Event-ID
      } else if (r.more() || again) {
        again = false;
        attempt();
      }
    });
  }

  private void close() {
    stop();
    response.reset();
  }

  private void stop() {
    if (closed) return;
    closed = true;
    vertx.cancelTimer(heartbeat);
    waiters.remove(stream, this);
  }
}
