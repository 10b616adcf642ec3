package io.herald.bench.report;

/**
 * One measured step: {@code clients} connections, publishing at {@code rate} messages/s.
 *
 * @param lossPercent 100 × (expected − received) / expected, where expected = accepted publishes ×
 *     clients
 * @param deliveredPerCpuSec messages received by clients per CPU-second the server process used in
 *     the step
 */
public record StepResult(
    String scenario,
    String target,
    int clients,
    double rate,
    long accepted,
    long expected,
    long received,
    double lossPercent,
    long reordered,
    double deliveredPerSec,
    long p50Micros,
    long p99Micros,
    long p999Micros,
    double serverCpuSeconds,
    double deliveredPerCpuSec,
    long rssBytes) {}
