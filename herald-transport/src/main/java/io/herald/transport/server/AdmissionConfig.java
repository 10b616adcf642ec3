package io.herald.transport.server;

import com.sun.management.UnixOperatingSystemMXBean;
import io.herald.config.Env;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How many connections the node takes, so a flood cannot take the file descriptors that health
 * checks, metrics and publishers need (docs/shared.md, "Overload protection").
 *
 * @param maxConnections HERALD_MAX_CONNECTIONS: open TCP connections past which new long-lived
 *     streams (WebSocket upgrades, Engine.IO handshakes, long polls, SSE) are refused with 503 and
 *     Retry-After; default: the open-file limit less {@link #fdReserve} and {@link #controlReserve}
 * @param hardCap connections past which a new TCP connection is closed at its accept: the open-file
 *     limit less {@link #fdReserve}, so accept(2) itself never fails with "too many open files"
 * @param perAddress HERALD_MAX_CONNECTIONS_PER_ADDRESS: long-lived streams at once from one client
 *     address (the forwarded one behind HERALD_TRUSTED_PROXIES); 0 (default) for no limit
 * @param handshakeRate HERALD_HANDSHAKE_RATE: new long-lived streams per second, node-wide; 0
 *     (default) for no limit
 * @param handshakeQueue HERALD_HANDSHAKE_QUEUE: how long a handshake over the rate may wait for its
 *     turn before it is refused (2s): a reconnect storm is spread over seconds instead of refused
 * @param fdLimit the process's open-file limit, as the JVM reports it (for the start-up log)
 * @param controlPort HERALD_CONTROL_PORT: a second listener, serving only /health and /metrics on
 *     an event-loop thread of its own, so a flood on the main port cannot queue a probe behind its
 *     work; 0 (default) for none
 */
public record AdmissionConfig(
    int maxConnections,
    int hardCap,
    int perAddress,
    int handshakeRate,
    Duration handshakeQueue,
    long fdLimit,
    int controlPort) {
  /** Derived from this process's open-file limit, no per-address or rate limit. */
  public static final AdmissionConfig DEFAULT = derived(openFileLimit());

  public AdmissionConfig {
    if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be positive");
    if (hardCap < maxConnections)
      throw new IllegalArgumentException("hardCap below maxConnections");
    if (perAddress < 0 || handshakeRate < 0)
      throw new IllegalArgumentException("limits cannot be negative");
    if (controlPort < 0 || controlPort > 65535)
      throw new IllegalArgumentException("control port out of range: " + controlPort);
  }

  /**
   * Descriptors kept for what is not a counted client connection: jars, epoll, engine, database and
   * broker connections, journal files, and connections the acceptor has taken but an event loop has
   * not counted yet (under a flood, a few hundred). 625 of 20,000.
   */
  static long fdReserve(long fdLimit) {
    return Math.max(256, fdLimit / 32);
  }

  /**
   * Connections kept, past the budget, for /health, /metrics, publishing and the admin routes. A
   * flood's connections pass through this room too (each is counted from its accept until its
   * refusal), so it must exceed what a flood has in flight at once: 312 of 20,000.
   */
  static long controlReserve(long fdLimit) {
    return Math.max(256, fdLimit / 64);
  }

  static AdmissionConfig derived(long fdLimit) {
    int hard = (int) Math.max(64, Math.min(Integer.MAX_VALUE, fdLimit - fdReserve(fdLimit)));
    int budget = (int) Math.max(32, hard - controlReserve(fdLimit));
    return new AdmissionConfig(
        Math.min(budget, hard), hard, 0, 0, Duration.ofSeconds(2), fdLimit, 0);
  }

  /**
   * The environment's settings over the derived defaults; a budget the open-file limit cannot hold
   * is an error.
   */
  public static AdmissionConfig from(Env env) {
    AdmissionConfig d = DEFAULT;
    int max = env.integer("HERALD_MAX_CONNECTIONS", d.maxConnections, 1, Integer.MAX_VALUE);
    if (max > d.maxConnections) {
      env.error(
          "HERALD_MAX_CONNECTIONS="
              + max
              + ": the open-file limit ("
              + d.fdLimit
              + ") holds at most "
              + d.maxConnections
              + " client connections beside the process's own files and "
              + "the reserve for health checks; raise the limit (ulimit -n,"
              + " LimitNOFILE= in systemd) or lower HERALD_MAX_CONNECTIONS");
      max = d.maxConnections;
    }
    return new AdmissionConfig(
        max,
        d.hardCap,
        env.integer("HERALD_MAX_CONNECTIONS_PER_ADDRESS", 0, 0, Integer.MAX_VALUE),
        env.integer("HERALD_HANDSHAKE_RATE", 0, 0, 10_000_000),
        env.duration("HERALD_HANDSHAKE_QUEUE", Duration.ofSeconds(2)),
        d.fdLimit,
        env.integer("HERALD_CONTROL_PORT", 0, 0, 65535));
  }

  /** The same limits with another budget (tests, and a private warm-up copy). */
  public AdmissionConfig withMaxConnections(int max) {
    return new AdmissionConfig(
        max,
        Math.max(hardCap, max),
        perAddress,
        handshakeRate,
        handshakeQueue,
        fdLimit,
        controlPort);
  }

  /** The same limits with a per-address limit and a handshake rate. */
  public AdmissionConfig withLimits(int nextPerAddress, int nextRate, Duration nextQueue) {
    return new AdmissionConfig(
        maxConnections, hardCap, nextPerAddress, nextRate, nextQueue, fdLimit, controlPort);
  }

  /** The same limits with /health and /metrics also on {@code port} (0: not). */
  public AdmissionConfig withControlPort(int port) {
    return new AdmissionConfig(
        maxConnections, hardCap, perAddress, handshakeRate, handshakeQueue, fdLimit, port);
  }

  private static long openFileLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean u) {
      return u.getMaxFileDescriptorCount();
    }
    return 10_000; // not a Unix: no descriptor limit the JVM can read; a budget a small server
    // holds
  }

  @Override
  public String toString() {
    return "AdmissionConfig[maxConnections="
        + maxConnections
        + ", perAddress="
        + (perAddress == 0 ? "off" : perAddress)
        + ", handshakeRate="
        + (handshakeRate == 0 ? "off" : handshakeRate + "/s")
        + ", handshakeQueue="
        + handshakeQueue
        + ", openFileLimit="
        + fdLimit
        + ", controlPort="
        + (controlPort == 0 ? "off" : controlPort)
        + "]";
  }
}
