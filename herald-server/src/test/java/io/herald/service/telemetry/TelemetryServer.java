package io.herald.service.telemetry;

import io.herald.service.ServiceServer;
import io.herald.store.EngineConfig;
import io.herald.store.Namespace;
import io.herald.transport.server.HeraldServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A real Herald running the telemetry service on a free loopback port. */
final class TelemetryServer implements AutoCloseable {
  final HeraldServer server;
  final int port;
  private final ServiceServer running;

  TelemetryServer(TelemetryConfig config) {
    this(config, "127.0.0.1");
  }

  TelemetryServer(TelemetryConfig config, String host) {
    running = ServiceServer.of(new TelemetryService(config)).host(host).start();
    server = running.server();
    port = running.port();
  }

  /**
   * The seed's defaults with a short long-poll timeout; {@code redis} empty for the in-memory
   * store.
   */
  static TelemetryConfig config(
      Optional<String> redis, Duration longPoll, Duration ttl, Optional<String> apiKey) {
    return new TelemetryConfig(
        redis,
        Tokens.SECRET.getBytes(StandardCharsets.UTF_8),
        100,
        longPoll,
        "test",
        List.of(),
        ttl,
        apiKey,
        Duration.ofSeconds(30),
        10_000,
        Duration.ofMillis(500),
        Namespace.DEFAULT,
        EngineConfig.MEMORY);
  }

  @Override
  public void close() {
    running.close();
  }
}
