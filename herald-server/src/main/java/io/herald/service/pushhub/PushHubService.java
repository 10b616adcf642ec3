package io.herald.service.pushhub;

import io.herald.core.engine.EngineUnavailableException;
import io.herald.core.event.Event;
import io.herald.core.history.Replay;
import io.herald.core.hub.Subscription;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ClientCodec;
import io.herald.protocol.envelope.ClientMessage;
import io.herald.protocol.envelope.Envelope;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.envelope.ServerMessage;
import io.herald.protocol.json.Json;
import io.herald.transport.http.ApiError;
import io.herald.transport.http.ApiKey;
import io.herald.transport.http.QueryParams;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.herald.transport.server.ServiceState;
import io.herald.transport.ws.WsConnection;
import io.herald.transport.ws.WsSocket;
import io.herald.transport.ws.WsUpgrade;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 004, the WebSocket push hub: GET /ws, POST /api/v1/broadcast, the example page and browser
 * client, and the Java broadcast API. Every event goes to one channel, {@value #CHANNEL}, whose
 * history serves resumes.
 */
public final class PushHubService implements Service {
  static final String CHANNEL = "push-hub";
  private static final Logger LOG = LoggerFactory.getLogger(PushHubService.class);
  static final long LAG_WAIT_MS = 5000;
  private final AtomicBoolean attachedLogged = new AtomicBoolean();

  private final PushHubConfig config;
  private final AtomicInteger clients = new AtomicInteger();
  private volatile ServerContext ctx;
  private volatile ServiceState state;

  public PushHubService(PushHubConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "push-hub";
  }

  @Override
  public void mount(Router router, ServerContext context) {
    this.ctx = context;
    ApiKey key = new ApiKey(config.apiKey());
    context.webSockets().route("/ws", this::upgrade);
    router
        .post("/api/v1/broadcast")
        .handler(BodyHandler.create().setBodyLimit(context.config().maxBodyBytes()))
        // With HERALD_API_KEY set, the broadcast endpoint needs it.
        .handler(
            key.guard(rc -> new ApiError(401, ErrorCode.UNAUTHORIZED, ApiKey.REFUSED).send(rc)))
        .handler(this::broadcastHttp);
    StaticPages.mount(router);
    context
        .metrics()
        .gauge("herald_pushhub_clients", "Open push-hub /ws connections", clients::get);
    context.admin().connections("push-hub", "websocket", clients::get);
    state =
        ServiceState.mount(
            name(),
            context,
            () ->
                Map.of(
                    "connectedClients",
                    clients.get(),
                    "lastSeq",
                    context.engine().lastSeq(CHANNEL)));
  }

  @Override
  public Future<Void> start() {
    state.started();

    if (config.allowsAnyOrigin()) {
      LOG.warn(
          "ALLOWED_ORIGINS is '*': any web page may open /ws; set it to your site's origins in production");
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    state.stopped();
    return Future.succeededFuture();
  }

  /** A GET to the WebSocket path while the server runs (HeraldServer answers the rest). */
  private void upgrade(HttpServerRequest req) {
    String origin = req.getHeader("Origin");
    if (origin != null && !config.allowsAnyOrigin() && !config.allowedOrigins().contains(origin)) {
      new ApiError(403, ErrorCode.FORBIDDEN, "origin not allowed").send(req.response());
      return;
    }
    long since;
    try {
      since = QueryParams.position(req, "since");
    } catch (ProtocolException e) {
      ApiError.badRequest(e.code(), e.getMessage()).send(req.response());
      return;
    }
    if (!ctx.engine().attached(CHANNEL)) {
      attachThenUpgrade(req);
      return;
    }
    Runnable upgrade =
        () ->
            WsUpgrade.accept(
                req,
                config.ws().maxMessageBytes(),
                ctx.config().deflate(),
                ws -> accept(ws, since));
    if (ctx.engine().shared() && since > ctx.engine().lastSeq(CHANNEL)) {
      awaitPosition(since, upgrade); // a position another node has delivered and this one not yet
    } else {
      upgrade.run();
    }
  }

  /**
   * A shared engine: the node follows the channel from its first client on (a node without clients
   * costs nothing), the hub taking on the channel's history first. The request waits for that, up
   * to {@value #LAG_WAIT_MS} ms, then 503.
   */
  private void attachThenUpgrade(HttpServerRequest req) {
    Context here = ctx.vertx().getOrCreateContext();
    ctx.engine()
        .attach(CHANNEL)
        .toCompletableFuture()
        .orTimeout(LAG_WAIT_MS, TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, err) ->
                here.runOnContext(
                    v -> {
                      if (err != null) {
                        new ApiError(
                                503,
                                ErrorCode.UNAVAILABLE,
                                "the engine is not reachable; retry shortly")
                            .send(req.response());
                        return;
                      }
                      if (attachedLogged.compareAndSet(false, true)) {
                        LOG.info(
                            "push-hub: following channel {} on the {} engine from seq {}",
                            CHANNEL,
                            ctx.engine().engineName(),
                            ctx.engine().lastSeq(CHANNEL));
                      }
                      upgrade(req);
                    }));
  }

  /**
   * Runs {@code then} once this node's hub has reached {@code since}, when the engine has it (the
   * client saw it on a node this one lags behind), at most {@value #LAG_WAIT_MS} ms; at once when
   * the position is ahead of the engine too (the hub then answers "not recovered").
   */
  private void awaitPosition(long since, Runnable then) {
    Context here = ctx.vertx().getOrCreateContext();
    ctx.engine()
        .read(CHANNEL, since, 0)
        .whenComplete(
            (page, err) ->
                here.runOnContext(
                    v -> {
                      if (err != null || page.top() < since) {
                        then.run();
                        return;
                      }
                      long deadline = System.nanoTime() + LAG_WAIT_MS * 1_000_000;
                      ctx.vertx()
                          .setPeriodic(
                              5,
                              id -> {
                                if (ctx.engine().lastSeq(CHANNEL) >= since
                                    || System.nanoTime() > deadline) {
                                  ctx.vertx().cancelTimer(id);
                                  then.run();
                                }
                              });
                    }));
  }

  private void accept(WsSocket ws, long since) {
    try {
      subscribe(ws, since);
    } catch (RuntimeException e) {
      LOG.error("could not set up a /ws connection", e);
      ws.close(CloseReason.INTERNAL_ERROR);
    }
  }

  private void subscribe(WsSocket ws, long since) {
    Subscription[] sub = new Subscription[1];
    WsConnection[] conn = new WsConnection[1];
    clients.incrementAndGet();
    conn[0] =
        WsConnection.open(
            ctx.vertx(),
            ws,
            config.ws(),
            Envelope.EVENT,
            ctx.metrics(),
            ctx.connections(),
            text -> onText(conn[0], text),
            // A reset (the engine lost events) comes through here too, with the connection's own
            // position as since.
            replay ->
                Envelope.encode(
                    resumed(Math.max(since, conn[0].lastSeq()), replay), ctx.clock().instant()),
            () -> {
              clients.decrementAndGet();
              if (sub[0] != null) ctx.engine().unsubscribe(sub[0]);
            });
    // Subscribe before the welcome: a client that has seen connection_established gets every later
    // event.
    long lastSeq = ctx.engine().lastSeq(CHANNEL);
    sub[0] = ctx.engine().subscribe(CHANNEL, conn[0], conn[0].loop(), since);
    conn[0].sendText(
        Envelope.encode(new ServerMessage.ConnectionEstablished(lastSeq), ctx.clock().instant()));
  }

  private static ServerMessage.Resumed resumed(long since, Replay r) {
    return new ServerMessage.Resumed(since, r.recovered(), r.frames().size(), r.lastSeq());
  }

  private void onText(WsConnection conn, String text) {
    ServerMessage reply;
    try {
      reply =
          switch (ClientCodec.decode(text)) {
            case ClientMessage.Ping() -> new ServerMessage.Pong();
          };
    } catch (ProtocolException e) {
      reply = new ServerMessage.Error(e.code(), e.getMessage());
    }
    conn.sendText(Envelope.encode(reply, ctx.clock().instant()));
  }

  private void broadcastHttp(RoutingContext rc) {
    BroadcastRequest req;
    try {
      req =
          BroadcastRequest.parse(
              rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes(),
              ctx.clock().instant());
    } catch (ProtocolException e) {
      ApiError.badRequest(e.code(), e.getMessage()).send(rc);
      return;
    }
    Context here = ctx.vertx().getOrCreateContext();
    publishAsync(req.type(), req.data())
        .whenComplete(
            (event, err) -> {
              Runnable answer =
                  () -> {
                    if (err == null) {
                      rc.response()
                          .setStatusCode(202)
                          .putHeader("content-type", "application/json")
                          .end(
                              "{\"status\":\"accepted\",\"type\":"
                                  + Json.quote(req.type())
                                  + ",\"seq\":"
                                  + event.seq()
                                  + "}");
                    } else if (unwrap(err)
                        instanceof
                        EngineUnavailableException
                            e) { // refused, not lost: the publisher may retry
                      new ApiError(
                              503,
                              ErrorCode.UNAVAILABLE,
                              "the event could not be kept ("
                                  + e.getMessage()
                                  + "); not delivered, retry later")
                          .send(rc);
                    } else {
                      rc.fail(unwrap(err));
                    }
                  };
              if (Vertx.currentContext() == here)
                answer.run(); // the local engine completes at once
              else here.runOnContext(v -> answer.run());
            });
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * Publishes {@code data} (JSON text) as a message of {@code type} through the engine; completes
   * with the event.
   */
  CompletionStage<Event> publishAsync(String type, String data) {
    if (ctx == null) throw new IllegalStateException("push hub is not mounted on a server");
    ctx.metrics().published();
    return ctx.engine().publish(CHANNEL, type, data);
  }

  /** As {@link #publishAsync}, waiting for the engine; returns the event's sequence. */
  long publish(String type, String data) {
    try {
      return publishAsync(type, data).toCompletableFuture().join().seq();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r)
        throw r; // the journal's or the engine's refusal, as before
      throw e;
    }
  }

  ConnectionStats stats() {
    ServiceState s = state;
    boolean running = s != null && s.running();
    return new ConnectionStats(
        clients.get(), running ? "running" : "stopped", s == null ? null : s.startedAt());
  }
}
