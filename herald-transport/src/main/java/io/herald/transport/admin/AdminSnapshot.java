package io.herald.transport.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.json.Json;
import io.herald.transport.metrics.Metrics;
import io.herald.transport.server.AdminBoard;
import io.herald.transport.server.NodeSeen;
import io.herald.transport.server.ServerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON the page polls: this node, its engine, the deployment's nodes, its health, its
 * connections, channels and rooms, its totals and the charted last minutes. Read from what the node
 * keeps anyway; nothing here is a secret (no key, no payload, no client address), but channel and
 * room names are, to an outsider, information: hence the key.
 */
final class AdminSnapshot {
  /**
   * Rows the page lists of channels and of rooms: the largest; the totals say how many there are.
   */
  static final int ROWS = 50;

  private final ServerContext ctx;
  private final AdminSampler sampler;
  private final AdminNode node;

  AdminSnapshot(ServerContext ctx, AdminSampler sampler, AdminNode node) {
    this.ctx = ctx;
    this.sampler = sampler;
    this.node = node;
  }

  Map<String, Object> take() {
    Map<String, Object> out = new LinkedHashMap<>();
    Instant now = ctx.clock().instant();
    out.put("time", now.toString());
    out.put("node", node());
    out.put("uptimeSeconds", Duration.between(node.startedAt(), now).toSeconds());
    out.put("engine", engine());
    out.put("nodes", nodes(now));
    out.put("health", health());
    out.put("connections", connections());
    var hub = ctx.admin().channels();
    out.put(
        "channels",
        Map.of(
            "total",
            hub.channels(),
            "subscriptions",
            hub.subscriptions(),
            "busiest",
            ctx.admin().busiestChannels(ROWS)));
    AdminBoard.Largest groups = ctx.admin().largestGroups(ROWS);
    out.put("rooms", Map.of("total", groups.total(), "largest", groups.largest()));
    out.put("totals", totals(hub.published()));
    out.put("now", sampler.now());
    out.put("series", sampler.points());
    return out;
  }

  /** The node with its start as text: the shared mapper writes no {@code java.time} values. */
  private Map<String, Object> node() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("services", node.services());
    m.put("host", node.host());
    m.put("port", node.port());
    m.put("eventLoops", node.eventLoops());
    m.put("pid", node.pid());
    m.put("startedAt", node.startedAt().toString());
    return m;
  }

  private Map<String, Object> engine() {
    AdminBoard.EngineState e = ctx.admin().engine();
    String problem = e.problem();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", e.name());
    m.put("shared", e.shared());
    m.put("status", problem == null ? "up" : "down");
    m.put("problem", problem);
    return m;
  }

  /**
   * The deployment's nodes, this one first and marked: on a shared engine, every node heard from
   * lately.
   */
  private List<Map<String, Object>> nodes(Instant now) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (NodeSeen n : ctx.admin().nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", n.beacon().id());
      m.put("address", n.beacon().address());
      m.put("services", n.beacon().services());
      m.put("connections", n.beacon().connections());
      m.put("pid", n.beacon().pid());
      m.put("startedAt", n.beacon().startedAt().toString());
      m.put("lastSeen", n.lastSeen().toString());
      m.put("secondsAgo", Math.max(0, Duration.between(n.lastSeen(), now).toSeconds()));
      m.put("state", n.state().name().toLowerCase(Locale.ROOT));
      m.put("self", n.self());
      out.add(m);
    }
    return out;
  }

  /** /health's answer as it stands: the services running and the dependencies, up or down. */
  private Object health() {
    try {
      return Json.MAPPER.readTree(ctx.health().report().body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the health report is not JSON", e);
    }
  }

  private Map<String, Object> connections() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tcp", ctx.admission().open());
    m.put("websocket", ctx.connections().count());
    m.put("budget", ctx.admission().config().maxConnections());
    m.put("byService", ctx.admin().connections());
    return m;
  }

  private Map<String, Object> totals(long published) {
    Metrics metrics = ctx.metrics();
    Map<String, Long> disconnects = metrics.countsBy("herald_disconnects", "reason");
    Map<String, Long> dropped = metrics.countsBy("herald_outbox_dropped", "reason");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("published", published);
    m.put("delivered", metrics.delivered());
    m.put("outboxDepth", metrics.outboxDepth());
    m.put("outboxOverflows", dropped.getOrDefault("outbox_full", 0L));
    m.put(
        "slowConsumerCloses",
        disconnects.getOrDefault(CloseReason.SLOW_CONSUMER.reason().replace(' ', '_'), 0L));
    m.put("disconnects", disconnects);
    m.put("dropped", dropped);
    m.put("refused", metrics.countsBy("herald_connections_refused", "reason"));
    return m;
  }
}
