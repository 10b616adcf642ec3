package io.herald.service.reportlistener;

import io.herald.core.hub.Hub;
import io.herald.store.mysql.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails {@code reports} on a virtual thread: each interval one indexed range query for rows above the highest
 * broadcast seq (plus one per open gap, rare), publishes them as batches of at most {@code batchMax}, then moves
 * the checkpoint. A full batch means a backlog, and the next query runs at once. Database failures are retried
 * with capped backoff; clients stay connected meanwhile.
 */
final class ReportTail {
  private static final Logger LOG = LoggerFactory.getLogger(ReportTail.class);
  static final String CHANNEL = "reports";
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final ReportListenerConfig config;
  private final Database db;
  private final ReportStore store;
  private final Hub hub;
  private final InstantSource clock;
  private volatile boolean running = true;
  private volatile boolean healthy;
  private volatile String lastError = "not started";
  private volatile long lastBroadcastSeq;
  private Thread thread;

  ReportTail(ReportListenerConfig config, Database db, Hub hub, InstantSource clock) {
    this.config = config;
    this.db = db;
    this.store = new ReportStore(db, config.serviceName());
    this.hub = hub;
    this.clock = clock;
  }

  void start() {
    thread = Thread.ofVirtual().name("report-tail").start(this::run);
  }

  void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.interrupt();
      thread.join(Duration.ofSeconds(10));
    }
  }

  boolean healthy() {
    return healthy;
  }

  String lastError() {
    return lastError;
  }

  long lastBroadcastSeq() {
    return lastBroadcastSeq;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(200);
    GapTracker tracker = null;
    while (running) {
      try {
        if (tracker == null) tracker = open();
        boolean more = poll(tracker);
        healthy = true;
        backoff = Duration.ofMillis(200);
        if (!more) Thread.sleep(config.interval());
      } catch (SQLException | RuntimeException e) {
        if (healthy || !lastError.equals(e.toString())) LOG.warn("reports tail: database error, retrying in {}: {}", backoff, e.toString());
        healthy = false;
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!sleep(backoff)) return;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Migrates, then restores the checkpoint; with none, starts after the latest report (the seed's rule). */
  private GapTracker open() throws SQLException {
    db.migrate("reportlistener");
    var state = store.loadState();
    GapTracker t = state.map(s -> new GapTracker(s.frontier(), s.deliveredAbove())).orElse(null);
    if (t == null) {
      t = new GapTracker(store.latestSeq(), List.of());
      store.save(new ReportStore.State(t.frontier(), List.of()));
    }
    lastBroadcastSeq = t.highest();
    LOG.info("reports tail resumes after seq {} ({} broadcast above it)", t.frontier(), t.deliveredAbove().size());
    return t;
  }

  /** One round; returns true when a full batch suggests a backlog. */
  private boolean poll(GapTracker t) throws SQLException {
    List<ReportRow> rows = new ArrayList<>(store.range(t.highest(), Long.MAX_VALUE, config.batchMax()));
    boolean full = rows.size() == config.batchMax();
    for (GapTracker.Gap g : t.gaps()) rows.addAll(store.range(g.start() - 1, g.end(), config.batchMax()));
    Set<Long> fresh = new HashSet<>(t.accept(rows.stream().map(ReportRow::seq).toList()));
    List<ReportRow> out = rows.stream().filter(r -> fresh.contains(r.seq())).sorted(Comparator.comparingLong(ReportRow::seq)).toList();
    for (int i = 0; i < out.size(); i += config.batchMax()) publish(out.subList(i, Math.min(out.size(), i + config.batchMax())));
    long before = t.frontier();
    int gapsBefore = t.gaps().size();
    t.advance(clock.instant(), config.gapGrace(), noticed -> store.olderTransactionOpen(Duration.between(noticed, clock.instant())));
    if (!out.isEmpty() || t.frontier() != before || t.gaps().size() != gapsBefore) {
      store.save(new ReportStore.State(t.frontier(), t.deliveredAbove()));
    }
    return full;
  }

  private void publish(List<ReportRow> batch) {
    StringBuilder b = new StringBuilder(64 + batch.size() * 200).append("{\"reports\":[");
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) b.append(',');
      batch.get(i).writeJson(b);
    }
    long from = batch.getFirst().seq(), to = batch.getLast().seq();
    b.append("],\"count\":").append(batch.size()).append(",\"from_seq\":").append(from).append(",\"to_seq\":").append(to).append('}');
    hub.publish(CHANNEL, "reports", b.toString());
    lastBroadcastSeq = Math.max(lastBroadcastSeq, to);
    LOG.debug("broadcast {} reports, seq {}-{}", batch.size(), from, to);
  }
}
