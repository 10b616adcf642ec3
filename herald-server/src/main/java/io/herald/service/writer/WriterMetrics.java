package io.herald.service.writer;

import io.herald.transport.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's Prometheus metrics: consumed (= acknowledged), retried, dead-lettered, batch sizes,
 * sync lag.
 */
final class WriterMetrics {
  private final Metrics metrics;
  private final DistributionSummary batches;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private volatile long lastSyncMillis = System.currentTimeMillis();
  private volatile double lastSyncSeconds;
  private volatile long lastSyncIds;

  WriterMetrics(Metrics metrics) {
    this.metrics = metrics;
    this.batches = metrics.summary("herald_writer_batch_size", "Messages written per transaction");
    metrics.gauge(
        "herald_writer_count_sync_lag_seconds",
        "Seconds since the last successful count sync",
        () -> (System.currentTimeMillis() - lastSyncMillis) / 1000.0);
    metrics.gauge(
        "herald_writer_count_sync_last_seconds",
        "How long the last count sync that found changes took",
        () -> lastSyncSeconds);
    metrics.gauge(
        "herald_writer_count_sync_last_ids",
        "How many changed counts the last count sync that found changes wrote",
        () -> lastSyncIds);
  }

  private void count(String name, String description, String queue, int n) {
    counters
        .computeIfAbsent(
            name + "|" + queue, k -> metrics.counter(name, description, "queue", queue))
        .increment(n);
  }

  void delivered(String queue) {
    count("herald_writer_consumed", "Messages delivered by the broker", queue, 1);
  }

  void acked(String queue, int n) {
    count(
        "herald_writer_acked",
        "Messages committed (or dead-lettered or sent to retry) and acknowledged",
        queue,
        n);
  }

  void retried(String queue) {
    count("herald_writer_retried", "Messages or batches tried again later", queue, 1);
  }

  void deadLettered(String queue) {
    count("herald_writer_dead_lettered", "Messages sent to the dead-letter queue", queue, 1);
  }

  void batch(int size) {
    batches.record(size);
  }

  void synced(long ids, long nanos) {
    lastSyncMillis = System.currentTimeMillis();
    if (ids > 0) {
      lastSyncIds = ids;
      lastSyncSeconds = nanos / 1e9;
    }
  }
}
