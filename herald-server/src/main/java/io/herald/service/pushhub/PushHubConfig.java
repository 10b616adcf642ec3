package io.herald.service.pushhub;

import io.herald.config.Env;
import io.herald.core.outbox.CloseReason;
import io.herald.core.outbox.OutboxConfig;
import io.herald.core.outbox.OverflowPolicy;
import io.herald.transport.ws.WsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The push hub (seed 004). The seed has no environment variables (its values are Go constants);
 * Herald makes them configurable under the names below, with the seed's values as defaults.
 *
 * @param allowedOrigins ALLOWED_ORIGINS: browser origins allowed to open /ws; {@code *} allows any
 *     (the seed's development behaviour, and the default, with a warning at start)
 * @param apiKey HERALD_API_KEY: when set, POST /api/v1/broadcast needs it as a bearer token or
 *     X-API-Key
 * @param ws heartbeat, limits and outbox of each connection
 */
public record PushHubConfig(List<String> allowedOrigins, Optional<String> apiKey, WsConfig ws) {
  public static final PushHubConfig DEFAULT =
      new PushHubConfig(List.of("*"), Optional.empty(), WsConfig.DEFAULT);

  public PushHubConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public boolean allowsAnyOrigin() {
    return allowedOrigins.contains("*");
  }

  public static PushHubConfig from(Env env) {
    OutboxConfig outbox =
        new OutboxConfig(
            env.integer(
                "HERALD_OUTBOX_MAX_MESSAGES", OutboxConfig.DEFAULT.maxMessages(), 1, 1_000_000),
            env.bytes("HERALD_OUTBOX_MAX_BYTES", OutboxConfig.DEFAULT.maxBytes()),
            new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));
    WsConfig d = WsConfig.DEFAULT;
    Duration ping = positive(env, "HERALD_WS_PING_PERIOD", d.pingPeriod());
    Duration pong = positive(env, "HERALD_WS_PONG_TIMEOUT", d.pongTimeout());
    Duration write = positive(env, "HERALD_WS_WRITE_TIMEOUT", d.writeTimeout());
    int max = env.integer("HERALD_WS_MAX_MESSAGE_SIZE", d.maxMessageBytes(), 1, 65536);
    if (ping.compareTo(pong) >= 0)
      env.error("HERALD_WS_PING_PERIOD must be shorter than HERALD_WS_PONG_TIMEOUT");
    if (outbox.maxBytes() < 1) env.error("HERALD_OUTBOX_MAX_BYTES must be positive");
    return new PushHubConfig(
        env.list("ALLOWED_ORIGINS", List.of("*")),
        env.optional("HERALD_API_KEY"),
        new WsConfig(ping, pong, write, max, outbox));
  }

  private static Duration positive(Env env, String name, Duration def) {
    Duration v = env.duration(name, def);
    if (v.toMillis() < 1) {
      env.error(name + " must be at least 1ms");
      return def;
    }
    return v;
  }

  @Override
  public String toString() { // never print the key
    return "PushHubConfig[allowedOrigins="
        + allowedOrigins
        + ", apiKey="
        + (apiKey.isPresent() ? "***" : "unset")
        + ", ws="
        + ws
        + "]";
  }
}
