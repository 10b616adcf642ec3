package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.eio.EioServer;
import io.herald.transport.health.HealthStatus;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.herald.transport.server.ServiceState;
import io.herald.transport.sio.SioConnection;
import io.herald.transport.sio.SioHandler;
import io.herald.transport.sio.SioNamespace;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 003: Socket.IO at /socket.io/, the HTTP broadcast API under /api/broadcast/, /api/stats, and
 * the Kafka topics. Every broadcast is one event on the engine channel {@value #CHANNEL}; its route
 * names the rooms. This class wires the parts and runs their lifecycle: the Engine.IO/Socket.IO
 * server, {@link BroadcastApi} (HTTP), {@link Broadcaster} (the one broadcast path), {@link
 * KafkaSource}, {@link SessionPersistence} (HERALD_HISTORY_DIR).
 */
public final class WebsocketService implements Service {
  static final String CHANNEL = "socket.io";
  private static final Logger LOG = LoggerFactory.getLogger(WebsocketService.class);

  private final WebsocketConfig config;
  private final boolean withKafka;
  private volatile ServerContext ctx;
  private volatile SioContext sio;
  private volatile EioServer eio;
  private volatile Broadcaster broadcaster;
  private volatile KafkaSource kafka;
  private volatile SessionPersistence persistence;
  private volatile ServiceState state;
  private long expiryTimer = -1;
  private long sessionTimer = -1;

  /**
   * @param withKafka whether to consume the seed's Kafka topics (off under `herald all` without
   *     KAFKA_BROKERS)
   */
  public WebsocketService(WebsocketConfig config, boolean withKafka) {
    this.config = config;
    this.withKafka = withKafka;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public void mount(Router router, ServerContext context) {
    this.ctx = context;
    JwtVerifier jwt =
        config.jwtSecret().length == 0
            ? null
            : new JwtVerifier(config.jwtSecret(), config.jwtLeeway(), context.clock());
    Sockets sockets = new Sockets(config.maxConnectionsPerIp());
    Map<Executor, RoomDispatch> dispatches = new ConcurrentHashMap<>();
    this.sio =
        new SioContext(
            context.vertx(),
            context.engine(),
            context.clock(),
            context.metrics(),
            config,
            jwt,
            sockets,
            loop ->
                dispatches.computeIfAbsent(
                    loop,
                    l -> {
                      RoomDispatch d = new RoomDispatch(l, context.metrics());
                      context.engine().subscribe(CHANNEL, d, l, -1);
                      return d;
                    }),
            context
                .engine()
                .sharedState()
                .map(shared -> new SharedSessions(shared, context.clock(), config.recoveryWindow()))
                .orElse(SharedSessions.NONE));
    // One namespace, the main one; a CONNECT for any other gets "Invalid namespace".
    SioNamespace main =
        new SioNamespace() {
          @Override
          public SioHandler connect(SioConnection connection, String nsp, JsonNode auth) {
            return SioSocket.join(connection, sio, auth);
          }

          @Override
          public CompletionStage<Void> prepare(JsonNode auth) {
            return fetchSharedSession(auth);
          }
        };
    this.eio =
        new EioServer(
            context,
            config.eio(),
            config.recovery() ? Route.WITH_OFFSET : Route.PLAIN,
            Route.ATTACHMENTS,
            config::allowsOrigin,
            transport ->
                new SioConnection(
                    context.vertx(),
                    transport,
                    nsp -> nsp.equals("/") ? main : null,
                    config.limits()));
    eio.mount("/socket.io/");
    this.broadcaster = new Broadcaster(context);
    new BroadcastApi(context, broadcaster).mount(router, config, sockets);
    this.persistence =
        context
            .historyDir()
            .map(
                dir ->
                    new SessionPersistence(
                        context.vertx(), context.clock(), sockets, config.recoveryWindow(), dir))
            .orElse(null);
    context
        .metrics()
        .gauge("herald_websocket_sockets", "Connected Socket.IO sockets", sockets::count);
    context
        .metrics()
        .gauge(
            "herald_websocket_polling_sessions",
            "Engine.IO sessions on long-polling",
            eio::pollingSessions);
    context
        .metrics()
        .gauge("herald_websocket_parked_polls", "Long polls waiting for events", eio::parkedPolls);
    context
        .metrics()
        .gauge(
            "herald_websocket_recoverable",
            "Disconnected sockets that can still be recovered",
            sockets::savedCount);
    // Sockets on long-polling are the Engine.IO polling sessions; the rest are on WebSocket.
    context
        .admin()
        .connections(
            "websocket",
            "socket.io websocket",
            () -> Math.max(0, sockets.count() - eio.pollingSessions()));
    context.admin().connections("websocket", "socket.io long-polling", eio::pollingSessions);
    context.admin().groups("websocket", "room", sockets::roomCounts);
    registerHealth(context, sockets);
  }

  private void registerHealth(ServerContext context, Sockets sockets) {
    state =
        ServiceState.mount(
            name(),
            context,
            () ->
                Map.of(
                    "connections",
                    sockets.count(),
                    "uptime",
                    state.uptimeSeconds(),
                    "lastOffset",
                    context.engine().lastSeq(CHANNEL)));
    if (context.engine().shared()) { // its health is the server's "engine" entry
      LOG.info(
          "websocket: broadcasts go through the {} engine: one offset sequence on every node",
          context.engine().engineName());
    }
    if (withKafka) {
      state.dependsOn(
          "kafka",
          () -> {
            KafkaSource k = kafka;
            return k == null || !k.connected()
                ? HealthStatus.down("no connection to " + config.kafka().brokers())
                : HealthStatus.up(Map.of("assignedPartitions", k.assigned()));
          });
    }
  }

  /**
   * A client asking to recover a session this node does not hold: another node may have kept it in
   * the shared engine (the client's node went away). Fetched into this node's saved sessions before
   * the CONNECT is decided.
   */
  private CompletionStage<Void> fetchSharedSession(JsonNode auth) {
    String pid = Broadcast.text(auth.get("pid"));
    if (!config.recovery()
        || !sio.sessions().shared()
        || pid == null
        || Broadcast.text(auth.get("offset")) == null
        || sio.sockets().has(pid)) {
      return CompletableFuture.completedFuture(null);
    }
    return sio.sessions()
        .take(pid)
        .thenAccept(
            saved -> {
              if (saved != null) sio.sockets().save(saved);
            });
  }

  @Override
  public Future<Void> start() {
    state.started();
    if (config.allowedOrigins().contains("*"))
      LOG.warn("ALLOWED_ORIGINS is '*': any web page may connect to /socket.io/");
    if (config.apiKey().isEmpty()) {
      LOG.warn(
          "HERALD_API_KEY is not set: anyone who reaches this port may POST /api/broadcast/* and read /api/stats");
    }
    if (config.jwtSecret().length == 0)
      LOG.warn(
          "JWT_SECRET is not set: Socket.IO clients connect anonymously only; tokens are refused");
    if (persistence != null) persistence.start();
    // A sweep of up to 100,000 saved sessions: on a worker, not on the event loop the timer fires
    // on.
    expiryTimer =
        ctx.vertx()
            .setPeriodic(
                10_000,
                id ->
                    ctx.vertx()
                        .executeBlocking(
                            () -> {
                              sio.sockets().expire();
                              return null;
                            }));
    // A shared engine: the hub takes on the channel's history and follows it (start-up does not
    // wait for Redis);
    // Kafka starts after, so the positions it skips are read from the shared history.
    if (ctx.engine().shared())
      ctx.engine().attach(CHANNEL).thenRun(() -> ctx.vertx().runOnContext(v -> startKafka()));
    else startKafka();
    long refreshMillis = SharedSessions.REFRESH_SECONDS * 1000;
    if (sio.sessions().shared())
      sessionTimer =
          ctx.vertx()
              .setPeriodic(
                  refreshMillis, id -> sio.sockets().forEachConnected(SioSocket::refreshShared));
    return Future.succeededFuture();
  }

  private void startKafka() {
    if (!state.running() || !withKafka) return;
    Counter rejected =
        ctx.metrics()
            .counter("herald_websocket_kafka_rejected", "Kafka records skipped as invalid");
    Counter consumed =
        ctx.metrics()
            .counter(
                "herald_websocket_broadcasts",
                "Socket.IO broadcasts accepted, by source",
                "source",
                "kafka");
    // What the journal kept (HERALD_HISTORY_DIR): records broadcast before a crash are not
    // broadcast again.
    var before =
        KafkaPositions.after(
            ctx.engine().kept(CHANNEL).stream().map(f -> f.encoded(Route.ROUTE)).toList());
    kafka =
        new KafkaSource(
            config.kafka(),
            ctx.clock(),
            b -> broadcaster.broadcast(b).thenRun(consumed::increment),
            rejected::increment,
            before);
    kafka.start();
  }

  @Override
  public Future<Void> stop() {
    state.stopped();
    if (expiryTimer >= 0) ctx.vertx().cancelTimer(expiryTimer);
    if (sessionTimer >= 0) ctx.vertx().cancelTimer(sessionTimer);
    eio.shutdown();
    KafkaSource k = kafka;
    if (k != null) {
      try {
        k.stop(); // before the engine closes: a record it is publishing still gets through, or
        // is read again after a restart
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (persistence != null) persistence.stop();
    return Future.succeededFuture();
  }
}
