package io.herald.service.reportlistener;

import io.herald.util.Backoff;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client resuming with {@code ?since_seq=N}: the reports after N, read from the table, then live
 * batches, with no gap and no duplicate at the seam.
 *
 * <p>Two phases. The bulk runs on its own virtual thread and reads only up to the tail's frontier,
 * where every report is final; it waits for the client to take each batch. The seam runs on the
 * tail's thread between two broadcasts ({@link #finish}): it sends the reports above the bulk that
 * the tail has already broadcast (never one still in an open gap: that one will come live), then
 * subscribes the client. Both together send at most {@code maxReplay} reports; past that the {@code
 * replay} message says the replay was cut.
 */
final class ReportReplay {
  private static final Logger LOG = LoggerFactory.getLogger(ReportReplay.class);

  private final ReportClient client;
  private final ReportStore store;
  private final ReportTail tail;
  private final long since;
  private final int maxReplay;
  private final int batchMax;
  private long after;
  private int sent;

  ReportReplay(
      ReportClient client,
      ReportStore store,
      ReportTail tail,
      long since,
      int maxReplay,
      int batchMax) {
    this.client = client;
    this.store = store;
    this.tail = tail;
    this.since = since;
    this.maxReplay = maxReplay;
    this.batchMax = batchMax;
    this.after = since;
  }

  void start() {
    Thread.ofVirtual().name("report-replay").start(this::bulk);
  }

  private void bulk() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    try {
      while (client.isOpen() && sent < maxReplay) {
        long frontier = tail.frontier();
        if (after >= frontier) break;
        List<ReportRow> rows;
        try {
          tail.replayReaders().acquire();
          try {
            rows = store.range(after, frontier, Math.min(batchMax, maxReplay - sent));
          } finally {
            tail.replayReaders().release();
          }
        } catch (SQLException e) {
          Duration wait = backoff.next();
          LOG.debug("replay read failed, retrying in {}: {}", wait, e.toString());
          Thread.sleep(wait);
          continue;
        }
        backoff.reset(); // a failure long ago must not lengthen the wait after the next one
        if (rows.isEmpty()) break;
        if (!client.sendPaced(rows).join()) return;
        sent += rows.size();
        after = rows.getLast().seq();
      }
    } catch (InterruptedException e) {
      return;
    }
    if (client.isOpen()) tail.handOver(this);
  }

  /** The seam. Runs on the tail's thread, between two broadcasts, with the tail's current state. */
  void finish(ReportStore s, GapTracker t) throws SQLException {
    if (!client.isOpen()) return;
    List<ReportRow> rows = new ArrayList<>();
    boolean cut = false;
    long from = after, top = t.highest();
    while (!cut && from < top) {
      List<ReportRow> page = s.range(from, top, batchMax);
      if (page.isEmpty()) break;
      for (ReportRow r : page) {
        if (!t.broadcast(r.seq())) continue; // still in an open gap: it will come live
        if (sent + rows.size() >= maxReplay) {
          cut = true;
          break;
        }
        rows.add(r);
      }
      from = page.getLast().seq();
    }
    for (int i = 0; i < rows.size(); i += batchMax) {
      client.send(
          ReportBatch.TYPE, ReportBatch.data(rows.subList(i, Math.min(rows.size(), i + batchMax))));
    }
    long last = rows.isEmpty() ? after : rows.getLast().seq();
    client.send("replay", ReportBatch.replayEnd(since, sent + rows.size(), !cut, last));
    client.subscribe();
  }
}
