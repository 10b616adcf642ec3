package io.herald.bench.report;

/**
 * One writer measurement.
 *
 * @param scenario {@code writer} (a queued backlog consumed and committed) or {@code countsync}
 * @param items messages committed, or counters synced
 * @param perSec items per second
 */
public record WriterResult(
    String scenario,
    int prefetch,
    long items,
    double seconds,
    double perSec,
    double serverCpuSeconds,
    long rssBytes) {}
