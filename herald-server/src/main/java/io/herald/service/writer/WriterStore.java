package io.herald.service.writer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's SQL. Every command is idempotent: creates are {@code INSERT IGNORE} on the unique keys
 * (application, number) and (chat, number), so a redelivered create adds no second row; an update sets the body
 * it carries. Runs inside the caller's transaction.
 */
final class WriterStore {
  /** What applying a command did. */
  sealed interface Outcome {
    /** Done. {@code created}: a new row (counts change); {@code entity}: the application or chat whose count it is. */
    record Applied(boolean created, Counters.Kind kind, long entity, SearchDoc doc) implements Outcome {}

    /** The row it needs (a chat, or the message to update) is not there yet: try again later. */
    record Waiting(String reason) implements Outcome {}

    /** Can never succeed. */
    record Poisoned(String reason) implements Outcome {}
  }

  /** A message as the search index holds it. */
  record SearchDoc(String token, int chatNumber, int number, String body) {
    String id() {
      return token + ":" + chatNumber + ":" + number;
    }
  }

  /** Application tokens never change their id: cached for the life of the process. */
  private final Map<String, Long> applications = new ConcurrentHashMap<>();
  /** Nor do chats, once they exist: (application id, number) to chat id, bounded by clearing. */
  private final Map<Long, Map<Integer, Long>> chats = new ConcurrentHashMap<>();
  private static final int CHAT_CACHE_MAX = 100_000;

  /**
   * Applies one queue's batch in the caller's transaction. Creates of the batch go to the database as one JDBC
   * batch (one round trip, not one per message); updates run one by one, because each must tell whether its
   * message exists yet.
   */
  List<Outcome> applyAll(Connection c, List<WriterCommand> cmds) throws SQLException {
    if (cmds.isEmpty() || cmds.getFirst() instanceof WriterCommand.UpdateMessage) {
      List<Outcome> out = new ArrayList<>(cmds.size());
      for (WriterCommand cmd : cmds) out.add(apply(c, cmd));
      return out;
    }
    Outcome[] out = new Outcome[cmds.size()];
    List<Integer> batched = new ArrayList<>();
    boolean chatsBatch = cmds.getFirst() instanceof WriterCommand.CreateChat;
    long[] entity = new long[cmds.size()];
    try (PreparedStatement p = c.prepareStatement(chatsBatch
        ? "INSERT IGNORE INTO chats (application_id, number, creator_id) VALUES (?, ?, ?)"
        : "INSERT IGNORE INTO messages (chat_id, number, body, creator_id) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < cmds.size(); i++) {
        Long app = application(c, cmds.get(i).token());
        if (app == null) {
          out[i] = new Outcome.Poisoned("unknown application token");
          continue;
        }
        switch (cmds.get(i)) {
          case WriterCommand.CreateChat m -> {
            p.setLong(1, app);
            p.setInt(2, m.number());
            p.setObject(3, m.creatorId());
            entity[i] = app;
          }
          case WriterCommand.CreateMessage m -> {
            Long chat = chat(c, app, m.chatNumber());
            if (chat == null) {
              out[i] = new Outcome.Waiting("chat " + m.chatNumber() + " does not exist yet");
              continue;
            }
            p.setLong(1, chat);
            p.setInt(2, m.number());
            p.setString(3, m.body());
            p.setObject(4, m.creatorId());
            entity[i] = chat;
          }
          case WriterCommand.UpdateMessage m -> throw new IllegalArgumentException("updates are not batched");
        }
        p.addBatch();
        batched.add(i);
      }
      int[] counts = batched.isEmpty() ? new int[0] : p.executeBatch();
      for (int j = 0; j < batched.size(); j++) {
        int i = batched.get(j);
        // 1: inserted; 0: a duplicate (redelivery); SUCCESS_NO_INFO: unknown, the count sync settles it.
        boolean created = counts[j] == 1;
        out[i] = switch (cmds.get(i)) {
          case WriterCommand.CreateChat m -> new Outcome.Applied(created, Counters.Kind.CHATS, entity[i], null);
          case WriterCommand.CreateMessage m -> new Outcome.Applied(created, Counters.Kind.MESSAGES, entity[i],
              new SearchDoc(m.token(), m.chatNumber(), m.number(), m.body()));
          case WriterCommand.UpdateMessage m -> throw new IllegalStateException();
        };
      }
    }
    return List.of(out);
  }

  Outcome apply(Connection c, WriterCommand cmd) throws SQLException {
    Long app = application(c, cmd.token());
    if (app == null) return new Outcome.Poisoned("unknown application token");
    return switch (cmd) {
      case WriterCommand.CreateChat m -> {
        try (PreparedStatement p = c.prepareStatement("INSERT IGNORE INTO chats (application_id, number, creator_id) VALUES (?, ?, ?)")) {
          p.setLong(1, app);
          p.setInt(2, m.number());
          p.setObject(3, m.creatorId());
          yield new Outcome.Applied(p.executeUpdate() == 1, Counters.Kind.CHATS, app, null);
        }
      }
      case WriterCommand.CreateMessage m -> {
        Long chat = chat(c, app, m.chatNumber());
        if (chat == null) yield new Outcome.Waiting("chat " + m.chatNumber() + " does not exist yet");
        try (PreparedStatement p = c.prepareStatement("INSERT IGNORE INTO messages (chat_id, number, body, creator_id) VALUES (?, ?, ?, ?)")) {
          p.setLong(1, chat);
          p.setInt(2, m.number());
          p.setString(3, m.body());
          p.setObject(4, m.creatorId());
          boolean created = p.executeUpdate() == 1;
          yield new Outcome.Applied(created, Counters.Kind.MESSAGES, chat, new SearchDoc(m.token(), m.chatNumber(), m.number(), m.body()));
        }
      }
      case WriterCommand.UpdateMessage m -> {
        Long chat = chat(c, app, m.chatNumber());
        if (chat == null) yield new Outcome.Waiting("chat " + m.chatNumber() + " does not exist yet");
        try (PreparedStatement p = c.prepareStatement("UPDATE messages SET body = ? WHERE chat_id = ? AND number = ?")) {
          p.setString(1, m.body());
          p.setLong(2, chat);
          p.setInt(3, m.number());
          // MariaDB Connector/J reports matched rows by default, so an unchanged body still counts as found.
          if (p.executeUpdate() == 0) yield new Outcome.Waiting("message " + m.number() + " does not exist yet");
          yield new Outcome.Applied(false, Counters.Kind.MESSAGES, chat, new SearchDoc(m.token(), m.chatNumber(), m.number(), m.body()));
        }
      }
    };
  }

  private Long application(Connection c, String token) throws SQLException {
    Long id = applications.get(token);
    if (id != null) return id;
    try (PreparedStatement p = c.prepareStatement("SELECT id FROM applications WHERE token = ?")) {
      p.setString(1, token);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) return null;
        id = rs.getLong(1);
      }
    }
    applications.put(token, id);
    return id;
  }

  private Long chat(Connection c, long app, int number) throws SQLException {
    Map<Integer, Long> byNumber = chats.get(app);
    Long id = byNumber == null ? null : byNumber.get(number);
    if (id != null) return id;
    try (PreparedStatement p = c.prepareStatement("SELECT id FROM chats WHERE application_id = ? AND number = ?")) {
      p.setLong(1, app);
      p.setInt(2, number);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) return null;  // not cached: it may appear later
        id = rs.getLong(1);
      }
    }
    if (chats.values().stream().mapToInt(Map::size).sum() > CHAT_CACHE_MAX) chats.clear();
    chats.computeIfAbsent(app, k -> new ConcurrentHashMap<>()).put(number, id);
    return id;
  }
}
