package io.herald.service.writer;

import io.herald.store.Namespace;
import io.herald.store.mysql.Database;
import io.herald.store.redis.Redis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Chat and message counts through Redis. Key layout (no KEYS, ever), under HERALD_ENGINE_PREFIX
 * ({@code herald}):
 *
 * <ul>
 *   <li>{@code <prefix>:writer:chats_count}: hash, application id to its number of chats;
 *   <li>{@code <prefix>:writer:messages_count}: hash, chat id to its number of messages;
 *   <li>{@code <prefix>:writer:dirty:chats_count}, {@code <prefix>:writer:dirty:messages_count}:
 *       sets of the ids whose count changed since the last sync.
 * </ul>
 *
 * A new row increments its counter and marks the id dirty; a redelivered message marks it dirty
 * again. The sync takes dirty ids in batches ({@code SPOP}), recounts them in MariaDB with one
 * statement per batch, and writes the true count back to the hash too, so both converge on the row
 * count even after a crash between a commit and its increment. Blocking (Lettuce's sync API);
 * called from virtual threads.
 */
final class Counters implements AutoCloseable {
  static final int SYNC_BATCH = 5000;

  /** A count column, its table and the child table it counts. */
  enum Kind {
    CHATS("applications", "chats_count", "chats", "application_id"),
    MESSAGES("chats", "messages_count", "messages", "chat_id");

    final String table;
    final String column;
    final String child;
    final String parentKey;

    Kind(String table, String column, String child, String parentKey) {
      this.table = table;
      this.column = column;
      this.child = child;
      this.parentKey = parentKey;
    }
  }

  private final RedisClient client;
  private final Namespace names;
  private volatile StatefulRedisConnection<String, String> conn;

  Counters(String url, Namespace names) {
    client = Redis.client(url, Duration.ofSeconds(5));
    this.names = names;
  }

  String hash(Kind k) {
    return names.redisKey("writer", k.column);
  }

  String dirty(Kind k) {
    return names.redisKey("writer", "dirty", k.column);
  }

  private RedisCommands<String, String> redis() {
    StatefulRedisConnection<String, String> c = conn;
    if (c == null) {
      synchronized (this) {
        if (conn == null) conn = client.connect(); // throws while Redis is down; the caller retries
        c = conn;
      }
    }
    return c.sync();
  }

  /** Throws when Redis cannot be reached. */
  void ping() {
    redis().ping();
  }

  /** After a commit: counts new rows and marks every touched id dirty. */
  void record(List<WriterStore.Outcome.Applied> applied) {
    if (applied.isEmpty()) return;
    redis(); // connects, or throws while Redis is down
    var async = conn.async();
    List<RedisFuture<?>> sent = new ArrayList<>();
    for (Kind k : Kind.values()) {
      Map<String, Long> created = new HashMap<>();
      Set<String> touched = new HashSet<>();
      for (WriterStore.Outcome.Applied a : applied) {
        if (a.kind() != k) continue;
        touched.add(Long.toString(a.entity()));
        if (a.created()) created.merge(Long.toString(a.entity()), 1L, Long::sum);
      }
      if (touched.isEmpty()) continue;
      // Pipelined: one increment per chat or application, not per message, and one SADD.
      created.forEach((id, n) -> sent.add(async.hincrby(hash(k), id, n)));
      sent.add(async.sadd(dirty(k), touched.toArray(String[]::new)));
    }
    for (var f : sent) {
      try {
        f.get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Redis: " + e.getMessage(), e);
      }
    }
  }

  /** Writes every changed count to MariaDB in batches; returns how many were synced. */
  long sync(Database db) throws SQLException {
    long synced = 0;
    RedisCommands<String, String> r = redis();
    for (Kind k : Kind.values()) {
      for (Set<String> ids; !(ids = r.spop(dirty(k), SYNC_BATCH)).isEmpty(); ) {
        try {
          Map<String, String> counts = recount(db, k, ids);
          if (!counts.isEmpty()) r.hset(hash(k), counts);
        } catch (SQLException | RuntimeException e) {
          r.sadd(
              dirty(k),
              ids.toArray(String[]::new)); // nothing is lost: the next sync takes them again
          throw e;
        }
        synced += ids.size();
      }
    }
    return synced;
  }

  private static Map<String, String> recount(Database db, Kind k, Collection<String> ids)
      throws SQLException {
    String in =
        ids.stream().map(s -> Long.toString(Long.parseLong(s))).collect(Collectors.joining(","));
    Map<String, String> counts = new HashMap<>();
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + k.table
                      + " t SET "
                      + k.column
                      + " = (SELECT COUNT(*) FROM "
                      + k.child
                      + " x WHERE x."
                      + k.parentKey
                      + " = t.id) WHERE t.id IN ("
                      + in
                      + ")");
          PreparedStatement q =
              c.prepareStatement(
                  "SELECT id, " + k.column + " FROM " + k.table + " WHERE id IN (" + in + ")")) {
        u.executeUpdate();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) counts.put(Long.toString(rs.getLong(1)), Long.toString(rs.getLong(2)));
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
    return counts;
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
