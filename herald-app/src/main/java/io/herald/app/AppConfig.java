package io.herald.app;

import io.herald.config.ConfigException;
import io.herald.config.Env;
import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.HubConfig;
import io.herald.service.pushhub.PushHubConfig;
import io.herald.service.reportlistener.ReportListenerConfig;
import io.herald.service.telemetry.TelemetryConfig;
import io.herald.service.websocket.WebsocketConfig;
import io.herald.service.writer.WriterConfig;
import io.herald.store.EngineConfig;
import io.herald.transport.admin.AdminConfig;
import io.herald.transport.http.TrustedProxies;
import io.herald.transport.server.AdmissionConfig;
import io.herald.transport.server.NetTransport;
import io.herald.transport.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything `herald` reads from the environment, checked once: a bad value anywhere fails start-up
 * with one message naming every bad variable.
 */
record AppConfig(
    String logLevel,
    String logFormat,
    ServerConfig server,
    HubConfig hub,
    EngineConfig engine,
    PushHubConfig pushHub,
    ReportListenerConfig reportListener,
    boolean databaseConfigured,
    TelemetryConfig telemetry,
    WriterConfig writer,
    boolean brokerConfigured,
    WebsocketConfig websocket,
    WarmupConfig warmup,
    AdminConfig admin) {
  private static TrustedProxies proxies(Env env) {
    try {
      return TrustedProxies.of(env.list("HERALD_TRUSTED_PROXIES", List.of()));
    } catch (IllegalArgumentException e) {
      env.error("HERALD_TRUSTED_PROXIES: " + e.getMessage());
      return TrustedProxies.NONE;
    }
  }

  private static Duration nodeHeartbeat(Env env) {
    Duration d = env.duration("HERALD_NODE_HEARTBEAT", ServerConfig.DEFAULT_NODE_HEARTBEAT);
    if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofMinutes(1)) > 0) {
      env.error("HERALD_NODE_HEARTBEAT must be between 100ms and 1m");
      return ServerConfig.DEFAULT_NODE_HEARTBEAT;
    }
    return d;
  }

  private static Duration headerTimeout(Env env) {
    Duration d = env.duration("HERALD_HEADER_TIMEOUT", ServerConfig.DEFAULT_HEADER_TIMEOUT);
    if (!d.isPositive()) {
      env.error(
          "HERALD_HEADER_TIMEOUT must be positive (a connection that never sends a request head is held for ever)");
      return ServerConfig.DEFAULT_HEADER_TIMEOUT;
    }
    return d;
  }

  /** What every service reads: logging, the server, history, the engine and the operator's page. */
  record Base(
      String logLevel,
      String logFormat,
      ServerConfig server,
      HubConfig hub,
      EngineConfig engine,
      AdminConfig admin) {}

  static Base base(Env env, ServiceName service) {
    String level = env.choice("LOG_LEVEL", "info", List.of("debug", "info", "warn", "error"));
    String format = env.choice("LOG_FORMAT", "text", List.of("text", "json"));
    ServerConfig server =
        new ServerConfig(
            env.string("HERALD_HOST", "0.0.0.0"),
            env.integer("PORT", service.defaultPort, 0, 65535),
            // Twice the cores, as Netty and Vert.x default to: a loop preempted by another process
            // mid fan-out holds up
            // only its share of the sockets, and more runnable loops keep Herald's share of a busy
            // machine's CPU
            // (docs/benchmarks/history.md, "Under a third-party generator": p99 at 100 publishes/s
            // 72 -> 45 ms, the Go hub's 56).
            env.integer(
                "HERALD_EVENT_LOOPS", 2 * Runtime.getRuntime().availableProcessors(), 1, 256),
            env.bytes("HERALD_MAX_BODY", 64 * 1024),
            env.duration("HERALD_SHUTDOWN_TIMEOUT", Duration.ofSeconds(10)),
            env.bool("HERALD_WS_DEFLATE", true),
            proxies(env),
            headerTimeout(env),
            NetTransport.parse(env.choice("HERALD_TRANSPORT", "auto", NetTransport.NAMES)),
            AdmissionConfig.from(env),
            nodeHeartbeat(env));
    HubConfig hub =
        new HubConfig(
            new HistoryConfig(
                env.integer(
                    "HERALD_HISTORY_SIZE", HistoryConfig.DEFAULT.maxEvents(), 0, 10_000_000),
                env.duration("HERALD_HISTORY_TTL", HistoryConfig.DEFAULT.maxAge())),
            env.optional("HERALD_HISTORY_DIR").map(Path::of));
    // `herald websocket` keeps its seed's REDIS_URL (several instances through Redis) on the Redis
    // engine. Not under
    // `all`: there REDIS_URL is also telemetry's and writer's store, and would move every service
    // off this node.
    EngineConfig engine = EngineConfig.from(env, service == ServiceName.WEBSOCKET);
    if (engine.shared() && hub.journalDir().isPresent()) {
      boolean implied = env.optional("HERALD_ENGINE").isEmpty();
      env.error(
          "HERALD_HISTORY_DIR is the single-node journal; with "
              + (implied
                  ? "REDIS_URL (websocket shares broadcasts through the Redis engine) history lives in "
                      + "Redis: unset one of them, or set HERALD_ENGINE=memory for one instance with the journal"
                  : "HERALD_ENGINE="
                      + engine.kind().label()
                      + " history lives in the shared engine: unset one of them"));
    }
    return new Base(level, format, server, hub, engine, AdminConfig.from(env));
  }

  static AppConfig from(Env env, ServiceName service) throws ConfigException {
    Base base = base(env, service);
    String level = base.logLevel(), format = base.logFormat();
    ServerConfig server = base.server();
    HubConfig hub = base.hub();
    EngineConfig engine = base.engine();
    PushHubConfig pushHub = PushHubConfig.from(env);
    WarmupConfig warmup = WarmupConfig.from(env);
    boolean databaseConfigured = env.optional("DB_HOST").isPresent();
    ReportListenerConfig reportListener = ReportListenerConfig.from(env);
    TelemetryConfig telemetry = TelemetryConfig.from(env);
    if (service == ServiceName.TELEMETRY && !telemetry.jwtConfigured()) {
      env.error(
          "JWT_SECRET is required by telemetry: the secret your Spring application signs its tokens with");
    }
    boolean brokerConfigured = env.optional("RABBITMQ_URL").isPresent();
    WriterConfig writer = WriterConfig.from(env);
    WebsocketConfig websocket = WebsocketConfig.from(env);
    env.validate();
    return new AppConfig(
        level,
        format,
        server,
        hub,
        engine,
        pushHub,
        reportListener,
        databaseConfigured,
        telemetry,
        writer,
        brokerConfigured,
        websocket,
        warmup,
        base.admin());
  }
}
