package io.herald.transport.server;

import io.herald.transport.http.TrustedProxies;
import java.time.Duration;

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
    AdmissionConfig admission) {
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

  /** With permessage-deflate offered (the default). */
  public ServerConfig(
      String host, int port, int eventLoops, long maxBodyBytes, Duration shutdownTimeout) {
    this(host, port, eventLoops, maxBodyBytes, shutdownTimeout, true);
  }

  /** Trusting no proxy (the default). */
  public ServerConfig(
      String host,
      int port,
      int eventLoops,
      long maxBodyBytes,
      Duration shutdownTimeout,
      boolean deflate) {
    this(host, port, eventLoops, maxBodyBytes, shutdownTimeout, deflate, TrustedProxies.NONE);
  }

  /** With the default header timeout. */
  public ServerConfig(
      String host,
      int port,
      int eventLoops,
      long maxBodyBytes,
      Duration shutdownTimeout,
      boolean deflate,
      TrustedProxies trustedProxies) {
    this(
        host,
        port,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        deflate,
        trustedProxies,
        DEFAULT_HEADER_TIMEOUT);
  }

  /** On the default transport: epoll, else NIO. */
  public ServerConfig(
      String host,
      int port,
      int eventLoops,
      long maxBodyBytes,
      Duration shutdownTimeout,
      boolean deflate,
      TrustedProxies trustedProxies,
      Duration headerTimeout) {
    this(
        host,
        port,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        deflate,
        trustedProxies,
        headerTimeout,
        NetTransport.AUTO);
  }

  /**
   * With the connection budget derived from the open-file limit, no per-address or handshake-rate
   * limit.
   */
  public ServerConfig(
      String host,
      int port,
      int eventLoops,
      long maxBodyBytes,
      Duration shutdownTimeout,
      boolean deflate,
      TrustedProxies trustedProxies,
      Duration headerTimeout,
      NetTransport transport) {
    this(
        host,
        port,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        deflate,
        trustedProxies,
        headerTimeout,
        transport,
        AdmissionConfig.DEFAULT);
  }

  /** The same listener with other overload limits. */
  public ServerConfig withAdmission(AdmissionConfig next) {
    return new ServerConfig(
        host,
        port,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        deflate,
        trustedProxies,
        headerTimeout,
        transport,
        next);
  }

  /** The same listener on {@code next}. */
  public ServerConfig withTransport(NetTransport next) {
    return new ServerConfig(
        host,
        port,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        deflate,
        trustedProxies,
        headerTimeout,
        next,
        admission);
  }

  /** The same listener on another address (a private copy on loopback, a test's free port). */
  public ServerConfig withAddress(String nextHost, int nextPort) {
    return new ServerConfig(
        nextHost,
        nextPort,
        eventLoops,
        maxBodyBytes,
        shutdownTimeout,
        deflate,
        trustedProxies,
        headerTimeout,
        transport,
        admission);
  }

  public ServerConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    if (eventLoops < 1) throw new IllegalArgumentException("eventLoops must be at least 1");
    if (headerTimeout.isNegative() || headerTimeout.isZero())
      throw new IllegalArgumentException("headerTimeout must be positive");
  }
}
