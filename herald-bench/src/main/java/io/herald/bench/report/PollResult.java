package io.herald.bench.report;

/**
 * One telemetry measurement.
 *
 * @param scenario {@code shortpoll} (closed loop, {@code connections} requests in flight) or {@code
 *     longpoll} ({@code connections} parked polls, events published at {@code rate} to random
 *     users)
 * @param store {@code memory} or {@code redis}
 * @param perSec short polls answered per second, or events delivered per second
 * @param p99Micros request to response (short), publish to response (long)
 */
public record PollResult(
    String scenario,
    String store,
    int connections,
    double rate,
    long requests,
    long failures,
    double perSec,
    long p50Micros,
    long p99Micros,
    long p999Micros,
    long held,
    double serverCpuSeconds,
    long rssBytes) {}
