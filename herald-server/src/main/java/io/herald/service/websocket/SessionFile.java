package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.store.file.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recoverable Socket.IO sessions, written every second while they change and at a graceful
 * stop, and read back at the next start, so that clients that were connected during a restart, or a
 * crash, recover their socket id, rooms and missed events (with the hub's journal in the same
 * directory, HERALD_HISTORY_DIR). Expiry is kept as wall-clock time: the monotonic clock starts
 * again with the process. The file is read once and deleted; it is readable by its owner only (a
 * pid resumes a session).
 */
final class SessionFile {
  static final String NAME = "socket.io-sessions.json";

  private SessionFile() {}

  static void write(Path dir, Collection<Sockets.Saved> sessions, Instant now, long nowNanos)
      throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Sockets.Saved s : sessions) {
      Map<String, Object> m = encode(s, now, nowNanos);
      if (m != null) out.add(m);
    }
    Path tmp =
        dir.resolve(NAME + ".tmp"); // one writer at a time: the service holds its session-file lock
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, OwnerOnly.FILE);
    Files.writeString(tmp, Json.write(out));
    Files.move(
        tmp,
        dir.resolve(NAME),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The sessions not yet expired, and the file gone; empty when there is none or it cannot be read.
   */
  static List<Sockets.Saved> read(Path dir, Instant now, long nowNanos) throws IOException {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) return List.of();
    JsonNode all;
    try {
      all = Json.MAPPER.readTree(Files.readString(file));
    } finally {
      Files.delete(
          file); // read once: a session resumed after this start must not come back after the next
    }
    List<Sockets.Saved> out = new ArrayList<>();
    for (JsonNode m : all) {
      Sockets.Saved saved = decode(m, now, nowNanos);
      if (saved != null) out.add(saved);
    }
    return out;
  }

  /**
   * One session as JSON, its expiry as wall-clock time (the monotonic clock is this process's own):
   * the file's entries, and what the Redis engine keeps for another node. Null when already
   * expired.
   */
  static Map<String, Object> encode(Sockets.Saved s, Instant now, long nowNanos) {
    long leftMillis = (s.expiresNanos() - nowNanos) / 1_000_000;
    if (leftMillis <= 0) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", s.pid());
    m.put("sid", s.socketId());
    m.put("userId", s.user().userId());
    m.put("email", s.user().email());
    m.put("role", s.user().role());
    m.put("rooms", List.copyOf(s.rooms()));
    m.put("expiresAt", now.toEpochMilli() + leftMillis);
    return m;
  }

  /** The session {@link #encode} wrote, or null when it has expired. */
  static Sockets.Saved decode(JsonNode m, Instant now, long nowNanos) {
    long leftMillis = m.path("expiresAt").asLong() - now.toEpochMilli();
    if (leftMillis <= 0) return null;
    Set<String> rooms = new HashSet<>();
    m.path("rooms").forEach(r -> rooms.add(r.asText()));
    return new Sockets.Saved(
        m.path("pid").asText(),
        m.path("sid").asText(),
        new SioUser(text(m, "userId"), text(m, "email"), text(m, "role")),
        Set.copyOf(rooms),
        nowNanos + leftMillis * 1_000_000);
  }

  private static String text(JsonNode m, String field) {
    return m.path(field).isTextual() ? m.get(field).asText() : null;
  }
}
