package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.eio.EioServer;
import io.herald.transport.health.HealthCheck;
import io.herald.transport.health.HealthStatus;
import io.herald.transport.http.ApiKey;
import io.herald.transport.http.StaticResource;
import io.vertx.core.buffer.Buffer;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 003: Socket.IO at /socket.io/, the HTTP broadcast API under /api/broadcast/, /api/stats, and the Kafka
 * topics. Every broadcast is one event on the engine channel {@value #CHANNEL}; its route names the rooms.
 */
public final class WebsocketService implements Service {
  static final String CHANNEL = "socket.io";
  private static final Logger LOG = LoggerFactory.getLogger(WebsocketService.class);

  private final WebsocketConfig config;
  private final boolean withKafka;
  private volatile ServerContext ctx;
  private volatile SioContext sio;
  private volatile EioServer eio;
  private volatile KafkaSource kafka;
  /** Set when REDIS_URL is: broadcasts reach the engine through Redis, on every instance. */
  private volatile RedisBus bus;
  private volatile Instant startedAt;
  private volatile boolean running;
  /** How often changed sessions are written for recovery after a crash (HERALD_HISTORY_DIR). */
  static final long SNAPSHOT_MILLIS = 1000;
  private long expiryTimer = -1;
  private long sessionTimer = -1;
  private long snapshotTimer = -1;
  /** Held while the session file is written; a snapshot after the stop's write must not replace it. */
  private final Object sessionFileLock = new Object();
  private boolean sessionsFinal;  // guarded by sessionFileLock
  private Counter published;
  private Counter busRefused;

  /** @param withKafka whether to consume the seed's Kafka topics (off under `herald all` without KAFKA_BROKERS) */
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
    JwtVerifier jwt = config.jwtSecret().length == 0 ? null : new JwtVerifier(config.jwtSecret(), config.jwtLeeway(), context.clock());
    Sockets sockets = new Sockets(config.maxConnectionsPerIp());
    java.util.concurrent.ConcurrentHashMap<java.util.concurrent.Executor, RoomDispatch> dispatches = new java.util.concurrent.ConcurrentHashMap<>();
    this.sio = new SioContext(context.vertx(), context.hub(), context.clock(), context.metrics(), config, jwt, sockets,
        loop -> dispatches.computeIfAbsent(loop, l -> {
          RoomDispatch d = new RoomDispatch(l, context.metrics());
          context.hub().subscribe(CHANNEL, d, l, -1);
          return d;
        }), context.feed().engine() instanceof io.herald.core.engine.SharedState shared && context.feed().shared()
            ? new SharedSessions(shared, context.clock(), config.recoveryWindow()) : SharedSessions.NONE);
    // One namespace, the main one; a CONNECT for any other gets "Invalid namespace".
    io.herald.transport.sio.SioNamespace main = new io.herald.transport.sio.SioNamespace() {
      @Override
      public io.herald.transport.sio.SioHandler connect(io.herald.transport.sio.SioConnection connection, String nsp,
          com.fasterxml.jackson.databind.JsonNode auth) {
        return SioSocket.join(connection, sio, auth);
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> prepare(com.fasterxml.jackson.databind.JsonNode auth) {
        return fetchSharedSession(auth);
      }
    };
    this.eio = new EioServer(context, config.eio(), config.recovery() ? Route.WITH_OFFSET : Route.PLAIN, Route.ATTACHMENTS,
        config::allowsOrigin, transport -> new io.herald.transport.sio.SioConnection(context.vertx(), transport,
            nsp -> nsp.equals("/") ? main : null, config.limits()));
    eio.mount("/socket.io/");
    this.busRefused = context.metrics().counter("herald_websocket_bus_refused", "Broadcasts Redis did not take (HTTP 503, or a Kafka record read again)");
    this.published = context.metrics().counter("herald_websocket_broadcasts", "Socket.IO broadcasts accepted, by source", "source", "http");
    // With HERALD_API_KEY set, a request without it gets 401 in this service's error shape.
    var guard = new ApiKey(config.apiKey()).guard(rc -> json(rc, 401, failure(ApiKey.REFUSED)));
    BodyHandler body = BodyHandler.create().setBodyLimit(context.config().maxBodyBytes());
    post(router, "/api/broadcast/room", body, guard, (in, now) -> Broadcast.to(List.of(Broadcast.required(in, "room")),
        Broadcast.required(in, "event"), in.get("data")));
    post(router, "/api/broadcast/user", body, guard, (in, now) -> Broadcast.to(List.of(Rooms.user(Broadcast.required(in, "userId"))),
        Broadcast.required(in, "event"), in.get("data")));
    post(router, "/api/broadcast/global", body, guard, (in, now) -> Broadcast.to(List.of(Rooms.GLOBAL),
        Broadcast.required(in, "event"), in.get("data")));
    post(router, "/api/broadcast/survey-response", body, guard, Broadcast::surveyResponse);
    post(router, "/api/broadcast/location", body, guard, Broadcast::location);
    Buffer page = StaticResource.load("websocket/index.html"), client = StaticResource.load("websocket/websocket-client.js");
    router.get("/websocket/").handler(rc -> rc.response().putHeader("content-type", "text/html; charset=utf-8").end(page));
    router.get("/websocket-client.js").handler(rc -> rc.response().putHeader("content-type", "text/javascript; charset=utf-8").end(client));
    // The stats name every user room and survey: with a key set, they need it as the broadcasts do.
    router.get("/api/stats").handler(guard).handler(rc -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("success", true);
      out.put("stats", sockets.stats());
      json(rc, 200, out);
    });
    context.metrics().gauge("herald_websocket_sockets", "Connected Socket.IO sockets", sockets::count);
    context.metrics().gauge("herald_websocket_polling_sessions", "Engine.IO sessions on long-polling", eio::pollingSessions);
    context.metrics().gauge("herald_websocket_parked_polls", "Long polls waiting for events", eio::parkedPolls);
    context.metrics().gauge("herald_websocket_recoverable", "Disconnected sockets that can still be recovered", sockets::savedCount);
    context.health().register(HealthCheck.of("websocket", "service", () -> running
        ? HealthStatus.up(Map.of("connections", sockets.count(), "uptime", uptimeSeconds(), "lastOffset", context.hub().lastSeq(CHANNEL)))
        : HealthStatus.down("stopped")));
    if (context.feed().shared()) {
      LOG.info("websocket: broadcasts go through the {} engine (HERALD_ENGINE): one offset sequence on every node", context.feed().engine().name());
    } else if (config.redisUrl().isPresent()) {
      bus = new RedisBus(config.redisUrl().get(), config.redisChannel(), this::deliver);
      context.health().register(HealthCheck.of("redis", "dependency", () -> {
        String problem = bus.problem();
        return problem == null ? HealthStatus.up(Map.of("channel", config.redisChannel())) : HealthStatus.down(problem);
      }));
    }
    if (withKafka) {
      context.health().register(HealthCheck.of("kafka", "dependency", () -> {
        KafkaSource k = kafka;
        return k == null || !k.connected() ? HealthStatus.down("no connection to " + config.kafka().brokers())
            : HealthStatus.up(Map.of("assignedPartitions", k.assigned()));
      }));
    }
  }

  private long uptimeSeconds() {
    Instant s = startedAt;
    return s == null ? 0 : Duration.between(s, ctx.clock().instant()).toSeconds();
  }

  private void post(Router router, String path, BodyHandler body, io.vertx.core.Handler<RoutingContext> guard, BiFunction<JsonNode, Instant, Broadcast> build) {
    router.post(path).handler(body).handler(guard).handler(rc -> {
      JsonNode in;
      try {
        in = rc.body().buffer() == null ? null : Json.MAPPER.readTree(rc.body().buffer().getBytes());
      } catch (java.io.IOException e) {
        json(rc, 400, failure("body is not valid JSON"));
        return;
      }
      if (in == null || !in.isObject()) {
        json(rc, 400, failure("body must be a JSON object"));
        return;
      }
      Broadcast b;
      try {
        b = build.apply(in, ctx.clock().instant());
      } catch (IllegalArgumentException e) {
        json(rc, 400, failure(e.getMessage()));
        return;
      }
      java.util.concurrent.CompletableFuture<Long> done = broadcast(b).toCompletableFuture();
      if (done.isDone()) {
        // Answered in this task, before the fan-out tasks it queued: HTTP/1.1 takes a connection's next request only
        // after this answer, so a hop behind the fan-out would throttle a pipelining publisher.
        done.whenComplete((offset, err) -> answer(rc, b, offset, err));
      } else {
        io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
        done.whenComplete((offset, err) -> here.runOnContext(v -> answer(rc, b, offset, err)));
      }
    });
  }

  /** {@code err} set: the broadcast was not accepted (the Redis bus is down, or the history journal refused it). */
  private void answer(RoutingContext rc, Broadcast b, Long offset, Throwable err) {
    if (err != null) {
      Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
      json(rc, 503, failure(cause instanceof io.herald.core.history.JournalException
          ? "broadcast not accepted: the history journal could not keep it; retry"
          : "broadcast not accepted: Redis, which shares broadcasts between instances, is unavailable; retry"));
      return;
    }
    published.increment();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("message", "Broadcast sent");
    out.put("event", b.route().name());
    out.put("rooms", b.route().rooms());
    if (offset >= 0) out.put("offset", String.valueOf(offset));  // with Redis, each instance numbers its own
    json(rc, 200, out);
  }

  /** To every instance through Redis when configured (completes with -1), else to this engine (with its offset). */
  java.util.concurrent.CompletionStage<Long> broadcast(Broadcast b) {
    if (ctx.feed().shared()) {  // the engine orders, keeps and delivers it on every node; its offset is the same everywhere
      ctx.metrics().published();
      return ctx.feed().engine().publish(CHANNEL, b.route().name(), b.data(), b.route().meta()).handle((e, err) -> {
        if (err == null) return e.seq();
        busRefused.increment();
        throw err instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(err);
      });
    }
    RedisBus r = bus;
    if (r != null) {
      return r.publish(b).handle((v, e) -> {
        if (e == null) return -1L;
        busRefused.increment();
        throw e instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(e);
      });
    }
    try {
      return java.util.concurrent.CompletableFuture.completedFuture(deliver(b));
    } catch (io.herald.core.history.JournalException e) {  // refused, not delivered: the caller may retry (Kafka: seek back)
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  private long deliver(Broadcast b) {
    ctx.metrics().published();
    return ctx.hub().publish(CHANNEL, b.route().name(), b.data(), b.route().meta()).seq();
  }

  /**
   * A client asking to recover a session this node does not hold: another node may have kept it in the shared
   * engine (the client's node went away). Fetched into this node's saved sessions before the CONNECT is decided.
   */
  private java.util.concurrent.CompletionStage<Void> fetchSharedSession(com.fasterxml.jackson.databind.JsonNode auth) {
    String pid = Broadcast.text(auth.get("pid"));
    if (!config.recovery() || !sio.sessions().shared() || pid == null || Broadcast.text(auth.get("offset")) == null
        || sio.sockets().has(pid)) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    return sio.sessions().take(pid).thenAccept(saved -> {
      if (saved != null) sio.sockets().save(saved);
    });
  }

  /** The body of a refused request: {@code {"success":false,"error":...}}, in that order. */
  private static Map<String, Object> failure(String error) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", false);
    out.put("error", error);
    return out;
  }

  private static void json(RoutingContext rc, int status, Object body) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(Json.write(body));
  }

  @Override
  public Future<Void> start() {
    startedAt = ctx.clock().instant();
    running = true;
    if (config.allowedOrigins().contains("*")) LOG.warn("ALLOWED_ORIGINS is '*': any web page may connect to /socket.io/");
    if (config.apiKey().isEmpty()) {
      LOG.warn("HERALD_API_KEY is not set: anyone who reaches this port may POST /api/broadcast/* and read /api/stats");
    }
    if (config.jwtSecret().length == 0) LOG.warn("JWT_SECRET is not set: Socket.IO clients connect anonymously only; tokens are refused");
    ctx.historyDir().ifPresent(dir -> {
      sio.sockets().trackLive();
      restoreSessions(dir);
      // Every second while sessions change, on a worker: after a crash the clients of the last snapshot recover
      // (rooms joined in the second before the crash excepted) and the journal replays what they missed.
      snapshotTimer = ctx.vertx().setPeriodic(SNAPSHOT_MILLIS, id -> {
        if (sio.sockets().takeChanged()) ctx.vertx().executeBlocking(() -> {
          writeSessions(dir, sio.sockets().snapshot(System.nanoTime(), config.recoveryWindow()), false);
          return null;
        });
      });
    });
    // A sweep of up to 100,000 saved sessions: on a worker, not on the event loop the timer fires on.
    expiryTimer = ctx.vertx().setPeriodic(10_000, id -> ctx.vertx().executeBlocking(() -> {
      sio.sockets().expire();
      return null;
    }));
    if (bus != null) bus.start();
    // A shared engine: the hub takes on the channel's history and follows it (start-up does not wait for Redis);
    // Kafka starts after, so the positions it skips are read from the shared history.
    if (ctx.feed().shared()) ctx.feed().attach(CHANNEL).thenRun(() -> ctx.vertx().runOnContext(v -> startKafka()));
    else startKafka();
    long refreshMillis = SharedSessions.REFRESH_SECONDS * 1000;
    if (sio.sessions().shared()) sessionTimer = ctx.vertx().setPeriodic(refreshMillis, id -> sio.sockets().forEachConnected(SioSocket::refreshShared));
    return Future.succeededFuture();
  }

  private void startKafka() {
    if (!running) return;
    if (withKafka) {
      Counter rejected = ctx.metrics().counter("herald_websocket_kafka_rejected", "Kafka records skipped as invalid");
      Counter consumed = ctx.metrics().counter("herald_websocket_broadcasts", "Socket.IO broadcasts accepted, by source", "source", "kafka");
      // What the journal kept (HERALD_HISTORY_DIR): records broadcast before a crash are not broadcast again.
      var before = KafkaPositions.after(ctx.hub().kept(CHANNEL).stream().map(f -> f.encoded(Route.ROUTE)).toList());
      kafka = new KafkaSource(config.kafka(), ctx.clock(), b -> broadcast(b).thenRun(consumed::increment), rejected::increment, before);
      kafka.start();
    }
  }

  @Override
  public Future<Void> stop() {
    running = false;
    if (expiryTimer >= 0) ctx.vertx().cancelTimer(expiryTimer);
    if (sessionTimer >= 0) ctx.vertx().cancelTimer(sessionTimer);
    if (snapshotTimer >= 0) ctx.vertx().cancelTimer(snapshotTimer);
    eio.shutdown();
    KafkaSource k = kafka;
    if (k != null) {
      try {
        k.stop();  // before the bus: a record it is publishing still gets through, or is read again after a restart
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RedisBus r = bus;
    if (r != null) r.close();
    ctx.historyDir().ifPresent(this::saveSessions);
    return Future.succeededFuture();
  }

  /** The sessions the last snapshot or a graceful stop wrote: their clients recover as after a network drop. */
  private void restoreSessions(java.nio.file.Path dir) {
    try {
      var restored = SessionFile.read(dir, ctx.clock().instant(), System.nanoTime());
      restored.forEach(sio.sockets()::save);
      if (!restored.isEmpty()) LOG.info("websocket: {} Socket.IO sessions from before the restart can be recovered", restored.size());
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("websocket: the saved Socket.IO sessions could not be read ({}); those clients start afresh", e.toString());
    }
  }

  /**
   * Once every socket has been closed: WebSockets by the server's drain, polling sessions by {@code eio.shutdown()},
   * whose closes run as tasks on their event loops (waited for here, up to 3 s).
   */
  private void saveSessions(java.nio.file.Path dir) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(3).toNanos();
    while (sio.sockets().count() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    writeSessions(dir, sio.sockets().saved(), true);
  }

  /** Writes the session file; {@code last}: the stop's, after which no snapshot replaces it. */
  private void writeSessions(java.nio.file.Path dir, java.util.Collection<Sockets.Saved> sessions, boolean last) {
    synchronized (sessionFileLock) {
      if (sessionsFinal) return;
      sessionsFinal = last;
      try {
        SessionFile.write(dir, sessions, ctx.clock().instant(), System.nanoTime());
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("websocket: the Socket.IO sessions could not be saved ({}); their clients will start afresh", e.toString());
      }
    }
  }

}
