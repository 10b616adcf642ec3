package io.herald.transport.server;

import io.herald.transport.http.TrustedProxies;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The HTTP listener all services share.
 *
 * @param host interface to bind (HERALD_HOST, default 0.0.0.0)
 * @param port TCP port (PORT; each service's seed default, 8080 for {@code all})
 * @param eventLoops Vert.x event loops, one HTTP server instance each (HERALD_EVENT_LOOPS, default:
 *     twice the cores)
 * @param maxBodyBytes largest HTTP request body accepted; over it: 413 (HERALD_MAX_BODY, default
 *     64KiB)
 * @param shutdownTimeout how long graceful shutdown may drain outboxes (HERALD_SHUTDOWN_TIMEOUT,
 *     default 10s)
 * @param deflate offer permessage-deflate to WebSocket clients (HERALD_WS_DEFLATE, default true)
 * @param trustedProxies reverse proxies whose X-Forwarded-For is believed (HERALD_TRUSTED_PROXIES,
 *     default none)
 * @param headerTimeout how long a connection may take to send a whole request head, from its accept
 *     or from its previous response; then it is closed (HERALD_HEADER_TIMEOUT, default 10s:
 *     slowloris)
 * @param transport the event loops' Netty transport (HERALD_TRANSPORT, default auto: epoll, else
 *     NIO; io_uring on request)
 * @param admission the connection budget, per-address limit and handshake rate (overload
 *     protection)
 * @param nodeHeartbeat how often a node on a shared engine announces itself to the others, for the
 *     node list on /admin (HERALD_NODE_HEARTBEAT, default 2s; gone after three missed, dropped
 *     after ten)
 */
public record ServerConfig(
    String host,
    int port,
    int eventLoops,
    long maxBodyBytes,
    Duration shutdownTimeout,
    boolean deflate,
    TrustedProxies trustedProxies,
    Duration headerTimeout,
    NetTransport transport,
    AdmissionConfig admission,
    Duration nodeHeartbeat) {
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_NODE_HEARTBEAT = Duration.ofSeconds(2);

  /**
   * With the defaults for the rest: permessage-deflate offered, no trusted proxy, the default
   * header timeout, epoll else NIO, and the connection budget derived from the open-file limit with
   * no per-address or handshake-rate limit. The {@code with} methods change one of them.
   */
  public ServerConfig(
      String host, int port, int eventLoops, long maxBodyBytes, Duration shutdownTimeout) {
    this(
        host,
        port,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        true,
        TrustedProxies.NONE,
        DEFAULT_HEADER_TIMEOUT,
        NetTransport.AUTO,
        AdmissionConfig.DEFAULT,
        DEFAULT_NODE_HEARTBEAT);
  }

  public ServerConfig withDeflate(boolean next) {
    return edit(f -> f.deflate = next);
  }

  public ServerConfig withTrustedProxies(TrustedProxies next) {
    return edit(f -> f.trustedProxies = next);
  }

  public ServerConfig withHeaderTimeout(Duration next) {
    return edit(f -> f.headerTimeout = next);
  }

  public ServerConfig withTransport(NetTransport next) {
    return edit(f -> f.transport = next);
  }

  /** The same listener with other overload limits. */
  public ServerConfig withAdmission(AdmissionConfig next) {
    return edit(f -> f.admission = next);
  }

  public ServerConfig withNodeHeartbeat(Duration next) {
    return edit(f -> f.nodeHeartbeat = next);
  }

  /** The same listener on another address (a private copy on loopback, a test's free port). */
  public ServerConfig withAddress(String nextHost, int nextPort) {
    return edit(
        f -> {
          f.host = nextHost;
          f.port = nextPort;
        });
  }

  private ServerConfig edit(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new ServerConfig(
        f.host,
        f.port,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        f.deflate,
        f.trustedProxies,
        f.headerTimeout,
        f.transport,
        f.admission,
        f.nodeHeartbeat);
  }

  /** The fields a {@code with} method may change, for one copy. */
  private static final class Fields {
    String host;
    int port;
    boolean deflate;
    TrustedProxies trustedProxies;
    Duration headerTimeout;
    NetTransport transport;
    AdmissionConfig admission;
    Duration nodeHeartbeat;

    Fields(ServerConfig c) {
      host = c.host;
      port = c.port;
      deflate = c.deflate;
      trustedProxies = c.trustedProxies;
      headerTimeout = c.headerTimeout;
      transport = c.transport;
      admission = c.admission;
      nodeHeartbeat = c.nodeHeartbeat;
    }
  }

  public ServerConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    if (eventLoops < 1) throw new IllegalArgumentException("eventLoops must be at least 1");
    if (headerTimeout.isNegative() || headerTimeout.isZero())
      throw new IllegalArgumentException("headerTimeout must be positive");
    if (nodeHeartbeat.compareTo(Duration.ofMillis(100)) < 0)
      throw new IllegalArgumentException("nodeHeartbeat must be at least 100ms");
  }
}
