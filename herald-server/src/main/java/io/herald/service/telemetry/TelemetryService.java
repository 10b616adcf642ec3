package io.herald.service.telemetry;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.health.HealthStatus;
import io.herald.transport.http.ApiError;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.herald.transport.server.ServiceState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 001: short and long polling on {@code /v1/polling/*}, Server-Sent Events on {@code
 * /v1/stream/*}, and the internal publish routes on {@code /v1/internal/events/*}. Events live in
 * an {@link EventStore}.
 */
public final class TelemetryService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);

  /** Parses a publish body into an event. */
  private interface BodyParser {
    PublishBodies.Draft parse(String raw, Instant now) throws PublishBodies.BadBody;
  }

  private final TelemetryConfig config;
  private final Waiters waiters = new Waiters();
  private final Semaphore inFlight;
  private final InternalAccess internal;
  private ServerContext ctx;
  private ServiceState state;
  private EventStore store;
  private VisibleReader reader;
  private JwtAuth jwt;

  public TelemetryService(TelemetryConfig config) {
    this.config = config;
    this.internal = new InternalAccess(config.internalApiKey());
    this.inFlight = new Semaphore(config.workerPoolSize());
  }

  @Override
  public String name() {
    return "telemetry";
  }

  @Override
  public void mount(Router router, ServerContext context) {
    this.ctx = context;
    this.jwt = new JwtAuth(config.jwtSecret(), config.jwtLeeway(), context.clock());
    if (!config.corsOrigins().isEmpty()) {
      CorsHandler cors =
          CorsHandler.create()
              .allowedHeader("Authorization")
              .allowedHeader("Content-Type")
              .allowedHeader("Last-Event-ID")
              .allowedHeader("X-API-Key");
      // No origin added means any origin: that is what "*" asks for.
      if (!config.corsOrigins().contains("*")) cors.addOrigins(config.corsOrigins());
      router.route("/v1/*").handler(cors);
    }
    router
        .get("/v1/polling/events")
        .handler(
            rc -> withUser(rc, false, p -> typeStream(rc).ifPresent(s -> poll(rc, s, p, true))));
    router
        .get("/v1/polling/user/events")
        .handler(rc -> withUser(rc, false, p -> poll(rc, Streams.user(p.userId()), p, false)));
    router
        .get("/v1/polling/admin/events")
        .handler(rc -> withUser(rc, true, p -> poll(rc, Streams.ADMIN, p, false)));
    router
        .get("/v1/stream/events")
        .handler(
            rc -> withUser(rc, false, p -> typeStream(rc).ifPresent(s -> sse(rc, s, p, true))));
    router
        .get("/v1/stream/user/events")
        .handler(rc -> withUser(rc, false, p -> sse(rc, Streams.user(p.userId()), p, false)));
    router
        .get("/v1/stream/admin/events")
        .handler(rc -> withUser(rc, true, p -> sse(rc, Streams.ADMIN, p, false)));
    BodyHandler body = BodyHandler.create().setBodyLimit(context.config().maxBodyBytes());
    route(router, body, "publish", PublishBodies::generic);
    route(router, body, "order-status-change", PublishBodies::orderStatusChange);
    route(router, body, "new-order", PublishBodies::newOrder);
    route(router, body, "order-update", PublishBodies::orderUpdate);
    context.admin().connections("telemetry", "sse", () -> waiters.count(SseStream.class));
    context.admin().connections("telemetry", "long-polling", () -> waiters.count(LongPoll.class));
    context.admin().groups("telemetry", "stream", waiters::byStream);
    // "publishing": publishes waiting for the store, of WORKER_POOL_SIZE; the next one past it gets
    // 503.
    state =
        ServiceState.mount(
            name(),
            context,
            () ->
                Map.of(
                    "store",
                    store == null ? "none" : store.kind(),
                    "environment",
                    config.environment(),
                    "waiting",
                    waiters.size(),
                    "publishing",
                    config.workerPoolSize() - inFlight.availablePermits()));
    if (config.engineUrl().isPresent()) {
      state.dependsOn(
          config.engineUrl().get().startsWith("nats:") ? "nats" : "redis",
          () -> store == null ? HealthStatus.down("not started") : store.health());
    }
  }

  private void route(Router router, BodyHandler body, String path, BodyParser parser) {
    router
        .post("/v1/internal/events/" + path)
        .handler(body)
        .handler(
            rc -> {
              ApiError denied = internal.check(rc.request());
              if (denied != null) denied.send(rc);
              else publish(rc, parser);
            });
  }

  @Override
  public Future<Void> start() {
    EngineEventStore events =
        new EngineEventStore(
            LogEngine.open(config, ctx.clock()),
            config.maxPerStream(),
            config.eventTtl().toMillis(),
            ctx.clock());
    events.listen(waiters::wake);
    store = events.start();
    reader = new VisibleReader(store);
    LOG.info(
        "telemetry: {} store, events kept {}, internal routes {}",
        store.kind(),
        config.eventTtl(),
        config.internalApiKey().isPresent()
            ? "need INTERNAL_API_KEY"
            : "loopback only (INTERNAL_API_KEY unset)");
    state.started();
    return Future.succeededFuture();
  }

  /**
   * Answers every parked long poll and ends every SSE stream before the server closes their
   * connections.
   */
  @Override
  public Future<Void> stop() {
    state.stopped();
    List<Future<Void>> ended = waiters.all().stream().map(Waiters.Waiter::shutdown).toList();
    // The last waiter completes on an event loop; closing the Redis client blocks, so it runs on a
    // worker.
    return Future.all(ended)
        .transform(
            ar ->
                ctx.vertx()
                    .executeBlocking(
                        () -> {
                          if (store != null) store.close();
                          return null;
                        }));
  }

  /**
   * Verifies the bearer token (401) and, for admin routes, the role (403); then runs {@code then}.
   */
  private void withUser(RoutingContext rc, boolean adminOnly, Consumer<Principal> then) {
    Principal p;
    try {
      p = jwt.verifyHeader(rc.request().getHeader("Authorization"));
    } catch (JwtVerifier.Rejected e) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      new ApiError(401, ErrorCode.UNAUTHORIZED, e.getMessage()).send(rc);
      return;
    }
    if (adminOnly && !p.admin()) {
      new ApiError(403, ErrorCode.FORBIDDEN, "this route needs the ADMIN role").send(rc);
      return;
    }
    then.accept(p);
  }

  private static Optional<String> typeStream(RoutingContext rc) {
    String type = rc.request().getParam("eventType");
    if (type == null || type.isBlank()) {
      ApiError.badRequest(ErrorCode.INVALID_MESSAGE, "query parameter 'eventType' is required")
          .send(rc);
      return Optional.empty();
    }
    return Optional.of(Streams.type(type));
  }

  private void poll(RoutingContext rc, String stream, Principal who, boolean filter) {
    PollQuery q;
    try {
      q = PollQuery.of(rc.request());
    } catch (IllegalArgumentException e) {
      ApiError.badRequest(ErrorCode.INVALID_MESSAGE, e.getMessage()).send(rc);
      return;
    }
    Context context = ctx.vertx().getOrCreateContext();
    cursor(context, stream, q.after(), q.latest())
        .onFailure(e -> storeDown(rc, e))
        .onSuccess(
            after -> {
              if (!q.longPoll()) {
                reader
                    .read(context, stream, after, q.limit(), who, filter)
                    .onSuccess(r -> ok(rc, r))
                    .onFailure(e -> storeDown(rc, e));
                return;
              }
              ctx.admission()
                  .admit(
                      rc.request(),
                      () -> { // a parked poll holds its connection: overload protection decides
                        var target =
                            new Follower.Target(context, waiters, reader, stream, who, filter);
                        LongPoll lp =
                            new LongPoll(
                                ctx.vertx(),
                                target,
                                after,
                                q.limit(),
                                r -> ok(rc, r),
                                e -> storeDown(rc, e));
                        rc.response().closeHandler(v -> lp.cancel());
                        lp.start(config.longPollTimeout());
                      });
            });
  }

  private void sse(RoutingContext rc, String stream, Principal who, boolean filter) {
    String last = rc.request().getHeader("Last-Event-ID");
    if (last == null) last = rc.request().getParam("lastEventId");
    EventId after;
    try {
      after = EventId.cursor(last);
    } catch (IllegalArgumentException e) {
      ApiError.badRequest(ErrorCode.INVALID_MESSAGE, e.getMessage()).send(rc);
      return;
    }
    Context context = ctx.vertx().getOrCreateContext();
    // Without Last-Event-ID a stream starts now, as EventSource users expect.
    cursor(context, stream, after, after == null)
        .onFailure(e -> storeDown(rc, e))
        .onSuccess(
            from ->
                ctx.admission()
                    .admit(
                        rc.request(),
                        () ->
                            new SseStream(
                                    ctx.vertx(),
                                    new Follower.Target(
                                        context, waiters, reader, stream, who, filter),
                                    rc.response(),
                                    from)
                                .start(config.sseHeartbeat())));
  }

  /** The id to read after: as given, or for {@code $} the stream's newest. */
  private Future<EventId> cursor(Context context, String stream, EventId after, boolean latest) {
    if (!latest) return Future.succeededFuture(after);
    return Future.fromCompletionStage(store.lastId(stream), context);
  }

  private void publish(RoutingContext rc, BodyParser parser) {
    PublishBodies.Draft d;
    try {
      d = parser.parse(rc.body().asString(), ctx.clock().instant());
    } catch (PublishBodies.BadBody e) {
      ApiError.badField(e.field, e.getMessage()).send(rc);
      return;
    }
    if (!inFlight.tryAcquire()) {
      rc.response().putHeader("Retry-After", "1");
      new ApiError(
              503,
              ErrorCode.UNAVAILABLE,
              "too many publishes in flight (WORKER_POOL_SIZE=" + config.workerPoolSize() + ")")
          .send(rc);
      return;
    }
    Context context = ctx.vertx().getOrCreateContext();
    Future.fromCompletionStage(store.append(d.eventType(), d.userId(), d.body()), context)
        .onComplete(
            ar -> {
              inFlight.release();
              if (ar.failed()) {
                storeDown(rc, ar.cause());
              } else {
                rc.response()
                    .setStatusCode(202)
                    .putHeader("content-type", "application/json")
                    .end("{\"status\":\"accepted\",\"eventId\":\"" + ar.result() + "\"}");
              }
            });
  }

  private static Future<Void> ok(RoutingContext rc, VisibleReader.Result r) {
    if (rc.response().ended() || rc.response().closed()) return Future.succeededFuture();
    return rc.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(PollResponse.json(r));
  }

  private static void storeDown(RoutingContext rc, Throwable e) {
    LOG.debug("telemetry store error: {}", e.toString());
    new ApiError(503, ErrorCode.UNAVAILABLE, "event store unavailable, retry shortly").send(rc);
  }
}
