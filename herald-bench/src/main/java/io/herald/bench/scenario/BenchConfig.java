package io.herald.bench.scenario;

import io.herald.bench.target.Pinning;
import java.nio.file.Path;
import java.util.List;

/**
 * What to run. Defaults are the foundation issue's scenarios.
 *
 * @param deflate receiving clients offer permessage-deflate (--deflate true)
 * @param publishConnections cluster: HTTP connections the broadcasts are posted on (to the first
 *     node, round-robin): more than one lets that node have as many publishes in the engine at once
 * @param fanoutRates publish rates (messages/s) stepped through until p99 > 50 ms or loss > 0.1%
 * @param steadyWarmup seconds at the steady rate before the measured 20 s (3): a JIT compiles the
 *     per-event path late
 * @param steadyClients client counts for the steady scenarios, each a run of its own (the last also
 *     sizes sio-targeted)
 * @param pinning the server under test and the load generator each on a core of its own, or not
 *     (--no-pin)
 */
public record BenchConfig(
    List<String> scenarios,
    List<String> targets,
    int fanoutClients,
    int publishConnections,
    List<Double> fanoutRates,
    int idleClients,
    List<Integer> steadyClients,
    double steadyRate,
    double steadyWarmup,
    double stepSeconds,
    int sourceAddresses,
    ReportBenchConfig reports,
    TelemetryBenchConfig telemetry,
    WriterBenchConfig writer,
    boolean deflate,
    Pinning pinning,
    Path root,
    Path out) {}
