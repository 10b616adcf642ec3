package io.herald.service.websocket;

import io.herald.config.Env;
import io.herald.core.outbox.CloseReason;
import io.herald.core.outbox.OutboxConfig;
import io.herald.core.outbox.OverflowPolicy;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.eio.EioConfig;
import io.herald.transport.sio.SioLimits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Socket.IO service (seed 003), read from the seed's variables with its defaults, plus Herald's
 * own.
 *
 * @param kafka the Kafka source; {@code kafkaConfigured} says whether KAFKA_BROKERS was set, {@code
 *     kafkaEnabled} is HERALD_KAFKA_ENABLED (false: HTTP broadcasts only, no Kafka dependency)
 * @param jwtSecret JWT_SECRET as bytes, empty when unset (then every token is refused, anonymous
 *     works)
 * @param jwtLeeway HERALD_JWT_LEEWAY, as telemetry's
 * @param allowedOrigins ALLOWED_ORIGINS, comma-separated; {@code *} allows any page
 * @param eio HEARTBEAT_INTERVAL (ping interval), CONNECTION_TIMEOUT (ping timeout), payload and
 *     outbox
 * @param maxConnectionsPerIp MAX_CONNECTIONS_PER_IP: Socket.IO sessions at once from one address
 * @param rateLimitWindow RATE_LIMIT_WINDOW: the window client events are counted in
 * @param rateLimitMax RATE_LIMIT_MAX_MESSAGES: events allowed per window and socket
 * @param recovery HERALD_SIO_RECOVERY: connection state recovery on (Socket.IO v4's pid and
 *     offsets)
 * @param recoveryWindow HERALD_SIO_RECOVERY_WINDOW: how long a disconnected session can be
 *     recovered
 * @param apiKey HERALD_API_KEY: when set, the /api/broadcast/* routes and /api/stats need it
 * @param connectTimeout HERALD_SIO_CONNECT_TIMEOUT: an Engine.IO session that has not joined the
 *     namespace by then is closed
 * @param requireToken HERALD_SIO_REQUIRE_TOKEN: refuse anonymous sockets (a CONNECT without
 *     auth.token)
 */
public record WebsocketConfig(
    KafkaConfig kafka,
    boolean kafkaConfigured,
    boolean kafkaEnabled,
    byte[] jwtSecret,
    Duration jwtLeeway,
    List<String> allowedOrigins,
    EioConfig eio,
    int maxConnectionsPerIp,
    Duration rateLimitWindow,
    int rateLimitMax,
    boolean recovery,
    Duration recoveryWindow,
    Optional<String> apiKey,
    Duration connectTimeout,
    boolean requireToken) {
  /**
   * Engine.IO's default maxPayload (the specification's and Socket.IO's maxHttpBufferSize):
   * 1,000,000 bytes.
   */
  public static final int DEFAULT_MAX_PAYLOAD = 1_000_000;

  /**
   * The largest maxPayload accepted: one message of this size may be held per connection while it
   * is read.
   */
  public static final int MAX_PAYLOAD_CAP = 16 * 1024 * 1024;

  static final List<String> DEFAULT_ORIGINS =
      List.of("http://localhost:3000", "http://localhost:3001", "http://localhost:3002");

  /**
   * @param offsetReset HERALD_KAFKA_OFFSET_RESET: where a new consumer group starts (latest, as the
   *     seed's kafkajs)
   */
  public record KafkaConfig(
      String brokers,
      String clientId,
      String groupId,
      String responses,
      String analytics,
      String locations,
      String notifications,
      String offsetReset) {
    List<String> topics() {
      return List.of(responses, analytics, locations, notifications);
    }
  }

  public static WebsocketConfig from(Env env) {
    KafkaConfig kafka =
        new KafkaConfig(
            env.string("KAFKA_BROKERS", "localhost:29092"),
            env.string("KAFKA_CLIENT_ID", "websocket-service"),
            env.string("KAFKA_GROUP_ID", "websocket-consumers"),
            env.string("KAFKA_TOPIC_RESPONSES", "survey.responses"),
            env.string("KAFKA_TOPIC_ANALYTICS", "survey.analytics"),
            env.string("KAFKA_TOPIC_LOCATIONS", "surveyor.locations"),
            env.string("KAFKA_TOPIC_NOTIFICATIONS", "system.notifications"),
            env.choice("HERALD_KAFKA_OFFSET_RESET", "latest", List.of("latest", "earliest")));
    byte[] secret = JwtVerifier.secret(env);
    OutboxConfig outbox =
        new OutboxConfig(
            env.integer(
                "HERALD_OUTBOX_MAX_MESSAGES", OutboxConfig.DEFAULT.maxMessages(), 1, 1_000_000),
            Math.max(1, env.bytes("HERALD_OUTBOX_MAX_BYTES", OutboxConfig.DEFAULT.maxBytes())),
            new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));
    EioConfig eio =
        new EioConfig(
            Duration.ofMillis(env.integer("HEARTBEAT_INTERVAL", 30_000, 1, 86_400_000)),
            Duration.ofMillis(env.integer("CONNECTION_TIMEOUT", 60_000, 1, 86_400_000)),
            maxPayload(env),
            env.duration("HERALD_WS_WRITE_TIMEOUT", Duration.ofSeconds(10)),
            outbox);
    return new WebsocketConfig(
        kafka,
        env.optional("KAFKA_BROKERS").isPresent(),
        env.bool("HERALD_KAFKA_ENABLED", true),
        secret,
        JwtVerifier.leeway(env),
        env.list("ALLOWED_ORIGINS", DEFAULT_ORIGINS),
        eio,
        env.integer("MAX_CONNECTIONS_PER_IP", 10, 1, 1_000_000),
        Duration.ofMillis(env.integer("RATE_LIMIT_WINDOW", 60_000, 1, 86_400_000)),
        env.integer("RATE_LIMIT_MAX_MESSAGES", 100, 1, 1_000_000_000),
        env.bool("HERALD_SIO_RECOVERY", true),
        env.duration("HERALD_SIO_RECOVERY_WINDOW", Duration.ofMinutes(2)),
        env.optional("HERALD_API_KEY"),
        env.duration("HERALD_SIO_CONNECT_TIMEOUT", Duration.ofSeconds(45)),
        env.bool("HERALD_SIO_REQUIRE_TOKEN", false));
  }

  /**
   * HERALD_SIO_MAX_PAYLOAD, 64 bytes to {@value #MAX_PAYLOAD_CAP}: a value outside is an error at
   * start, not clamped.
   */
  private static int maxPayload(Env env) {
    long v = env.bytes("HERALD_SIO_MAX_PAYLOAD", DEFAULT_MAX_PAYLOAD);
    if (v >= 64 && v <= MAX_PAYLOAD_CAP) return (int) v;
    env.error(
        "HERALD_SIO_MAX_PAYLOAD="
            + v
            + ": expected 64 bytes to 16 MiB ("
            + MAX_PAYLOAD_CAP
            + " bytes)");
    return DEFAULT_MAX_PAYLOAD;
  }

  /**
   * The connection's limits: the connect timeout and RATE_LIMIT_MAX_MESSAGES per RATE_LIMIT_WINDOW.
   */
  SioLimits limits() {
    return new SioLimits(connectTimeout, rateLimitMax, rateLimitWindow);
  }

  boolean allowsOrigin(String origin) {
    return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
  }

  @Override
  public String toString() { // never print the secret or the key
    return "WebsocketConfig[kafka="
        + kafka
        + ", jwt="
        + (jwtSecret.length > 0 ? "***" : "unset")
        + ", allowedOrigins="
        + allowedOrigins
        + ", eio="
        + eio
        + ", maxConnectionsPerIp="
        + maxConnectionsPerIp
        + ", rateLimit="
        + rateLimitMax
        + "/"
        + rateLimitWindow
        + ", recovery="
        + (recovery ? recoveryWindow : "off")
        + ", apiKey="
        + (apiKey.isPresent() ? "***" : "unset")
        + ", requireToken="
        + requireToken
        + "]";
  }
}
