package io.herald.bench.chaos;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the fault scripts' Socket.IO clients share: whole text messages out of WebSocket fragments, sends in order,
 * and the publish number a {@code notification} event carries in its {@code message}.
 */
abstract class SioListener implements WebSocket.Listener {
  private final StringBuilder partial = new StringBuilder();
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  /** One whole Engine.IO packet as text. */
  abstract void packet(WebSocket w, String p);

  /** A new connection (a reconnect reuses the listener): nothing of an earlier connection's last message is kept. */
  @Override
  public void onOpen(WebSocket w) {
    partial.setLength(0);
    w.request(1);
  }

  @Override
  public final CompletionStage<?> onText(WebSocket w, CharSequence data, boolean lastPart) {
    partial.append(data);
    if (lastPart) {
      packet(w, partial.toString());
      partial.setLength(0);
    }
    w.request(1);
    return null;
  }

  final synchronized void send(WebSocket w, String text) {
    sending = sending.thenCompose(v -> w.sendText(text, true));
  }

  /** The publish number of a {@code 42["notification",{..."message":"N"...}]} packet, or -1. */
  static long notification(String p) {
    if (!p.startsWith("42[\"notification\"")) return -1;
    String key = "\"message\":\"";
    int i = p.indexOf(key);
    if (i < 0) return -1;
    int from = i + key.length(), to = from;
    while (to < p.length() && Character.isDigit(p.charAt(to))) to++;
    return to == from ? -1 : Long.parseLong(p, from, to, 10);
  }
}
