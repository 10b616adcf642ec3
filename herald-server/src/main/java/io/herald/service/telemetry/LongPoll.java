package io.herald.service.telemetry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One parked long poll. Events it may not see keep it parked (its cursor moves past them); the
 * first read with events it may see, the timeout, the client leaving or shutdown ends it.
 */
final class LongPoll extends Follower {
  private final Vertx vertx;
  private final Function<VisibleReader.Result, Future<Void>> answer;
  private final Consumer<Throwable> fail;
  private long timer;

  LongPoll(
      Vertx vertx,
      Target target,
      EventId cursor,
      int limit,
      Function<VisibleReader.Result, Future<Void>> answer,
      Consumer<Throwable> fail) {
    super(target, cursor, limit);
    this.vertx = vertx;
    this.answer = answer;
    this.fail = fail;
  }

  void start(Duration timeout) {
    timer = vertx.setTimer(timeout.toMillis(), id -> finish(nothingNew()));
    follow();
  }

  /** The client went away: stop waiting, answer nothing. */
  void cancel() {
    end();
  }

  @Override
  protected void onEnd() {
    vertx.cancelTimer(timer);
  }

  @Override
  protected boolean handle(VisibleReader.Result r) {
    if (!r.events().isEmpty() || r.missed()) finish(r);
    else cursor = r.cursor(); // skip what this caller may not see
    return false;
  }

  @Override
  protected void failed(Throwable e) {
    end();
    fail.accept(e);
  }

  /** Shutdown: answered at once with what it has (nothing new), so clients poll again elsewhere. */
  @Override
  protected Future<Void> closeForShutdown() {
    end();
    return answer.apply(nothingNew());
  }

  private void finish(VisibleReader.Result r) {
    if (end()) answer.apply(r);
  }

  private VisibleReader.Result nothingNew() {
    return new VisibleReader.Result(
        List.of(), cursor == null ? EventId.ZERO : cursor, false, false);
  }
}
