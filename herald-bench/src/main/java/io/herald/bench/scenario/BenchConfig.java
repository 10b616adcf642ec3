package io.herald.bench.scenario;

import java.nio.file.Path;
import java.util.List;

/**
 * What to run. Defaults are the foundation issue's scenarios.
 *
 * @param deflate     receiving clients offer permessage-deflate (--deflate true)
 * @param fanoutRates publish rates (messages/s) stepped through until p99 > 50 ms or loss > 0.1%
 */
public record BenchConfig(List<String> scenarios, List<String> targets, int fanoutClients, List<Double> fanoutRates,
    int idleClients, int steadyClients, double steadyRate, double stepSeconds, int sourceAddresses, ReportBenchConfig reports,
    TelemetryBenchConfig telemetry, WriterBenchConfig writer, boolean deflate,
    Path root, Path out) {}
