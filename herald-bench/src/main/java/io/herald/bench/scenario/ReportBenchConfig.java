package io.herald.bench.scenario;

/**
 * The report-listener scenarios. Defaults are issue 3's targets.
 *
 * @param clients WebSocket clients during paced inserts (1000)
 * @param rate reports inserted per second (1000)
 * @param seconds how long inserts run (20)
 * @param intervalMillis BROADCAST_INTERVAL given to the listener (1000, the seed's default)
 * @param catchupClients clients while a backlog is caught up (10)
 * @param backlog reports committed at once for the catch-up (100000; a multiple of 1000)
 */
public record ReportBenchConfig(
    int clients,
    double rate,
    double seconds,
    long intervalMillis,
    int catchupClients,
    int backlog) {}
