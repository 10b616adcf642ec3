package io.herald.service.pushhub;

import io.herald.core.hub.HubConfig;
import io.herald.protocol.json.Json;
import io.herald.store.Stores;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The push hub as a Java library, for embedding in any JVM application (the seed's Go {@code
 * Service}). Thread-safe; every broadcast method returns at once and never waits for clients.
 *
 * <pre>{@code
 * PushHub hub = new PushHub(8080);
 * hub.start();
 * hub.broadcastSystemAlert("database_error", "Database connection failed", "critical");
 * hub.stop();
 * }</pre>
 *
 * Arguments of type Object are serialised with Jackson (records, maps, lists and beans all work).
 */
public final class PushHub {
  private final PushHubService service;
  private final HeraldServer server;

  /** A hub on {@code port} (all interfaces) with the seed's defaults. */
  public PushHub(int port) {
    this(
        new ServerConfig(
            "0.0.0.0",
            port,
            Runtime.getRuntime().availableProcessors(),
            64 * 1024,
            Duration.ofSeconds(10)),
        PushHubConfig.DEFAULT,
        HubConfig.DEFAULT);
  }

  public PushHub(ServerConfig server, PushHubConfig config, HubConfig hub) {
    this.service = new PushHubService(config);
    this.server = new HeraldServer(server, hub, Stores.local(), List.of(service));
  }

  /** Starts listening; returns when the port accepts connections. */
  public void start() {
    server.start().await();
  }

  /** The Netty transport the hub's event loops run on: io_uring, epoll or nio. */
  public String transport() {
    return server.transportName();
  }

  /**
   * Closes every client with 1001 after flushing what is queued (up to the shutdown timeout), then
   * the port.
   */
  public void stop() {
    server.stop().await();
  }

  /** {@code new_anomaly} with {@code {"log": log, "analysis": analysisResult}}. */
  public long broadcastNewAnomaly(Object log, Object analysisResult) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("log", log);
    data.put("analysis", analysisResult);
    return service.publish(MessageTypes.NEW_ANOMALY, Json.write(data));
  }

  /** {@code log_update} with {@code {"log": log}}. */
  public long broadcastLogUpdate(Object log) {
    return service.publish(MessageTypes.LOG_UPDATE, Json.write(Map.of("log", log)));
  }

  /** {@code stats_update} with {@code {"stats": stats}}. */
  public long broadcastStatsUpdate(Object stats) {
    return service.publish(MessageTypes.STATS_UPDATE, Json.write(Map.of("stats", stats)));
  }

  /** {@code system_alert} with alertType, message, severity and the current timestamp. */
  public long broadcastSystemAlert(String alertType, String message, String severity) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("alertType", alertType);
    data.put("message", message);
    data.put("severity", severity);
    data.put("timestamp", Instant.now().toString());
    return service.publish(MessageTypes.SYSTEM_ALERT, Json.write(data));
  }

  /** {connectedClients, hubStatus, uptime}, as the seed's GetConnectionStats. */
  public ConnectionStats connectionStats() {
    return service.stats();
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }
}
