package io.herald.bench.scenario;

import java.util.List;

/**
 * The telemetry scenarios. Defaults are issue 4's targets.
 *
 * @param stores {@code memory}, {@code redis} or both
 * @param shortConnections short-poll concurrency levels, one step each (16, 32, 64)
 * @param shortSeconds measured seconds per step (10)
 * @param longPolls parked long polls (10000)
 * @param longRate events per second, each to one random parked user (500)
 * @param longSeconds how long events are published (20)
 */
public record TelemetryBenchConfig(
    List<String> stores,
    List<Integer> shortConnections,
    double shortSeconds,
    int longPolls,
    double longRate,
    double longSeconds) {}
