package io.herald.transport.server;

import io.herald.core.engine.EnginePort;
import io.herald.core.engine.Page;
import io.herald.core.event.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * The nodes of a deployment on a shared engine, for the operator's page: each node publishes a
 * heartbeat (its {@link NodeBeacon}) every period (HERALD_NODE_HEARTBEAT, 2 s) on {@link #CHANNEL}
 * and reads what the others published since its last read. On a local engine there are no other
 * nodes and nothing is published.
 *
 * <p>Why heartbeat events on a channel, and not {@link io.herald.core.engine.SharedState} values
 * with a TTL: shared values can be put and taken but not listed, and listing them would need new
 * code in every engine. Every engine already publishes, keeps and reads a channel, and trims its
 * history by HERALD_HISTORY_SIZE and HERALD_HISTORY_TTL (Redis: the stream's MAXLEN and expiry;
 * NATS: the stream's message and age limits), so the channel stays bounded with no engine-specific
 * code.
 *
 * <p>Why reading the channel each period instead of attaching it: an attached channel lives in the
 * node's hub, and would then count among the node's channels, on the page and in the metrics, and
 * keep its history in memory. Read through {@link EnginePort#read}, it never reaches the hub; the
 * read rides the heartbeat's own period, one small read every period per node.
 */
final class NodePresence {
  /**
   * The heartbeat channel. Not a name any client can reach: every service publishes and subscribes
   * on fixed channels of its own (push-hub's {@code push-hub}, websocket's {@code socket.io} with
   * rooms in the event's meta, report-listener's {@code reports}, telemetry's {@code log} on an
   * engine of its own), none taken from a request, and none starts with {@code ~}. The engine puts
   * it under HERALD_ENGINE_PREFIX as every channel.
   */
  static final String CHANNEL = "~nodes";

  /**
   * Heartbeats read at most per period: as many nodes as one deployment has, with room to spare.
   */
  static final int MAX_READ = 512;

  private static final String HEARTBEAT = "heartbeat";
  private static final String LEAVING = "leaving";

  private final EnginePort engine;
  private final Vertx vertx;
  private final InstantSource clock;
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String host;
  private final List<String> services;
  private final IntSupplier connections;
  private final Instant startedAt;
  private final NodeList list;
  private final Duration period;

  /**
   * Three heartbeats missed: one late heartbeat (a GC pause, a slow engine) does not flap the page.
   */
  private final Duration goneAfter;

  // One tick at a time (the flag), so the position is read and written by one tick after the other,
  // never at once.
  private final AtomicBoolean ticking = new AtomicBoolean();
  private volatile long since = -1;
  private volatile int port;
  private long timer = -1;

  /**
   * @param host the address the node listens on (HERALD_HOST); a wildcard is replaced by the
   *     machine's name
   * @param connections the node's open connections, read at each heartbeat
   * @param period how often the node announces itself (HERALD_NODE_HEARTBEAT); gone nodes stay
   *     listed for ten periods, so that the page shows them go, then the list forgets them
   */
  NodePresence(
      EnginePort engine,
      Vertx vertx,
      InstantSource clock,
      String host,
      List<String> services,
      IntSupplier connections,
      Duration period) {
    this.engine = engine;
    this.vertx = vertx;
    this.clock = clock;
    this.host = reachable(host);
    this.services = List.copyOf(services);
    this.connections = connections;
    this.startedAt = clock.instant();
    this.period = period;
    this.goneAfter = period.multipliedBy(3);
    this.list = new NodeList(id, clock, goneAfter, period.multipliedBy(10));
  }

  /** Announces the node on {@code port} from now on, when the engine is shared. */
  void start(int port) {
    this.port = port;
    if (!engine.shared()) return;
    tick();
    timer = vertx.setPeriodic(period.toMillis(), t -> tick());
  }

  /**
   * Stops announcing and tells the others the node is leaving (waiting a second at most: the engine
   * may be away).
   */
  Future<Void> stop() {
    if (timer < 0) return Future.succeededFuture();
    vertx.cancelTimer(timer);
    timer = -1;
    var leave =
        engine
            .publish(CHANNEL, LEAVING, beacon().toJson())
            .toCompletableFuture()
            .orTimeout(1, TimeUnit.SECONDS);
    return Future.fromCompletionStage(leave).<Void>mapEmpty().otherwiseEmpty();
  }

  /** This node, then the others heard from within ten periods. */
  List<NodeSeen> nodes() {
    return list.nodes(beacon());
  }

  NodeBeacon beacon() {
    long pid = ProcessHandle.current().pid();
    return new NodeBeacon(id, host + ":" + port, services, pid, startedAt, connections.getAsInt());
  }

  private void tick() {
    if (!ticking.compareAndSet(false, true))
      return; // the engine is slow: skip a beat rather than pile them up
    // A failed heartbeat is not logged: the engine being away is /health's to report, every period
    // would repeat it.
    engine
        .publish(CHANNEL, HEARTBEAT, beacon().toJson())
        .handle((e, err) -> null)
        .thenCompose(x -> engine.read(CHANNEL, since, MAX_READ))
        // A call never answered must not stop the heartbeats for good.
        .toCompletableFuture()
        .orTimeout(goneAfter.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (page, err) -> {
              if (page != null) take(page);
              ticking.set(false);
            });
  }

  private void take(Page page) {
    boolean first = since < 0;
    Instant now = clock.instant();
    for (Event e : page.events()) {
      NodeBeacon b = NodeBeacon.parse(e.data());
      if (b == null) continue;
      // The first read brings up to the last minutes of heartbeats: each counts from when the
      // engine kept it.
      // After that, from when it is read: a heartbeat is at most a period old then, and no two
      // clocks are compared.
      Instant at = first && e.time().isBefore(now) ? e.time() : now;
      if (LEAVING.equals(e.type())) list.left(b, at);
      else list.heard(b, at);
    }
    // Past the last event read: the next read picks up from there (more than MAX_READ behind) or
    // from the top.
    since = page.events().isEmpty() ? page.top() : page.events().getLast().seq();
  }

  private static String reachable(String host) {
    if (!host.isEmpty() && !host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]"))
      return host;
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
