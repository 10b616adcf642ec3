package io.herald.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real Vert.x WebSocket client that records every message as JSON and how the server closed. */
public final class WsClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  public final WebSocket ws;

  /** Held so it is not garbage-collected: Vert.x 5 closes an unreferenced client's connections. */
  private final WebSocketClient client;

  public final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  public volatile Short closeCode;

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(
        t -> {
          try {
            messages.add(JSON.readTree(t));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    ws.closeHandler(v -> closeCode = ws.closeStatusCode());
  }

  /**
   * Connects and waits for push-hub's welcome, after which the server has subscribed this client.
   */
  public static WsClient connect(Vertx vertx, int port, String uri) {
    WsClient c = open(vertx, port, uri);
    c.awaitType("connection_established");
    return c;
  }

  /** Connects and returns as soon as the upgrade is done. */
  public static WsClient open(Vertx vertx, int port, String uri) {
    WebSocketConnectOptions o =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    // Handlers are set in map(), on the event loop, before any message can be dispatched.
    WebSocketClient client = vertx.createWebSocketClient();
    return client.connect(o).map(ws -> new WsClient(client, ws)).await();
  }

  public List<JsonNode> ofType(String type) {
    return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
  }

  public JsonNode awaitType(String type) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !ofType(type).isEmpty());
    return ofType(type).getFirst();
  }

  public List<Long> seqs() {
    return messages.stream().filter(m -> m.has("seq")).map(m -> m.get("seq").asLong()).toList();
  }

  public short awaitClose() {
    await().atMost(Duration.ofSeconds(20)).until(() -> closeCode != null);
    return closeCode;
  }

  public void send(String text) {
    ws.writeTextMessage(text).await();
  }
}
