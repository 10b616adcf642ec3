package io.herald.bench.report;

/**
 * Milliseconds from process start to the first HTTP 200 on GET /health; the median of several
 * starts.
 */
public record StartupResult(String target, long medianMillis, java.util.List<Long> runs) {}
