package io.herald.transport.server;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.http.ApiError;
import io.herald.transport.http.TrustedProxies;
import io.herald.transport.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which connections and streams the node takes under load. Every TCP connection is counted; past
 * the hard cap (the open-file limit less what the process needs for itself) a new one is closed at
 * once, so accept(2) never runs out of descriptors. Long-lived streams (WebSocket upgrades,
 * Engine.IO handshakes, long polls, SSE) are admitted only while the node is under its budget,
 * under the per-address limit and within the handshake rate; short requests (/health, /metrics,
 * publishing) are always served, from the connections between the budget and the hard cap. Refusals
 * are fast and say when to come back: 503 (or 429 for one address over its share) with Retry-After.
 */
public final class Admission {
  /**
   * Why a connection or a stream was refused; the {@code reason} label of {@code
   * herald_connections_refused_total}.
   */
  public enum Refusal {
    /** Closed at accept: the node is at its hard cap (out of descriptors to spare). */
    FD_RESERVE("fd_reserve"),
    /** A new stream while the node is at HERALD_MAX_CONNECTIONS. */
    BUDGET("budget"),
    /** A new stream from an address at HERALD_MAX_CONNECTIONS_PER_ADDRESS. */
    PER_ADDRESS("per_address"),
    /**
     * A new stream that would wait longer than HERALD_HANDSHAKE_QUEUE for its turn under
     * HERALD_HANDSHAKE_RATE.
     */
    HANDSHAKE_RATE("handshake_rate");

    final String label;

    Refusal(String label) {
      this.label = label;
    }
  }

  private final AdmissionConfig config;
  private final TrustedProxies proxies;
  private final Vertx vertx;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  /**
   * Connections that hold a stream, with the address it was counted under; keyed by {@link #key},
   * not by Vert.x's connection, which a WebSocket would otherwise keep alive for its lifetime.
   */
  private final Map<Object, String> holders = new ConcurrentHashMap<>();

  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final HandshakeRate rate;

  Admission(AdmissionConfig config, TrustedProxies proxies, Vertx vertx, Metrics metrics) {
    this.config = config;
    this.proxies = proxies;
    this.vertx = vertx;
    this.rate =
        config.handshakeRate() == 0
            ? null
            : new HandshakeRate(
                config.handshakeRate(), config.handshakeQueue().toNanos(), System.nanoTime());
    for (Refusal r : Refusal.values()) {
      refused.put(
          r,
          metrics.counter(
              "herald_connections_refused",
              "Connections and streams refused by overload protection, by reason",
              "reason",
              r.label));
    }
    metrics.functionCounter(
        "herald_connections_refused",
        "Connections and streams refused by overload protection, by reason",
        AcceptErrors::count,
        "reason",
        "accept_error");
    metrics.gauge(
        "herald_tcp_connections",
        "Open TCP connections of every kind (HTTP, WebSocket, polling)",
        open::get);
    metrics.gauge(
        "herald_connection_budget",
        "HERALD_MAX_CONNECTIONS: past it new long-lived streams are refused",
        () -> config.maxConnections());
  }

  public AdmissionConfig config() {
    return config;
  }

  /** Open TCP connections. */
  public int open() {
    return open.get();
  }

  /** A new TCP connection; false when it was closed at once (the node is at its hard cap). */
  boolean accepted(HttpConnection conn) {
    if (open.incrementAndGet() > config.hardCap()) {
      open.decrementAndGet();
      refused.get(Refusal.FD_RESERVE).increment();
      conn.close();
      return false;
    }
    return true;
  }

  /** The connection of {@code key} ended (called once per accepted connection). */
  void closed(Object key) {
    open.decrementAndGet();
    release(key);
  }

  /**
   * What identifies a connection here: its Netty channel, which lives exactly as long as the
   * connection (after a WebSocket upgrade Vert.x's connection object is out of the channel's
   * pipeline and would be garbage); the connection itself where there is no channel to name.
   */
  static Object key(HttpConnection conn) {
    return conn instanceof HttpServerConnection h ? h.channelHandlerContext().channel() : conn;
  }

  /** Closes the connection {@link #key} names. */
  static void close(Object key) {
    if (key instanceof Channel channel) channel.close();
    else ((HttpConnection) key).close();
  }

  /**
   * A new long-lived stream on {@code req}: runs {@code admitted} now, or after its turn under the
   * handshake rate, or answers the refusal (and closes the connection, freeing its descriptor). An
   * admitted stream counts against its address until its connection closes, or, for a plain HTTP
   * stream (long poll, SSE), until its response ends.
   */
  public void admit(HttpServerRequest req, Runnable admitted) {
    if (open.get() > config.maxConnections()) {
      refuse(
          req,
          Refusal.BUDGET,
          503,
          5,
          "this node is at its connection budget (HERALD_MAX_CONNECTIONS); retry later or elsewhere");
      return;
    }
    String address = config.perAddress() == 0 ? null : proxies.client(req);
    if (address != null) {
      AtomicInteger n = perAddress.get(address);
      if (n != null && n.get() >= config.perAddress()) {
        refuse(
            req,
            Refusal.PER_ADDRESS,
            429,
            5,
            "too many connections from your address (HERALD_MAX_CONNECTIONS_PER_ADDRESS)");
        return;
      }
    }
    long delay = rate == null ? 0 : rate.reserve(System.nanoTime());
    if (delay < 0) {
      refuse(
          req,
          Refusal.HANDSHAKE_RATE,
          503,
          1,
          "too many new connections at once (HERALD_HANDSHAKE_RATE); retry in a moment");
      return;
    }
    if (delay == 0) {
      hold(req, address);
      admitted.run();
      return;
    }
    req.pause(); // its turn comes later; nothing is read meanwhile
    vertx.setTimer(
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay)),
        id -> {
          if (req.connection() == null || req.response().closed())
            return; // it left while it waited
          hold(req, address);
          req.resume();
          admitted.run();
        });
  }

  private void hold(HttpServerRequest req, String address) {
    if (address == null) return;
    perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    Object key = key(req.connection());
    holders.put(key, address);
    if (!isUpgrade(req)) {
      // A long poll or an SSE stream ends with its response; the keep-alive connection may carry
      // plain requests next.
      // (bodyEndHandler: the response's endHandler slot is the head deadline's.)
      req.response().bodyEndHandler(v -> release(key));
    }
  }

  private void release(Object key) {
    String address = holders.remove(key);
    if (address == null) return;
    perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  private static boolean isUpgrade(HttpServerRequest req) {
    String upgrade = req.getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  private void refuse(
      HttpServerRequest req, Refusal why, int status, int retryAfterSeconds, String message) {
    refused.get(why).increment();
    var res = req.response();
    if (res.ended()) return;
    HttpConnection conn = req.connection();
    // Closed once answered: the descriptor goes back at once, whatever the client does.
    res.setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("Retry-After", Integer.toString(retryAfterSeconds))
        .putHeader("Connection", "close")
        .end(new ApiError(status, ErrorCode.UNAVAILABLE, message).body())
        .onComplete(v -> conn.close());
  }
}
