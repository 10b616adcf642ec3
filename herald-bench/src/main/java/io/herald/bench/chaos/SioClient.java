package io.herald.bench.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Socket.IO client on the WebSocket transport, as small as the protocol allows: it joins the main namespace
 * anonymously (so it is in the {@code global} room), answers pings, and counts the {@code notification} events
 * whose {@code message} is a publish number. It does not reconnect: a dropped socket shows as a drop.
 */
final class SioClient extends SioListener {
  final Received got = new Received();
  private WebSocket ws;
  volatile boolean connected;
  volatile boolean dropped;
  private volatile boolean stopped;

  CompletableFuture<WebSocket> connect(HttpClient http, int port) {
    return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), this)
        .whenComplete((w, e) -> ws = w);
  }

  @Override
  void packet(WebSocket w, String p) {
    if (p.startsWith("0{")) send(w, "40");  // Engine.IO open: join the main namespace
    else if (p.equals("2")) send(w, "3");  // ping
    else if (p.startsWith("42[\"connected\"")) connected = true;
    else if (notification(p) >= 0) got.add(notification(p));
  }

  @Override
  public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
    if (!stopped) dropped = true;
    return null;
  }

  @Override
  public void onError(WebSocket w, Throwable error) {
    if (!stopped) dropped = true;
  }

  void stop() {
    stopped = true;
    if (ws != null) ws.abort();
  }
}
