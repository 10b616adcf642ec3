package io.herald.bench.chaos;

import java.nio.file.Path;
import java.util.List;

/**
 * One chaos run.
 *
 * @param faults which scripts to run, in order
 * @param clients resuming push-hub clients during the kill and stall faults
 * @param stormClients clients that reconnect at once in the storm fault
 * @param rate broadcasts per second while a fault runs
 * @param seconds how long each fault's load runs
 * @param soakSeconds how long the soak runs
 * @param churnClients clients that connect and drop again and again during the soak
 * @param root the repository (where ./herald is)
 * @param out where results.json and summary.md go
 */
record ChaosConfig(
    List<String> faults,
    int clients,
    int stormClients,
    double rate,
    double seconds,
    double soakSeconds,
    int churnClients,
    Path root,
    Path out) {}
