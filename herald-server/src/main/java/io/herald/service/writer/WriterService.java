package io.herald.service.writer;

import io.herald.store.mysql.Database;
import io.herald.transport.health.HealthStatus;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.herald.transport.server.ServiceState;
import io.herald.util.Backoff;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 002: consumes {@code create_chats}, {@code create_messages} and {@code update_messages} into
 * MariaDB, keeps counts through Redis and a count-sync job, and indexes messages for search. Its
 * HTTP side is the shared {@code /health} and {@code /metrics}. Everything blocking runs on virtual
 * threads.
 */
public final class WriterService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(WriterService.class);
  static final List<String> QUEUES =
      List.of(
          WriterMessages.CREATE_CHATS,
          WriterMessages.CREATE_MESSAGES,
          WriterMessages.UPDATE_MESSAGES);

  private final WriterConfig config;
  private final List<QueueWorker> workers = new ArrayList<>();
  private final List<Thread> loops = new ArrayList<>();
  private volatile boolean dbUp;
  private volatile boolean redisUp;
  private volatile boolean consuming;
  private ServerContext ctx;
  private ServiceState state;
  private Database db;
  private Broker broker;
  private Counters counters;
  private SearchOutbox search;
  private WriterMetrics metrics;

  public WriterService(WriterConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "writer";
  }

  @Override
  public void mount(Router router, ServerContext context) {
    this.ctx = context;
    state =
        ServiceState.mount(
                name(),
                context,
                () ->
                    Map.of("consuming", consuming, "queues", QUEUES, "prefetch", config.prefetch()))
            .dependsOn(
                "rabbitmq",
                () ->
                    broker != null && broker.healthy()
                        ? HealthStatus.up(Map.of())
                        : HealthStatus.down("not connected"))
            .dependsOn(
                "mariadb",
                () -> dbUp ? HealthStatus.up(Map.of()) : HealthStatus.down("unreachable"))
            .dependsOn(
                "redis",
                () -> redisUp ? HealthStatus.up(Map.of()) : HealthStatus.down("unreachable"));
    if (config.searchUrl().isPresent()) {
      state.dependsOn(
          "search",
          () ->
              search != null && search.healthy()
                  ? HealthStatus.up(Map.of("index", SearchOutbox.INDEX))
                  : HealthStatus.down("indexing failing; documents wait in the outbox"));
    }
  }

  @Override
  public Future<Void> start() {
    state.started();
    metrics = new WriterMetrics(ctx.metrics());
    db = Database.open(config.db(), "writer", config.minIdle());
    counters = new Counters(config.redisUrl(), config.names());
    broker = new Broker(config.rabbitUrl());
    search = new SearchOutbox(config.searchUrl());
    if (!search.enabled()) LOG.info("writer: ELASTICSEARCH_URL is unset, search indexing is off");
    loops.add(Thread.ofVirtual().name("writer-start").start(this::connectAndConsume));
    loops.add(Thread.ofVirtual().name("writer-probe").start(this::probe));
    loops.add(Thread.ofVirtual().name("writer-count-sync").start(this::countSync));
    if (search.enabled()) loops.add(Thread.ofVirtual().name("writer-indexer").start(this::index));
    return Future.succeededFuture();
  }

  /** Migrates and connects with capped backoff, then starts one worker per queue. */
  private void connectAndConsume() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));
    boolean migrated = false;
    while (state.running()) {
      try {
        if (!migrated) {
          db.migrate("writer");
          migrated = true;
        }
        broker.connect();
        for (String q : QUEUES) {
          QueueWorker w =
              new QueueWorker(q, broker, db, new WriterStore(), counters, search, config, metrics);
          w.start();
          workers.add(w);
        }
        consuming = true;
        LOG.info("writer: consuming {} with prefetch {}", QUEUES, config.prefetch());
        return;
      } catch (Exception e) {
        Duration wait = backoff.next();
        LOG.warn(
            "writer: {} unavailable, retrying in {}: {}",
            migrated ? "RabbitMQ" : "MariaDB",
            wait,
            e.toString());
        if (!Backoff.sleep(wait)) return;
      }
    }
  }

  /** Keeps the health flags current without blocking GET /health. */
  private void probe() {
    while (state.running()) {
      try (Connection c = db.connection()) {
        dbUp = c.isValid(2);
      } catch (Exception e) {
        dbUp = false;
      }
      try {
        counters.ping();
        redisUp = true;
      } catch (RuntimeException e) {
        redisUp = false;
      }
      if (!Backoff.sleep(Duration.ofSeconds(2))) return;
    }
  }

  private void countSync() {
    while (state.running() && Backoff.sleep(config.countSync())) syncOnce();
  }

  private void syncOnce() {
    try {
      long t0 = System.nanoTime();
      long n = counters.sync(db);
      metrics.synced(n, System.nanoTime() - t0);
      if (n > 0)
        LOG.debug("writer: synced {} counts in {} ms", n, (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception e) {
      LOG.warn(
          "writer: count sync failed, the changed ids are kept for the next run: {}", e.toString());
    }
  }

  /**
   * Drains the outbox when a commit queued documents, instead of querying it on a timer; retries a
   * failing engine.
   */
  private void index() {
    while (state.running()) {
      if (search.drain(db) > 0) continue;
      if (!search.awaitWork(search.healthy() ? Duration.ofSeconds(30) : Duration.ofMillis(500)))
        return;
    }
  }

  /**
   * The seed's order: stop consuming, finish in-flight messages, close RabbitMQ, then the database.
   */
  @Override
  public Future<Void> stop() {
    state.stopped();
    for (QueueWorker w : workers) {
      try {
        w.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consuming = false;
    loops.forEach(Thread::interrupt);
    if (broker != null) broker.close();
    if (counters != null) {
      syncOnce(); // one last sync, so counts are current when the writer is stopped
      counters.close();
    }
    if (db != null) db.close();
    return Future.succeededFuture();
  }
}
