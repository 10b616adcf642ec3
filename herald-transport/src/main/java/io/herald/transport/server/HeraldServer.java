package io.herald.transport.server;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineFactory;
import io.herald.core.engine.NodeFeed;
import io.herald.core.engine.NodePort;
import io.herald.core.history.Journal;
import io.herald.core.history.JournalException;
import io.herald.core.hub.Hub;
import io.herald.core.hub.HubConfig;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.health.Health;
import io.herald.transport.health.HealthCheck;
import io.herald.transport.health.HealthStatus;
import io.herald.transport.http.ApiError;
import io.herald.transport.metrics.Metrics;
import io.herald.transport.ws.Connections;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.Router;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Vert.x instance, one router, one HTTP server instance per event loop on one port, with the
 * routes every service shares (GET /health, GET /metrics, JSON 404/405/413/500) and the services'
 * own routes.
 */
public final class HeraldServer {
  private static final Logger LOG = LoggerFactory.getLogger(HeraldServer.class);
  private final ServerConfig config;
  private final List<Service> services;
  private final Vertx vertx;
  private final ServerContext context;
  private final Journal journal;
  private final NodeFeed feed;
  private final NodePresence presence;
  private final Router router;
  private final String transportName;
  private int actualPort;
  private volatile ControlListener control;

  /**
   * @param engines the journal and engine (herald-stores' {@code Stores}; {@link
   *     EngineFactory#MEMORY} without it)
   */
  public HeraldServer(
      ServerConfig config, HubConfig hubConfig, EngineFactory engines, List<Service> services) {
    this.config = config;
    this.services = List.copyOf(services);
    Transport transport = config.transport().resolve();
    this.transportName = transport.name().toLowerCase(Locale.ROOT);
    this.vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(config.eventLoops()))
            .withTransport(transport)
            .build();
    Metrics metrics = new Metrics();
    InstantSource clock = InstantSource.system();
    Connections connections = new Connections();
    try {
      this.journal = engines.journal(hubConfig);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    Hub hub = new Hub(hubConfig, clock, metrics, journal);
    this.feed =
        new NodeFeed(
            hub,
            engines.engine(hub, hubConfig),
            Math.max(1, hubConfig.history().maxEvents()),
            engineLag(metrics));
    NodePort port = new NodePort(hub, feed);
    Admission admission =
        new Admission(config.admission(), config.trustedProxies(), vertx, metrics);
    List<String> names = this.services.stream().map(Service::name).toList();
    this.presence =
        new NodePresence(
            port, vertx, clock, config.host(), names, admission::open, config.nodeHeartbeat());
    this.context =
        new ServerContext(
            vertx,
            port,
            metrics,
            connections,
            new Health(clock),
            clock,
            config,
            new WebSocketRoutes(),
            hubConfig.journalDir(),
            admission,
            new AdminBoard(hub, feed, presence::nodes));
    if (feed.shared()) {
      Engine engine = feed.engine();
      context
          .health()
          .register(
              HealthCheck.of(
                  "engine",
                  "dependency",
                  () ->
                      engine.problem() == null
                          ? HealthStatus.up(Map.of("engine", engine.name()))
                          : HealthStatus.down(engine.problem())));
    }
    metrics.gauge("herald_connections", "Open WebSocket connections", connections::count);
    metrics.gauge(
        "herald_fanout_loops",
        "Event loops with WebSocket connections (fan-out tasks per event)",
        connections::loops);
    this.router = Router.router(vertx);
    mountCommonRoutes();
    try {
      for (Service s : this.services) s.mount(router, context);
    } catch (
        RuntimeException
            e) { // this server will never run: free the journal directory for the next one
      feed.close();
      journal.close();
      vertx.close();
      throw e;
    }
  }

  private static LongConsumer engineLag(Metrics metrics) {
    Timer t =
        metrics.timer(
            "herald_engine_lag",
            "From the shared engine keeping an event to this node receiving it (wall clock; 0 with the local engine)");
    return micros -> t.record(Math.max(0, micros), TimeUnit.MICROSECONDS);
  }

  private void mountCommonRoutes() {
    ControlRoutes.mount(router, context);
    router.errorHandler(
        404,
        ctx ->
            new ApiError(
                    404,
                    ErrorCode.NOT_FOUND,
                    "no route for " + ctx.request().method() + " " + ctx.request().path())
                .send(ctx));
    router.errorHandler(
        405,
        ctx ->
            new ApiError(
                    405,
                    ErrorCode.INVALID_MESSAGE,
                    "method " + ctx.request().method() + " not allowed here")
                .send(ctx));
    router.errorHandler(
        413,
        ctx ->
            new ApiError(
                    413,
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "request body over " + config.maxBodyBytes() + " bytes")
                .send(ctx));
    router.errorHandler(
        500,
        ctx -> {
          if (ctx.failure()
              instanceof
              JournalException e) { // the event was refused, not lost: the publisher may retry
            LOG.error("publish refused: {}", e.getMessage());
            new ApiError(
                    503,
                    ErrorCode.UNAVAILABLE,
                    "the event could not be kept (history journal); not delivered, retry later")
                .send(ctx);
            return;
          }
          LOG.error(
              "request failed: {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
          new ApiError(500, ErrorCode.INTERNAL, "internal error").send(ctx);
        });
  }

  public ServerContext context() {
    return context;
  }

  /** Starts the services, then the listeners; completes when the port accepts connections. */
  public Future<HeraldServer> start() {
    Future<Void> started = Future.succeededFuture();
    for (Service s : services) started = started.compose(v -> s.start());
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            // WebSocket upgrades, permessage-deflate included, are Herald's own (WsUpgrade):
            // Vert.x's extension handler,
            // on by default, would sit in every HTTP connection's pipeline and negotiate a
            // per-connection compressor.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setTcpNoDelay(true)
            .setReuseAddress(true)
            // Without cleartext HTTP/2 the HTTP/1 connection exists from the accept (not from the
            // first bytes), so the
            // head deadline also covers a client that connects and sends nothing. Herald serves
            // HTTP/1.1 only.
            .setHttp2ClearTextEnabled(false);
    AdmissionConfig a = config.admission();
    LOG.info(
        "connections: new long-lived streams refused past {} open "
            + "connections (HERALD_MAX_CONNECTIONS; open-file limit {}),"
            + " per address {}, handshake rate {}",
        a.maxConnections(),
        a.fdLimit(),
        a.perAddress() == 0 ? "unlimited" : a.perAddress(),
        a.handshakeRate() == 0 ? "unlimited" : a.handshakeRate() + "/s");
    return started
        .compose(
            v ->
                vertx.deployVerticle(
                    () -> new Listener(options, this::dispatch),
                    new DeploymentOptions().setInstances(config.eventLoops())))
        .compose(id -> startControl())
        .map(
            v -> {
              presence.start(actualPort);
              return this;
            });
  }

  private Future<Void> startControl() {
    int wanted = config.admission().controlPort();
    if (wanted == 0) return Future.succeededFuture();
    control = new ControlListener();
    return control
        .start(config.host(), wanted, context)
        .map(
            p -> {
              LOG.info(
                  "control port {}: /health and /metrics on an event loop of their own (HERALD_CONTROL_PORT)",
                  p);
              return null;
            });
  }

  /** The control port's bound port, or 0 without one. */
  public int controlPort() {
    ControlListener c = control;
    return c == null ? 0 : c.port();
  }

  /** WebSocket paths first: only a GET while the server runs reaches the service's handler. */
  private void dispatch(HttpServerRequest req) {
    WebSocketRoutes.Route ws = context.webSockets().find(req.path());
    if (ws == null) {
      router.handle(req);
    } else if (req.method() != HttpMethod.GET && !ws.anyMethod()) {
      new ApiError(405, ErrorCode.INVALID_MESSAGE, "method " + req.method() + " not allowed here")
          .send(req.response());
    } else if (context.connections().draining() && !ws.anyMethod()) {
      // Routes that take every method (Engine.IO polling) refuse new sessions themselves and keep
      // serving the
      // open ones while they drain.
      new ApiError(503, ErrorCode.INTERNAL, "server is shutting down").send(req.response());
    } else if (ws.anyMethod() || !"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      ws.handler()
          .handle(req); // Engine.IO admits its own handshakes; a plain GET gets the route's error
    } else {
      context.admission().admit(req, () -> ws.handler().handle(req));
    }
  }

  /** The Netty transport the event loops run on: io_uring, epoll or nio. */
  public String transportName() {
    return transportName;
  }

  /**
   * The port actually bound (useful when configured as 0 is not supported: pick a free port
   * instead).
   */
  public int port() {
    return actualPort;
  }

  /**
   * Graceful stop: tell the other nodes this one is leaving (on a shared engine), refuse new
   * upgrades, flush and close every client with 1001 (up to the shutdown timeout), stop the
   * services, close the listeners and Vert.x.
   */
  public Future<Void> stop() {
    // First: the other nodes' pages show this one leaving while it drains, not as gone once it
    // stopped answering.
    Future<Void> stopped =
        presence
            .stop()
            .compose(v -> context.connections().shutdown(vertx, config.shutdownTimeout()));
    // On a worker thread: services stop their consumers, pools and clients with blocking calls, and
    // the previous
    // step completes on an event loop.
    for (Service s : services.reversed())
      stopped =
          stopped.compose(
              v ->
                  vertx
                      .executeBlocking(s::stop)
                      .compose(f -> f)
                      .recover(
                          e -> {
                            LOG.warn("service {} did not stop cleanly: {}", s.name(), e.toString());
                            return Future.succeededFuture();
                          }));
    ControlListener c = control;
    if (c != null) stopped = stopped.compose(v -> c.close().recover(e -> Future.succeededFuture()));
    return stopped
        .compose(v -> vertx.close())
        .andThen(
            done -> {
              feed.close(); // the Redis engine's connections; nothing for a local one
              journal.close();
            });
  }

  /**
   * One HTTP server instance; Vert.x spreads accepted connections over the instances' event loops.
   */
  private final class Listener extends VerticleBase {
    private final HttpServerOptions options;
    private final Handler<HttpServerRequest> handler;

    Listener(HttpServerOptions options, Handler<HttpServerRequest> handler) {
      this.options = options;
      this.handler = handler;
    }

    @Override
    public Future<?> start() {
      HeadDeadline deadline = new HeadDeadline(vertx, config.headerTimeout().toMillis());
      Admission admission = HeraldServer.this.context.admission();
      return vertx
          .createHttpServer(options)
          .connectionHandler(
              conn -> {
                if (!admission.accepted(conn)) return;
                // The close listener lives as long as the channel: it must not hold Vert.x's
                // connection, which a WebSocket no longer needs (its request, response, headers and
                // inbound queue, about 5 KB a connection), so it names the connection by its key.
                Object key = Admission.key(conn);
                onClose(
                    conn,
                    () -> {
                      deadline.closed(key);
                      admission.closed(key);
                    });
                deadline.accepted(conn);
              })
          .requestHandler(
              req -> {
                deadline.head(req);
                handler.handle(req);
              })
          .listen()
          .onSuccess(this::bound);
    }

    /**
     * Runs {@code closed} once when the connection's channel closes. Netty's close future, not
     * Vert.x's close handler: a WebSocket upgraded by {@code WsUpgrade} takes the channel's
     * pipeline from Vert.x, whose handler then never hears of the close.
     */
    private static void onClose(HttpConnection conn, Runnable closed) {
      if (conn instanceof HttpServerConnection h)
        h.channelHandlerContext().channel().closeFuture().addListener(f -> closed.run());
      else conn.closeHandler(v -> closed.run());
    }

    private void bound(HttpServer server) {
      actualPort = server.actualPort();
    }
  }
}
