package io.herald.bench.report;

/**
 * Idle connections held by one target.
 *
 * @param rssPerConnection (RSS after all connections − RSS with the first 100) ÷ (held − 100), in
 *     bytes
 */
public record IdleResult(
    String target,
    int requested,
    int held,
    long rssBaseline,
    long rssAfter,
    double rssPerConnection) {}
