package io.herald.service.telemetry;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One parked long poll. It registers as a waiter <em>before</em> its first read, so an event published between
 * the read and the parking still wakes it. Every wake re-reads the stream (events it may not see keep it parked);
 * the first read with events, the timeout or the client leaving ends it. Confined to the request's event loop.
 */
final class LongPoll implements Waiters.Waiter {
  private final Vertx vertx;
  private final Context context;
  private final Waiters waiters;
  private final VisibleReader reader;
  private final String stream;
  private final PollQuery query;
  private final Principal who;
  private final boolean filter;
  private final java.util.function.Function<VisibleReader.Result, io.vertx.core.Future<Void>> answer;
  private final Consumer<Throwable> fail;
  private EventId cursor;
  private boolean done;
  private boolean reading;
  private boolean again;
  private long timer;

  LongPoll(Vertx vertx, Context context, Waiters waiters, VisibleReader reader, String stream, PollQuery query, EventId cursor,
      Principal who, boolean filter, java.util.function.Function<VisibleReader.Result, io.vertx.core.Future<Void>> answer,
      Consumer<Throwable> fail) {
    this.vertx = vertx;
    this.context = context;
    this.waiters = waiters;
    this.reader = reader;
    this.stream = stream;
    this.query = query;
    this.cursor = cursor;
    this.who = who;
    this.filter = filter;
    this.answer = answer;
    this.fail = fail;
  }

  void start(Duration timeout) {
    waiters.add(stream, this);
    timer = vertx.setTimer(timeout.toMillis(), id -> finish(new VisibleReader.Result(java.util.List.of(),
        cursor == null ? EventId.ZERO : cursor, false, false)));
    attempt();
  }

  /** The client went away: stop waiting, answer nothing. */
  void cancel() {
    if (done) return;
    done = true;
    waiters.remove(stream, this);
    vertx.cancelTimer(timer);
  }

  @Override
  public void wake() {
    context.runOnContext(v -> attempt());
  }

  /** Shutdown: answered at once with what it has (nothing new), so clients poll again elsewhere. */
  @Override
  public io.vertx.core.Future<Void> shutdown() {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      if (done) {
        p.complete();
        return;
      }
      cancel();
      answer.apply(new VisibleReader.Result(java.util.List.of(), cursor == null ? EventId.ZERO : cursor, false, false)).onComplete(ar -> p.complete());
    });
    return p.future();
  }

  private void attempt() {
    if (done) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    reader.read(context, stream, cursor, query.limit(), who, filter).onComplete(ar -> {
      reading = false;
      if (done) return;
      if (ar.failed()) {
        cancel();
        fail.accept(ar.cause());
      } else if (!ar.result().events().isEmpty() || ar.result().missed()) {
        finish(ar.result());
      } else {
        cursor = ar.result().cursor();  // skip what this caller may not see
        if (again) {
          again = false;
          attempt();
        }
      }
    });
  }

  private void finish(VisibleReader.Result r) {
    if (done) return;
    cancel();
    answer.apply(r);
  }
}
