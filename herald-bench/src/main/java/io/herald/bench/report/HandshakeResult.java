package io.herald.bench.report;

/**
 * WebSocket handshakes one target took, on a fresh process and again once the first connections
 * were closed (its code compiled and its pools warm).
 *
 * @param target the server
 * @param connections handshakes per round
 * @param inFlight handshakes in flight at once
 * @param freshPerSec upgrades answered per second, first round
 * @param warmPerSec the same, second round
 * @param freshP99Micros connect-to-101 p99 of the first round
 * @param warmP99Micros the same, second round
 * @param failed handshakes refused or unanswered, both rounds
 * @param serverCpuSeconds the server's CPU over the second round: what a handshake costs it
 */
public record HandshakeResult(
    String target,
    int connections,
    int inFlight,
    double freshPerSec,
    double warmPerSec,
    long freshP99Micros,
    long warmP99Micros,
    int failed,
    double serverCpuSeconds) {
  /** Server CPU per warm handshake, in microseconds. */
  public double cpuMicrosPerHandshake() {
    return serverCpuSeconds * 1e6 / Math.max(1, connections);
  }
}
