package io.herald.service.websocket;

import com.nimbusds.jwt.JWTClaimsSet;
import io.herald.config.Env;
import io.herald.core.hub.HubConfig;
import io.herald.service.ServiceServer;
import io.herald.store.EngineConfig;
import io.herald.store.Stores;
import io.herald.testkit.Jwts;
import io.herald.testkit.Ports;
import io.herald.transport.http.TrustedProxies;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Herald running the websocket service on a free loopback port, configured with the seed's
 * variables.
 */
final class SioServer implements AutoCloseable {
  static final String SECRET = "socket-io-test-secret-of-32-bytes-at-least";
  final int port;
  final WebsocketService service;
  private final ServiceServer server;

  SioServer(Map<String, String> env) {
    this(env, false);
  }

  SioServer(Map<String, String> env, boolean withKafka) {
    this(env, withKafka, Ports.free());
  }

  SioServer(Map<String, String> env, boolean withKafka, int port) {
    this(env, withKafka, port, HubConfig.DEFAULT);
  }

  SioServer(Map<String, String> env, boolean withKafka, int port, HubConfig hub) {
    this.port = port;
    Map<String, String> vars =
        new HashMap<>(Map.of("JWT_SECRET", SECRET, "MAX_CONNECTIONS_PER_IP", "50"));
    vars.putAll(env);
    service = new WebsocketService(WebsocketConfig.from(Env.of(vars)), withKafka);
    // As `herald websocket` reads them: REDIS_URL alone puts the node on the Redis engine.
    server =
        ServiceServer.of(service)
            .port(port)
            .maxBody(65536)
            .shutdown(Duration.ofSeconds(5))
            .hub(hub)
            .engines(new Stores(EngineConfig.from(Env.of(vars), true)))
            .proxies(TrustedProxies.of(Env.of(vars).list("HERALD_TRUSTED_PROXIES", List.of())))
            .start();
  }

  static String token(String userId, String role) {
    return sign(
        new JWTClaimsSet.Builder()
            .claim("userId", userId)
            .claim("email", userId + "@example.com")
            .claim("role", role)
            .issueTime(new Date())
            .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
            .build());
  }

  /** Signed with the server's secret; any claims. */
  static String sign(JWTClaimsSet claims) {
    return Jwts.sign("HS256", SECRET, claims.toJSONObject());
  }

  @Override
  public void close() {
    server.close();
  }
}
