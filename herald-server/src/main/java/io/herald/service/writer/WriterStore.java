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
 * The writer's SQL. Every command is idempotent: creates are {@code INSERT IGNORE} on the unique
 * keys (application, number) and (chat, number), so a redelivered create adds no second row; an
 * update sets the body it carries. Runs inside the caller's transaction.
 */
final class WriterStore {
  /** What applying a command did. */
  sealed interface Outcome {
    /**
     * Done. {@code created}: a new row (counts change); {@code entity}: the application or chat
     * whose count it is.
     */
    record Applied(boolean created, Counters.Kind kind, long entity, SearchDoc doc)
        implements Outcome {}

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
   * Applies one queue's batch in the caller's transaction. First each command's target is found
   * (the application by token, poisoned when unknown; for messages the chat, waiting when it is not
   * there yet). Creates then go to the database as one JDBC batch (one round trip, not one per
   * message); updates run one by one, because each must tell whether its message exists yet.
   */
  List<Outcome> applyAll(Connection c, List<WriterCommand> cmds) throws SQLException {
    Outcome[] out = new Outcome[cmds.size()];
    long[] target = new long[cmds.size()];
    List<Integer> creates = new ArrayList<>();
    for (int i = 0; i < cmds.size(); i++) {
      WriterCommand cmd = cmds.get(i);
      Long app = application(c, cmd.token());
      Long id =
          app == null || cmd instanceof WriterCommand.CreateChat
              ? app
              : chat(c, app, chatNumber(cmd));
      if (app == null) out[i] = new Outcome.Poisoned("unknown application token");
      else if (id == null)
        out[i] = new Outcome.Waiting("chat " + chatNumber(cmd) + " does not exist yet");
      else target[i] = id;
      if (out[i] == null && !(cmd instanceof WriterCommand.UpdateMessage)) creates.add(i);
    }
    if (!creates.isEmpty()) insert(c, cmds, creates, target, out);
    for (int i = 0; i < cmds.size(); i++) {
      if (out[i] == null && cmds.get(i) instanceof WriterCommand.UpdateMessage m)
        out[i] = update(c, m, target[i]);
    }
    return List.of(out);
  }

  private static int chatNumber(WriterCommand cmd) {
    return switch (cmd) {
      case WriterCommand.CreateMessage m -> m.chatNumber();
      case WriterCommand.UpdateMessage m -> m.chatNumber();
      case WriterCommand.CreateChat m ->
          throw new IllegalArgumentException("a chat has no chat number");
    };
  }

  /** One JDBC batch of creates; a queue carries one kind, so the first decides the statement. */
  private static void insert(
      Connection c, List<WriterCommand> cmds, List<Integer> creates, long[] target, Outcome[] out)
      throws SQLException {
    boolean chats = cmds.get(creates.getFirst()) instanceof WriterCommand.CreateChat;
    try (PreparedStatement p =
        c.prepareStatement(
            chats
                ? "INSERT IGNORE INTO chats (application_id, number, creator_id) VALUES (?, ?, ?)"
                : "INSERT IGNORE INTO messages (chat_id, number, body, creator_id) VALUES (?, ?, ?, ?)")) {
      for (int i : creates) {
        p.setLong(1, target[i]);
        switch (cmds.get(i)) {
          case WriterCommand.CreateChat m -> {
            p.setInt(2, m.number());
            p.setObject(3, m.creatorId());
          }
          case WriterCommand.CreateMessage m -> {
            p.setInt(2, m.number());
            p.setString(3, m.body());
            p.setObject(4, m.creatorId());
          }
          case WriterCommand.UpdateMessage m ->
              throw new IllegalArgumentException("updates are not inserted");
        }
        p.addBatch();
      }
      int[] counts = p.executeBatch();
      for (int j = 0; j < creates.size(); j++) {
        int i = creates.get(j);
        // 1: inserted; 0: a duplicate (redelivery); SUCCESS_NO_INFO: unknown, the count sync
        // settles it.
        boolean created = counts[j] == 1;
        out[i] =
            cmds.get(i) instanceof WriterCommand.CreateMessage m
                ? new Outcome.Applied(
                    created,
                    Counters.Kind.MESSAGES,
                    target[i],
                    new SearchDoc(m.token(), m.chatNumber(), m.number(), m.body()))
                : new Outcome.Applied(created, Counters.Kind.CHATS, target[i], null);
      }
    }
  }

  private static Outcome update(Connection c, WriterCommand.UpdateMessage m, long chat)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("UPDATE messages SET body = ? WHERE chat_id = ? AND number = ?")) {
      p.setString(1, m.body());
      p.setLong(2, chat);
      p.setInt(3, m.number());
      // MariaDB Connector/J reports matched rows by default, so an unchanged body still counts as
      // found.
      if (p.executeUpdate() == 0)
        return new Outcome.Waiting("message " + m.number() + " does not exist yet");
      return new Outcome.Applied(
          false,
          Counters.Kind.MESSAGES,
          chat,
          new SearchDoc(m.token(), m.chatNumber(), m.number(), m.body()));
    }
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
    try (PreparedStatement p =
        c.prepareStatement("SELECT id FROM chats WHERE application_id = ? AND number = ?")) {
      p.setLong(1, app);
      p.setInt(2, number);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) return null; // not cached: it may appear later
        id = rs.getLong(1);
      }
    }
    if (chats.values().stream().mapToInt(Map::size).sum() > CHAT_CACHE_MAX) chats.clear();
    chats.computeIfAbsent(app, k -> new ConcurrentHashMap<>()).put(number, id);
    return id;
  }
}
