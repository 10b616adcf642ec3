package io.herald.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Socket.IO client on the WebSocket transport, as small as the protocol allows: it joins the main
 * namespace anonymously (so it is in the {@code global} room), answers pings and hands every event
 * packet ({@code 42[...]}) to its consumer, whole. Without recovery a dropped socket stays dropped.
 * With it, it does what socket.io-client does with connection state recovery: it keeps the {@code
 * pid} of its CONNECT answer and the offset of the last broadcast it got (the extra last argument
 * Herald adds), reconnects every 200 ms when the connection drops and sends both in its CONNECT; a
 * reconnect answered with another socket id means the session was not recovered. The JDK's
 * WebSocket, so that the load generator needs no client library; the consumer runs on the JDK
 * client's thread.
 */
public final class SioClient implements WebSocket.Listener {
  private final HttpClient http;
  private final int port;
  private final boolean recover;
  private final Consumer<String> events;
  private final StringBuilder partial = new StringBuilder();
  private final AtomicInteger reconnects = new AtomicInteger();
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private volatile WebSocket ws;
  private volatile String pid;
  private volatile String offset;
  private volatile String firstId;
  private volatile boolean connected;
  private volatile boolean dropped;
  private volatile boolean sessionLost;
  private volatile boolean stopped;

  private SioClient(HttpClient http, int port, boolean recover, Consumer<String> events) {
    this.http = http;
    this.port = port;
    this.recover = recover;
    this.events = events;
  }

  /**
   * A client that does not reconnect: a dropped socket shows as {@link #dropped()}. Call {@link
   * #connect()}.
   */
  public static SioClient once(HttpClient http, int port, Consumer<String> events) {
    return new SioClient(http, port, false, events);
  }

  /** A client that reconnects and recovers its session. Call {@link #connect()}. */
  public static SioClient recovering(HttpClient http, int port, Consumer<String> events) {
    return new SioClient(http, port, true, events);
  }

  /**
   * Opens the WebSocket; completes when it is open, or failed (a recovering client then retries on
   * its own).
   */
  public CompletableFuture<WebSocket> connect() {
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(recover ? 5 : 10))
        .buildAsync(
            URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), this)
        .whenComplete(
            (w, e) -> {
              if (e == null) ws = w;
              else if (recover) retry();
              else dropped = true;
            });
  }

  /** Whether the namespace's CONNECT was answered on the current connection: it is in its rooms. */
  public boolean connected() {
    return connected;
  }

  /** Whether a client without recovery lost its connection other than by {@link #stop()}. */
  public boolean dropped() {
    return dropped;
  }

  /** Whether a reconnect was answered with a new socket id. */
  public boolean sessionLost() {
    return sessionLost;
  }

  /** How many times the connection dropped and a recovering client connected again. */
  public int reconnects() {
    return reconnects.get();
  }

  /**
   * A new connection (a reconnect reuses the listener): nothing of an earlier connection's last
   * message is kept.
   */
  @Override
  public void onOpen(WebSocket w) {
    partial.setLength(0);
    w.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean lastPart) {
    partial.append(data);
    if (lastPart) {
      packet(w, partial.toString());
      partial.setLength(0);
    }
    w.request(1);
    return null;
  }

  private void packet(WebSocket w, String p) {
    if (p.startsWith(
        "0{")) { // Engine.IO open: join the main namespace, recovering when there is a session
      String p0 = pid, o = offset;
      send(
          w,
          p0 == null
              ? "40"
              : "40{\"pid\":\"" + p0 + "\",\"offset\":\"" + (o == null ? "" : o) + "\"}");
    } else if (p.equals("2")) {
      send(w, "3");
    } else if (p.startsWith("40{")) {
      String id = field(p, "sid");
      if (firstId == null) firstId = id;
      else if (!firstId.equals(id)) sessionLost = true;
      String newPid = field(p, "pid");
      if (newPid != null) pid = newPid;
      connected = true;
    } else if (p.startsWith("42")) {
      if (recover) keepOffset(p);
      events.accept(p);
    }
  }

  /** The offset is a broadcast's last argument, a string of digits. */
  private void keepOffset(String p) {
    int last = p.lastIndexOf(",\"");
    if (last < 0 || !p.endsWith("\"]")) return;
    String o = p.substring(last + 2, p.length() - 2);
    if (!o.isEmpty() && o.chars().allMatch(Character::isDigit)) offset = o;
  }

  /** A string field of a small JSON object, without a parser: the CONNECT answer's sid and pid. */
  private static String field(String p, String name) {
    String key = "\"" + name + "\":\"";
    int i = p.indexOf(key);
    if (i < 0) return null;
    int from = i + key.length();
    return p.substring(from, p.indexOf('"', from));
  }

  private synchronized void send(WebSocket w, String text) {
    sending =
        sending.thenCompose(
            v -> w.sendText(text, true)); // in order: the JDK allows one send at a time
  }

  @Override
  public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
    ended();
    return null;
  }

  @Override
  public void onError(WebSocket w, Throwable error) {
    ended();
  }

  private void ended() {
    connected = false;
    if (stopped) return;
    if (!recover) {
      dropped = true;
      return;
    }
    reconnects.incrementAndGet();
    retry();
  }

  private void retry() {
    if (stopped) return;
    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(this::connect);
  }

  /** Closes the connection at once, without a close handshake, and stops reconnecting. */
  public void stop() {
    stopped = true;
    WebSocket w = ws;
    if (w != null) w.abort();
  }
}
