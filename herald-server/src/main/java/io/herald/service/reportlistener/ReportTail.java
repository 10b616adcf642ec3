package io.herald.service.reportlistener;

import io.herald.core.engine.EnginePort;
import io.herald.core.engine.EngineUnavailableException;
import io.herald.core.history.JournalException;
import io.herald.protocol.json.Json;
import io.herald.store.mysql.Database;
import io.herald.util.Backoff;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails {@code reports} on a virtual thread: each interval one indexed range query for rows above
 * the highest broadcast seq (plus one per open gap, rare), publishes them as batches of at most
 * {@code batchMax}, then moves the checkpoint. A full batch means a backlog, and the next query
 * runs at once. Database failures are retried with capped backoff; clients stay connected
 * meanwhile.
 */
final class ReportTail {
  private static final Logger LOG = LoggerFactory.getLogger(ReportTail.class);
  static final String CHANNEL = "reports";
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * A backlog is read this many messages at a time: one query and one checkpoint transaction per
   * four messages instead of per message (the catch-up rate is bound by round trips, not by rows).
   */
  private static final int READ_BATCHES = 4;

  private final ReportListenerConfig config;
  private final Database db;
  private final ReportStore store;
  private final EnginePort engine;
  private final Leadership leadership;
  private final InstantSource clock;

  /**
   * Whether this node holds the lock and tails the table; the others stand by (see {@link
   * Leadership}).
   */
  private volatile boolean leading;

  /**
   * A standby node tries for the lock this often: how long a failover takes at most, after the
   * leader is gone.
   */
  static final Duration STANDBY_RETRY = Duration.ofSeconds(1);

  private volatile boolean running = true;
  private volatile boolean healthy;
  private volatile String lastError = "not started";
  private volatile long lastBroadcastSeq;
  private volatile long frontier = -1;

  /**
   * Resuming clients waiting for their seam; served between two rounds (see {@link ReportReplay}).
   */
  private final BlockingDeque<ReportReplay> seams = new LinkedBlockingDeque<>();

  /**
   * Replays read in bulk beside the tail; at most this many at once, so the tail never waits long
   * for the pool.
   */
  private final Semaphore replayReaders = new Semaphore(2);

  private Thread thread;

  ReportTail(
      ReportListenerConfig config,
      Database db,
      ReportStore store,
      EnginePort engine,
      InstantSource clock) {
    this.config = config;
    this.db = db;
    this.store = store;
    this.engine = engine;
    this.clock = clock;
    this.leadership =
        new Leadership(db, Leadership.lockName(config.db().database(), config.serviceName()));
  }

  boolean leading() {
    return leading;
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

  /**
   * Every report at or below this is final (broadcast or given up); -1 before the tail has started.
   */
  long frontier() {
    return frontier;
  }

  Semaphore replayReaders() {
    return replayReaders;
  }

  /** Queues a replay's seam; the tail serves it after its current round. */
  void handOver(ReportReplay replay) {
    seams.add(replay);
  }

  private void run() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
    GapTracker tracker = null;
    try {
      while (running) {
        try {
          if (!leading) {
            if (!leadership
                .tryAcquire()) { // another node tails the table: stand by, ready to take over
              healthy = true;
              backoff.reset();
              if (!Backoff.sleep(STANDBY_RETRY)) return;
              continue;
            }
            leading = true;
            tracker = null;
            LOG.info("reports tail: this node tails the table (it holds the checkpoint's lock)");
          } else if (!leadership.stillHeld()) {
            leading = false;
            tracker = null;
            LOG.warn(
                "reports tail: the checkpoint's lock was lost with its connection; standing by");
            continue;
          }
          if (tracker == null) tracker = open();
          long roundStart = System.nanoTime();
          boolean more = poll(tracker);
          frontier = tracker.frontier();
          healthy = true;
          backoff.reset();
          // Rounds start every interval (not interval after the work), so a report waits at most
          // one interval.
          serveSeams(
              tracker, more ? 0 : config.interval().toNanos() - (System.nanoTime() - roundStart));
        } catch (JournalException | EngineUnavailableException e) {
          // The engine refused a batch (the journal could not keep it, or Redis is away): the
          // tracker already counted
          // those rows as sent, so it is read again from the last checkpoint and what the engine
          // kept.
          tracker = null;
          if (!failed(backoff, "the engine refused a batch (it is read again)", e)) return;
        } catch (SQLException | RuntimeException e) {
          if (!failed(backoff, "database error", e)) return;
        } catch (InterruptedException e) {
          return;
        }
      }
    } finally {
      leading = false;
      leadership.release(); // a graceful stop hands over at once
    }
  }

  /**
   * Logs once per streak of the same error, marks the tail unhealthy and waits; false when
   * interrupted (stop).
   */
  private boolean failed(Backoff backoff, String what, Exception e) {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    Duration wait = backoff.next();
    if (healthy || !lastError.equals(error))
      LOG.warn("reports tail: {}, retrying in {}: {}", what, wait, error);
    healthy = false;
    lastError = error;
    return Backoff.sleep(wait);
  }

  /** Serves waiting seams until {@code nanos} have passed (at least the ones already waiting). */
  private void serveSeams(GapTracker t, long nanos) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + nanos;
    while (true) {
      ReportReplay r = seams.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (r == null) return;
      try {
        r.finish(store, t);
      } catch (SQLException | RuntimeException e) {
        seams.addFirst(r); // retried once the database is back
        throw e;
      }
    }
  }

  /**
   * Migrates, then restores the checkpoint; with none, starts after the latest report (the seed's
   * rule).
   */
  private GapTracker open() throws SQLException {
    db.migrate("reportlistener");
    var state = store.loadState();
    GapTracker t = state.map(s -> new GapTracker(s.frontier(), s.deliveredAbove())).orElse(null);
    if (t == null) {
      t = new GapTracker(store.latestSeq(), List.of());
      store.save(new ReportStore.State(t.frontier(), List.of()));
    }
    int kept = reconcile(t);
    lastBroadcastSeq = t.highest();
    LOG.info(
        "reports tail resumes after seq {} ({} broadcast above it, {} known from the engine)",
        t.frontier(),
        t.deliveredAbove().size(),
        kept);
    return t;
  }

  /**
   * Marks what the engine kept as broadcast: a node that died between a broadcast and its
   * checkpoint (this one before a restart with the journal, or another node on the shared engine)
   * must not have those rows sent twice. Returns how many rows the engine knew of.
   */
  private int reconcile(GapTracker t) throws SQLException {
    try {
      engine
          .attach(CHANNEL)
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS); // a shared engine: its history in the hub
    } catch (ExecutionException | TimeoutException e) {
      throw new SQLException("the engine's history of " + CHANNEL + " could not be read", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
    List<Long> seqs = new ArrayList<>();
    for (var f : engine.kept(CHANNEL)) {
      try {
        for (var r : Json.MAPPER.readTree(f.event().data()).path("reports"))
          seqs.add(r.path("seq").asLong());
      } catch (IOException e) {
        LOG.warn("reports tail: a kept batch could not be read: {}", e.toString());
      }
    }
    t.accept(seqs);
    return seqs.size();
  }

  /** One round; returns true when a full batch suggests a backlog. */
  private boolean poll(GapTracker t) throws SQLException {
    int limit = config.batchMax() * READ_BATCHES;
    List<ReportRow> rows = new ArrayList<>(store.range(t.highest(), Long.MAX_VALUE, limit));
    boolean full = rows.size() == limit;
    for (GapTracker.Gap g : t.gaps())
      rows.addAll(store.range(g.start() - 1, g.end(), config.batchMax()));
    Set<Long> fresh = new HashSet<>(t.accept(rows.stream().map(ReportRow::seq).toList()));
    List<ReportRow> out =
        rows.stream()
            .filter(r -> fresh.contains(r.seq()))
            .sorted(Comparator.comparingLong(ReportRow::seq))
            .toList();
    for (int i = 0; i < out.size(); i += config.batchMax())
      publish(out.subList(i, Math.min(out.size(), i + config.batchMax())));
    long before = t.frontier();
    int gapsBefore = t.gaps().size();
    t.advance(
        clock.instant(),
        config.gapGrace(),
        noticed -> store.olderTransactionOpen(Duration.between(noticed, clock.instant())));
    if (!out.isEmpty() || t.frontier() != before || t.gaps().size() != gapsBefore) {
      store.save(new ReportStore.State(t.frontier(), t.deliveredAbove()));
    }
    return full;
  }

  private void publish(List<ReportRow> batch) {
    long from = batch.getFirst().seq(), to = batch.getLast().seq();
    try {
      engine
          .publish(CHANNEL, ReportBatch.TYPE, ReportBatch.data(batch))
          .toCompletableFuture()
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r)
        throw r; // the engine's refusal, handled by run()
      throw e;
    }
    lastBroadcastSeq = Math.max(lastBroadcastSeq, to);
    LOG.debug("broadcast {} reports, seq {}-{}", batch.size(), from, to);
  }
}
