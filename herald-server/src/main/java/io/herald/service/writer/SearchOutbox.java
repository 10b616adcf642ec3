package io.herald.service.writer;

import io.herald.protocol.json.Json;
import io.herald.store.mysql.Database;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Search indexing through an outbox table. A message's document is written to {@code
 * herald_search_outbox} in the same transaction as the message; an indexer sends pending documents
 * to the {@code messages} index with the {@code _bulk} REST API (Elasticsearch and OpenSearch both
 * speak it) and deletes what was indexed. A search engine that is down delays indexing, and never
 * blocks or undoes a database write; nothing is lost across a restart. With ELASTICSEARCH_URL unset
 * the outbox is not written at all.
 */
final class SearchOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(SearchOutbox.class);
  static final String INDEX = "messages";
  static final String MAPPING =
      """
      {"mappings":{"properties":{"token":{"type":"keyword"},\
      "chat_number":{"type":"integer"},"number":{"type":"integer"},\
      "body":{"type":"text"},"created_at":{"type":"date"}}}}""";
  private static final int BATCH = 500;

  private final Optional<String> url;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private volatile boolean healthy;

  /**
   * Released after a commit that queued documents; the indexer waits on it rather than polling the
   * table.
   */
  private final Semaphore work = new Semaphore(0);

  private volatile boolean indexReady;

  SearchOutbox(Optional<String> url) {
    this.url = url.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
  }

  boolean enabled() {
    return url.isPresent();
  }

  boolean healthy() {
    return healthy;
  }

  /** In the caller's transaction: queues these documents (an update replaces a pending one). */
  void enqueue(Connection c, List<WriterStore.SearchDoc> docs) throws SQLException {
    if (url.isEmpty() || docs.isEmpty()) return;
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO herald_search_outbox (doc_id, doc) VALUES (?, ?) "
                + "ON DUPLICATE KEY UPDATE doc = VALUES(doc), attempts = 0")) {
      String now = Instant.now().toString();
      for (WriterStore.SearchDoc d : docs) {
        p.setString(1, d.id());
        p.setString(
            2,
            Json.write(
                Map.of(
                    "token",
                    d.token(),
                    "chat_number",
                    d.chatNumber(),
                    "number",
                    d.number(),
                    "body",
                    d.body(),
                    "created_at",
                    now)));
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  /** A transaction that called {@link #enqueue} committed: its documents can be indexed now. */
  void committed() {
    work.release();
  }

  /** Waits for {@link #committed} or the timeout; false when interrupted. */
  boolean awaitWork(Duration timeout) {
    try {
      work.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
      work.drainPermits();
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * Indexes one batch of pending documents; returns how many were indexed. Failures are logged and
   * retried later.
   */
  int drain(Database db) {
    if (url.isEmpty()) return 0;
    try {
      if (!indexReady) createIndex();
      List<String[]> pending = new ArrayList<>();
      try (Connection c = db.connection();
          PreparedStatement p =
              c.prepareStatement(
                  "SELECT doc_id, doc FROM herald_search_outbox ORDER BY updated_at LIMIT "
                      + BATCH)) {
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) pending.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      if (pending.isEmpty()) {
        healthy = true;
        return 0;
      }
      StringBuilder bulk = new StringBuilder();
      for (String[] d : pending) {
        bulk.append("{\"index\":{\"_index\":\"")
            .append(INDEX)
            .append("\",\"_id\":")
            .append(Json.quote(d[0]))
            .append("}}\n")
            .append(d[1])
            .append('\n');
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url.get() + "/_bulk?refresh=false"))
                  .timeout(Duration.ofSeconds(30))
                  .header("content-type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString(bulk.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2
          || Json.MAPPER.readTree(r.body()).path("errors").asBoolean(false)) {
        throw new IOException("bulk index answered " + r.statusCode());
      }
      try (Connection c = db.connection();
          PreparedStatement del =
              c.prepareStatement("DELETE FROM herald_search_outbox WHERE doc_id = ? AND doc = ?")) {
        for (String[] d : pending) { // a document updated meanwhile stays queued
          del.setString(1, d[0]);
          del.setString(2, d[1]);
          del.addBatch();
        }
        del.executeBatch();
      }
      healthy = true;
      return pending.size();
    } catch (IOException | SQLException e) {
      if (healthy) LOG.warn("search indexing failed, will retry: {}", e.toString());
      healthy = false;
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private void createIndex() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url.get() + "/" + INDEX))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(MAPPING))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2 && !r.body().contains("already_exists"))
      throw new IOException("creating the index answered " + r.statusCode());
    indexReady = true;
  }
}
