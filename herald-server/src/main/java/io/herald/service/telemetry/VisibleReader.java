package io.herald.service.telemetry;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stream for one caller: on a shared stream (an event type's) only the events the caller
 * may see. The cursor moves past events it may not see, so the next read does not scan them again.
 */
final class VisibleReader {
  /** At most this many store pages per request, so one request never scans a whole stream. */
  private static final int MAX_PAGES = 10;

  /**
   * @param cursor the id to continue after next time (the last event scanned, sent or not)
   * @param missed events after the requested id were dropped before they could be read
   */
  record Result(List<TelemetryEvent> events, EventId cursor, boolean missed, boolean more) {}

  private final EventStore store;

  VisibleReader(EventStore store) {
    this.store = store;
  }

  /** Completes on {@code context}. */
  Future<Result> read(
      Context context, String stream, EventId after, int limit, Principal who, boolean filter) {
    Promise<Result> p = Promise.promise();
    step(context, stream, after, limit, who, filter, new ArrayList<>(), after, false, 0, p);
    return p.future();
  }

  private void step(
      Context ctx,
      String stream,
      EventId after,
      int limit,
      Principal who,
      boolean filter,
      List<TelemetryEvent> acc,
      EventId cursor,
      boolean missed,
      int pages,
      Promise<Result> p) {
    store
        .read(stream, cursor, limit)
        .whenComplete(
            (page, err) ->
                ctx.runOnContext(
                    v -> {
                      if (err != null) {
                        p.fail(err);
                        return;
                      }
                      EventId c = cursor;
                      int taken = 0;
                      for (TelemetryEvent e : page.events()) {
                        if (acc.size() == limit) break;
                        taken++;
                        c = e.id();
                        if (!filter || e.visibleTo(who)) acc.add(e);
                      }
                      boolean more = page.more() || taken < page.events().size();
                      boolean m = missed || page.missed();
                      if (more && acc.size() < limit && pages + 1 < MAX_PAGES) {
                        step(ctx, stream, after, limit, who, filter, acc, c, m, pages + 1, p);
                      } else {
                        p.complete(
                            new Result(List.copyOf(acc), c == null ? EventId.ZERO : c, m, more));
                      }
                    }));
  }
}
