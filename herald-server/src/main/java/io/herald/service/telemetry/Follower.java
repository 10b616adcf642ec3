package io.herald.service.telemetry;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * One caller following one stream: a parked long poll or an SSE stream. It registers as a waiter
 * <em>before</em> its first read, so an event published between the read and the registration still
 * wakes it. Each wake reads after its cursor, one read at a time (a wake during a read reads again
 * once it is done), on the request's event loop, to which everything here is confined.
 */
abstract class Follower implements Waiters.Waiter {
  /** What a follower reads, for whom, and where its callbacks run. */
  record Target(
      Context context,
      Waiters waiters,
      VisibleReader reader,
      String stream,
      Principal who,
      boolean filter) {}

  protected final Target target;
  protected EventId cursor;
  private final int limit;
  private boolean ended;
  private boolean reading;
  private boolean again;

  Follower(Target target, EventId cursor, int limit) {
    this.target = target;
    this.cursor = cursor;
    this.limit = limit;
  }

  /** Registers, then reads once: from here on every event of the stream wakes it. */
  protected final void follow() {
    target.waiters().add(target.stream(), this);
    read();
  }

  @Override
  public final void wake() {
    target.context().runOnContext(v -> read());
  }

  protected final boolean ended() {
    return ended;
  }

  /** Stops following; true when this call is the one that ended it. */
  protected final boolean end() {
    if (ended) return false;
    ended = true;
    target.waiters().remove(target.stream(), this);
    onEnd();
    return true;
  }

  /** Releases what the follower holds (timers) when it ends, whatever ended it. */
  protected void onEnd() {}

  @Override
  public final Future<Void> shutdown() {
    Promise<Void> p = Promise.promise();
    target
        .context()
        .runOnContext(
            v -> {
              if (ended) p.complete();
              else closeForShutdown().onComplete(ar -> p.complete());
            });
    return p.future();
  }

  /**
   * The server is stopping and this follower has not ended: end it and answer or close, completing
   * when written.
   */
  protected abstract Future<Void> closeForShutdown();

  /**
   * A read's result (the cursor is the follower's to move); returns whether to read again at once.
   */
  protected abstract boolean handle(VisibleReader.Result r);

  /** The store failed a read. */
  protected abstract void failed(Throwable e);

  private void read() {
    if (ended) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    target
        .reader()
        .read(target.context(), target.stream(), cursor, limit, target.who(), target.filter())
        .onComplete(
            ar -> {
              reading = false;
              if (ended) return;
              if (ar.failed()) {
                failed(ar.cause());
                return;
              }
              boolean more = handle(ar.result());
              if (!ended && (more || again)) read();
            });
  }
}
