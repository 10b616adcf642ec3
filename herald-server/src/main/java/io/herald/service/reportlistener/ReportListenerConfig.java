package io.herald.service.reportlistener;

import io.herald.config.Env;
import io.herald.store.mysql.DatabaseConfig;
import java.time.Duration;

/**
 * The report listener (seed 000). DB_* and BROADCAST_INTERVAL are the seed's names and defaults.
 *
 * @param interval BROADCAST_INTERVAL: reports that arrive within one interval go out as one batch
 *     (1s)
 * @param batchMax HERALD_BATCH_MAX: at most this many reports per message; a backlog goes out as
 *     several (500)
 * @param gapGrace HERALD_GAP_GRACE: how long a missing seq is waited for before it counts as rolled
 *     back (10s)
 * @param maxReplay HERALD_MAX_REPLAY: at most this many reports sent to a client resuming with
 *     {@code ?since_seq=N} before live batches (10000)
 * @param serviceName HERALD_SERVICE_NAME: the {@code service_state} row (report-listener);
 *     instances that share it share the checkpoint
 */
public record ReportListenerConfig(
    DatabaseConfig db,
    Duration interval,
    int batchMax,
    Duration gapGrace,
    int maxReplay,
    String serviceName) {
  public static ReportListenerConfig from(Env env) {
    DatabaseConfig db =
        new DatabaseConfig(
            env.string("DB_HOST", "localhost"),
            env.integer("DB_PORT", 3306, 1, 65535),
            env.string("DB_USER", "server"),
            env.stringOrEmpty("DB_PASSWORD", "secret_app"),
            env.string("DB_NAME", "cleanapp"),
            4);
    Duration interval = env.duration("BROADCAST_INTERVAL", Duration.ofSeconds(1));
    if (interval.toMillis() < 1) env.error("BROADCAST_INTERVAL must be at least 1ms");
    return new ReportListenerConfig(
        db,
        interval,
        env.integer("HERALD_BATCH_MAX", 500, 1, 100_000),
        env.duration("HERALD_GAP_GRACE", Duration.ofSeconds(10)),
        env.integer("HERALD_MAX_REPLAY", 10_000, 0, 10_000_000),
        env.string("HERALD_SERVICE_NAME", "report-listener"));
  }
}
