package io.herald.bench.report;

/**
 * One report-listener measurement: reports inserted into MariaDB, received by {@code clients}
 * WebSocket clients.
 *
 * @param scenario {@code reports} (paced inserts, latency) or {@code catchup} (one committed
 *     backlog, rate)
 * @param inserted reports committed
 * @param delivered report deliveries counted at the clients (a report in a batch counts once per
 *     client)
 * @param lossPercent 100 × (inserted × clients − delivered) / (inserted × clients)
 * @param reportsPerSec reports per second through the listener: for catch-up, inserted / (last
 *     receipt − commit)
 * @param p99Micros insert to receipt (paced scenario only)
 */
public record ReportsResult(
    String scenario,
    String target,
    int clients,
    double insertRate,
    long inserted,
    long delivered,
    double lossPercent,
    long reordered,
    double reportsPerSec,
    long p50Micros,
    long p99Micros,
    long p999Micros,
    double serverCpuSeconds,
    long rssBytes,
    long intervalMillis) {}
