package io.herald.service.pushhub;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
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
final class WsClient {
  final WebSocket ws;
  /** Held so it is not garbage-collected: Vert.x 5 closes an unreferenced client's connections. */
  private final WebSocketClient client;
  final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  volatile Short closeCode;

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(t -> {
      try {
        messages.add(Json.MAPPER.readTree(t));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    ws.closeHandler(v -> closeCode = ws.closeStatusCode());
  }

  static WsClient connect(Vertx vertx, int port, String uri) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    // Handlers are set in map(), on the event loop, before any message can be dispatched.
    WebSocketClient client = vertx.createWebSocketClient();
    WsClient c = client.connect(o).map(ws -> new WsClient(client, ws)).await();
    c.awaitType("connection_established");  // from here on the server has subscribed this client
    return c;
  }

  List<JsonNode> ofType(String type) {
    return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
  }

  JsonNode awaitType(String type) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !ofType(type).isEmpty());
    return ofType(type).getFirst();
  }

  List<Long> seqs() {
    return messages.stream().filter(m -> m.has("seq")).map(m -> m.get("seq").asLong()).toList();
  }

  short awaitClose() {
    await().atMost(Duration.ofSeconds(20)).until(() -> closeCode != null);
    return closeCode;
  }

  void send(String text) {
    ws.writeTextMessage(text).await();
  }
}
