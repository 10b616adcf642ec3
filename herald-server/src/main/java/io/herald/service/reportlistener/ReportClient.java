package io.herald.service.reportlistener;

import io.herald.core.engine.EnginePort;
import io.herald.core.hub.Subscription;
import io.herald.protocol.envelope.Envelope;
import io.herald.transport.ws.WsConnection;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One listener connection: subscribed to live batches at once, or only after its replay when it
 * resumes.
 */
final class ReportClient {
  private final WsConnection conn;
  private final EnginePort engine;
  private final InstantSource clock;
  private Subscription subscription;
  private boolean closed;

  ReportClient(WsConnection conn, EnginePort engine, InstantSource clock) {
    this.conn = conn;
    this.engine = engine;
    this.clock = clock;
  }

  /**
   * Starts live delivery. Called on the tail's thread between broadcasts, which is what makes the
   * seam exact.
   */
  synchronized void subscribe() {
    if (!closed && conn.isOpen())
      subscription = engine.subscribe(ReportTail.CHANNEL, conn, conn.loop(), -1);
  }

  synchronized void closed() {
    closed = true;
    if (subscription != null) engine.unsubscribe(subscription);
  }

  boolean isOpen() {
    return conn.isOpen();
  }

  /**
   * Sends replayed reports and completes once the client has taken them (see {@link
   * WsConnection#sendPaced}).
   */
  CompletableFuture<Boolean> sendPaced(List<ReportRow> batch) {
    return conn.sendPaced(
        Envelope.plain(ReportBatch.TYPE, ReportBatch.data(batch), clock.instant()));
  }

  /** Queues a message behind everything sent so far, without waiting. */
  void send(String type, String data) {
    String json = Envelope.plain(type, data, clock.instant());
    conn.loop().execute(() -> conn.sendText(json));
  }
}
