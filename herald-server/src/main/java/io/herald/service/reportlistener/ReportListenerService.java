package io.herald.service.reportlistener;

import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.Envelope;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.json.Json;
import io.herald.store.mysql.Database;
import io.herald.transport.health.HealthStatus;
import io.herald.transport.http.ApiError;
import io.herald.transport.http.QueryParams;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.herald.transport.server.ServiceState;
import io.herald.transport.ws.WsConfig;
import io.herald.transport.ws.WsConnection;
import io.herald.transport.ws.WsSocket;
import io.herald.transport.ws.WsUpgrade;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 000: tails the {@code reports} table and broadcasts batches on {@code
 * /api/v3/reports/listen}, with {@code /api/v3/reports/health}. The gap-safe checkpointing lives in
 * {@link GapTracker} and {@link ReportTail}.
 */
public final class ReportListenerService implements Service {
  private final ReportListenerConfig config;
  private final WsConfig ws;
  private final AtomicInteger clients = new AtomicInteger();
  private ServerContext ctx;
  private ServiceState state;
  private Database db;
  private ReportStore store;
  private ReportTail tail;

  public ReportListenerService(ReportListenerConfig config, WsConfig ws) {
    this.config = config;
    this.ws = ws;
  }

  @Override
  public String name() {
    return "report-listener";
  }

  @Override
  public void mount(Router router, ServerContext context) {
    this.ctx = context;
    context.webSockets().route("/api/v3/reports/listen", this::upgrade);
    router
        .get("/api/v3/reports/health")
        .handler(
            rc -> {
              // A standby node answers 503 here: a load balancer that checks this route sends
              // clients to the tailing node.
              boolean standby = tail != null && tail.healthy() && !tail.leading();
              boolean up = tail != null && tail.healthy() && !standby;
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", standby ? "standby" : up ? "healthy" : "unhealthy");
              body.put("service", "report-listener");
              body.put("timestamp", context.clock().instant().toString());
              body.put("connected_clients", clients.get());
              body.put("last_broadcast_seq", tail == null ? 0 : tail.lastBroadcastSeq());
              rc.response()
                  .setStatusCode(up ? 200 : 503)
                  .putHeader("content-type", "application/json")
                  .end(Json.write(body));
            });
    context.admin().connections("report-listener", "websocket", clients::get);
    state =
        ServiceState.mount(
                name(),
                context,
                () ->
                    Map.of(
                        "connectedClients",
                        clients.get(),
                        "lastBroadcastSeq",
                        tail == null ? 0 : tail.lastBroadcastSeq(),
                        "role",
                        tail != null && tail.leading() ? "tailing" : "standby"))
            .dependsOn(
                "mariadb",
                () ->
                    tail != null && tail.healthy()
                        ? HealthStatus.up(Map.of())
                        : HealthStatus.down(tail == null ? "not started" : tail.lastError()));
  }

  @Override
  public Future<Void> start() {
    db = Database.open(config.db(), "report-listener");
    store = new ReportStore(db, config.serviceName());
    tail = new ReportTail(config, db, store, ctx.engine(), ctx.clock());
    tail.start();
    // A shared engine: even on standby the hub follows the channel, so this node's live clients get
    // the batches the
    // tailing node publishes (start-up does not wait for Redis).
    if (ctx.engine().shared()) ctx.engine().attach(ReportTail.CHANNEL);
    state.started();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    state.stopped();
    try {
      if (tail != null) tail.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (db != null) db.close();
    return Future.succeededFuture();
  }

  /** A GET to the WebSocket path while the server runs (HeraldServer answers the rest). */
  private void upgrade(HttpServerRequest req) {
    long since;
    try {
      since = QueryParams.position(req, "since_seq");
    } catch (ProtocolException e) {
      ApiError.badRequest(e.code(), e.getMessage()).send(req.response());
      return;
    }
    // On standby: live clients are served when the engine is shared (the batches come through it);
    // a resume
    // (?since_seq=) needs the tailing node, which holds the seam between the table and the live
    // batches.
    boolean standby = tail != null && tail.healthy() && !tail.leading();
    if (standby
        && (since >= 0 || !ctx.engine().shared() || !ctx.engine().attached(ReportTail.CHANNEL))) {
      new ApiError(
              503,
              ErrorCode.UNAVAILABLE,
              since >= 0
                  ? "this node is on standby: resume (since_seq) on the tailing node; retry"
                  : "this node is on standby (another node tails the reports); retry")
          .send(req.response());
      return;
    }
    WsUpgrade.accept(
        req, ws.maxMessageBytes(), ctx.config().deflate(), socket -> accept(socket, since));
  }

  private void accept(WsSocket socket, long since) {
    ReportClient[] client = new ReportClient[1];
    clients.incrementAndGet();
    // The seed defines no client messages; anything sent is ignored (the size limit still applies).
    WsConnection conn =
        WsConnection.open(
            ctx.vertx(),
            socket,
            ws,
            Envelope.PLAIN,
            ctx.metrics(),
            ctx.connections(),
            text -> {},
            replay -> null,
            () -> {
              clients.decrementAndGet();
              if (client[0] != null) client[0].closed();
            });
    client[0] = new ReportClient(conn, ctx.engine(), ctx.clock());
    try {
      if (since < 0) client[0].subscribe();
      else
        new ReportReplay(client[0], store, tail, since, config.maxReplay(), config.batchMax())
            .start();
    } catch (RuntimeException e) {
      conn.close(CloseReason.INTERNAL_ERROR);
    }
  }
}
