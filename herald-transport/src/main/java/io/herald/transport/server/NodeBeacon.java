package io.herald.transport.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node says of itself on the shared engine at each heartbeat: a few hundred bytes of JSON,
 * nothing secret (no key, no client address, no payload).
 *
 * @param id random per process, so a node restarted on the same address is a new node
 * @param address host:port its clients reach it on (the machine's name when it listens on every
 *     address)
 * @param services the services it runs
 * @param pid its process id, to find it with ps or jcmd on its machine
 * @param startedAt when it started
 * @param connections its open TCP connections when it announced itself
 */
public record NodeBeacon(
    String id,
    String address,
    List<String> services,
    long pid,
    Instant startedAt,
    int connections) {
  public NodeBeacon {
    services = List.copyOf(services);
  }

  String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("address", address);
    m.put("services", services);
    m.put("pid", pid);
    m.put("startedAt", startedAt.toString());
    m.put("connections", connections);
    return Json.write(m);
  }

  /**
   * The beacon in {@code json}, or null when it is not one (written by another version, or by
   * hand): skipped.
   */
  static NodeBeacon parse(String json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (!n.path("id").isTextual()
          || !n.path("address").isTextual()
          || !n.path("services").isArray()) return null;
      List<String> services = new ArrayList<>();
      n.path("services").forEach(s -> services.add(s.asText()));
      return new NodeBeacon(
          n.get("id").asText(),
          n.get("address").asText(),
          services,
          n.path("pid").asLong(),
          Instant.parse(n.path("startedAt").asText()),
          n.path("connections").asInt());
    } catch (JsonProcessingException | DateTimeParseException e) {
      return null;
    }
  }
}
