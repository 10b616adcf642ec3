package io.herald.service.writer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

  private static Long chat(Connection c, long app, int number) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT id FROM chats WHERE application_id = ? AND number = ?")) {
      p.setLong(1, app);
      p.setInt(2, number);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }
}
