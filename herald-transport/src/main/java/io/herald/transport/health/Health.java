package io.herald.transport.health;

import io.herald.protocol.json.Json;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry behind GET /health: every running service and every dependency, 503 when any is
 * down.
 */
public final class Health {
  private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
  private final InstantSource clock;

  public Health(InstantSource clock) {
    this.clock = clock;
  }

  public void register(HealthCheck check) {
    checks.add(check);
  }

  /** The HTTP status and JSON body of a health request. */
  public record Report(int status, String body) {}

  public Report report() {
    Map<String, Object> services = new LinkedHashMap<>();
    Map<String, Object> dependencies = new LinkedHashMap<>();
    boolean allUp = true;
    for (HealthCheck c : checks) {
      HealthStatus s;
      try {
        s = c.check();
      } catch (RuntimeException e) {
        s = HealthStatus.down("health check failed: " + e.getClass().getSimpleName());
      }
      allUp &= s.up();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("status", s.up() ? "up" : "down");
      entry.putAll(s.details());
      // Services that share a dependency (report-listener and writer both use MariaDB under `all`)
      // report it
      // under one name: down when any of them finds it down.
      (c.kind().equals("service") ? services : dependencies)
          .merge(c.name(), entry, Health::combine);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", allUp ? "ok" : "degraded");
    body.put("timestamp", clock.instant().toString());
    body.put("services", services);
    body.put("dependencies", dependencies);
    return new Report(allUp ? 200 : 503, Json.write(body));
  }

  @SuppressWarnings("unchecked")
  private static Object combine(Object a, Object b) {
    Map<String, Object> x = new LinkedHashMap<>((Map<String, Object>) a),
        y = (Map<String, Object>) b;
    if ("down".equals(y.get("status"))) x.put("status", "down");
    y.forEach(
        (k, v) -> {
          if (k.equals("error") && x.containsKey("error") && !x.get("error").equals(v))
            x.put("error", x.get("error") + "; " + v);
          else if (!k.equals("status")) x.putIfAbsent(k, v);
        });
    return x;
  }
}
