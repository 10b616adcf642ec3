package io.herald.bench.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Socket.IO client on the WebSocket transport that does what socket.io-client does with connection state recovery:
 * it keeps the {@code pid} of its CONNECT answer and the offset of the last event it got (the extra last argument of
 * every broadcast), and when its connection drops it reconnects every 200 ms and sends both in its CONNECT. It counts
 * the {@code notification} events whose {@code message} is a publish number, and whether every reconnect recovered
 * its session (the same socket id).
 */
final class RecoveringSioClient extends SioListener {
  final Received got = new Received();
  final AtomicInteger reconnects = new AtomicInteger();
  private final HttpClient http;
  private final int port;
  private volatile WebSocket ws;
  private volatile String pid;
  private volatile String offset;
  private volatile String firstId;
  volatile boolean connected;
  /** A reconnect was answered with a new socket id: the session was not recovered. */
  volatile boolean sessionLost;
  private volatile boolean stopped;

  RecoveringSioClient(HttpClient http, int port) {
    this.http = http;
    this.port = port;
  }

  void connect() {
    http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), this)
        .whenComplete((w, e) -> {
          if (e == null) ws = w;
          else retry();
        });
  }

  private void retry() {
    if (stopped) return;
    CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS).execute(this::connect);
  }

  @Override
  void packet(WebSocket w, String p) {
    if (p.startsWith("0{")) {  // Engine.IO open: join the main namespace, recovering when there is a session
      String p0 = pid, o = offset;
      send(w, p0 == null ? "40" : "40{\"pid\":\"" + p0 + "\",\"offset\":\"" + (o == null ? "" : o) + "\"}");
    } else if (p.equals("2")) {
      send(w, "3");
    } else if (p.startsWith("40{")) {
      String id = field(p, "sid");
      if (firstId == null) firstId = id;
      else if (!firstId.equals(id)) sessionLost = true;
      String newPid = field(p, "pid");
      if (newPid != null) pid = newPid;
      connected = true;
    } else if (notification(p) >= 0) {
      got.add(notification(p));
      int last = p.lastIndexOf(",\"");  // the offset: the last argument, a string of digits
      if (last > 0 && p.endsWith("\"]")) offset = p.substring(last + 2, p.length() - 2);
    }
  }

  /** A string field of a small JSON object, without a parser: the CONNECT answer's sid and pid. */
  private static String field(String p, String name) {
    String key = "\"" + name + "\":\"";
    int i = p.indexOf(key);
    if (i < 0) return null;
    int from = i + key.length();
    return p.substring(from, p.indexOf('"', from));
  }

  @Override
  public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
    dropped();
    return null;
  }

  @Override
  public void onError(WebSocket w, Throwable error) {
    dropped();
  }

  private void dropped() {
    connected = false;
    if (stopped) return;
    reconnects.incrementAndGet();
    retry();
  }

  void stop() {
    stopped = true;
    WebSocket w = ws;
    if (w != null) w.abort();
  }
}
