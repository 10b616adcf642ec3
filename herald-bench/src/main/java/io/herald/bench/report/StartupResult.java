package io.herald.bench.report;

import java.util.List;

/**
 * Milliseconds from process start to the first HTTP 200 on GET /health; the median of several
 * starts.
 */
public record StartupResult(String target, long medianMillis, List<Long> runs) {}
