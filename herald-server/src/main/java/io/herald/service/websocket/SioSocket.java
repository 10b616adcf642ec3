package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.json.Json;
import io.herald.protocol.sio.SioEncoder;
import io.herald.protocol.sio.SioPacket;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.eio.EioListener;
import io.herald.transport.eio.EioTransport;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Socket.IO client in the default namespace: its user, its rooms and its rate limit. Runs on its transport's
 * event loop, so its state needs no lock. Until the client's CONNECT packet it has joined nothing.
 */
final class SioSocket implements EioListener {
  /** A session that has not joined the namespace by HERALD_SIO_CONNECT_TIMEOUT is closed with this. */
  static final CloseReason CONNECT_TIMEOUT = new CloseReason(4002, "connect timeout");
  /** Events were evicted from history while the session moved to a WebSocket: closed, the client recovers from its offset. */
  static final CloseReason UPGRADE_GAP = new CloseReason(4004, "upgrade gap");
  /** Rooms one socket may be in at once: each costs a set entry and a /api/stats row. */
  static final int MAX_ROOMS = 100;
  /** Replaced once when a polling session upgrades to WebSocket; read by the connect timer's thread. */
  private volatile EioTransport transport;
  private final SioContext ctx;
  private final String address;
  private final Set<String> rooms = new LinkedHashSet<>();
  private String id;
  private String pid;
  private volatile SioUser user = SioUser.ANONYMOUS;
  /** This loop's room index, once connected; the socket is in it under each of its rooms. */
  private RoomDispatch dispatch;
  /** The channel position the socket's events start after: where an upgraded transport resumes at the least. */
  private long subscribedAfter;
  private boolean admitted;
  private boolean connected;
  /** The client said goodbye itself ("41"): nothing to recover. */
  private boolean leftOnPurpose;
  private long windowStartNanos = System.nanoTime();
  private int windowCount;
  private long connectTimer;

  SioSocket(EioTransport transport, SioContext ctx) {
    this.transport = transport;
    this.ctx = ctx;
    this.address = transport.remoteHost() == null ? "unknown" : transport.remoteHost();
    // As Socket.IO's connectTimeout: an Engine.IO session that never joins (or was refused) does not linger.
    // The current transport when it fires: the session may have moved from polling to a WebSocket meanwhile.
    connectTimer = ctx.vertx().setTimer(ctx.config().connectTimeout().toMillis(), id -> this.transport.loop().execute(() -> {
      if (!connected) this.transport.close(CONNECT_TIMEOUT);
    }));
  }

  SioUser user() {
    return user;
  }

  @Override
  public void message(String data) {
    if (!allowed()) return;  // every packet counts, malformed ones and refused CONNECTs too
    SioPacket packet;
    try {
      packet = SioPacket.decode(data);
    } catch (ProtocolException e) {
      if (connected) fail(-1, e.getMessage());
      else transport.send(SioEncoder.connectError("/", e.getMessage()));
      return;
    }
    switch (packet) {
      case SioPacket.Connect c -> connect(c);
      case SioPacket.Disconnect d -> {
        if (d.nsp().equals("/")) {
          leftOnPurpose = true;
          transport.close(CloseReason.NORMAL);
        }
      }
      case SioPacket.Event e -> {
        if (!e.nsp().equals("/") || !connected) return;  // Socket.IO ignores packets for namespaces not joined
        event(e);
      }
      case SioPacket.Ack a -> { }  // the server asks for no acks
    }
  }

  private void connect(SioPacket.Connect c) {
    if (!c.nsp().equals("/")) {
      transport.send(SioEncoder.connectError(c.nsp(), "Invalid namespace"));
      return;
    }
    if (connected) return;
    JsonNode auth = c.auth();
    SioUser who = SioUser.ANONYMOUS;
    String token = auth == null ? null : Broadcast.text(auth.get("token"));
    if (token != null && !token.isEmpty()) {
      try {
        String bearer = io.herald.transport.http.ApiKey.bearer(token);
        who = authenticate(bearer != null ? bearer : token);
      } catch (JwtVerifier.Rejected e) {
        ctx.metrics().disconnect("sio_auth_refused");
        transport.send(SioEncoder.connectError("/", "Authentication error: " + e.getMessage()));
        return;
      }
    }
    if (!admitted) {
      if (!ctx.sockets().admit(address)) {
        transport.send(SioEncoder.connectError("/", "Too many connections from this IP"));
        return;
      }
      admitted = true;
    }
    // The loop's dispatcher exists (and receives live events) before history is read below: nothing falls between.
    RoomDispatch d = ctx.dispatch(transport.loop());
    Resume saved = ctx.config().recovery() && auth != null ? saved(auth, who) : null;
    Replay missed = null;
    if (saved != null) {
      // Rooms are checked again: the token may carry fewer rights than the one the rooms were joined with.
      for (String room : saved.session().rooms()) if (Rooms.refusal(room, who) == null) rooms.add(room);
      missed = missedSince(saved.offset());
      if (missed == null) {
        rooms.clear();
        saved = null;
      }
    }
    if (saved != null) {
      id = saved.session().socketId();
      pid = saved.session().pid();  // the same pid tells socket.io-client it was recovered
    } else {
      id = io.herald.transport.eio.EioServer.newId();
      rooms.add(Rooms.GLOBAL);
      if (!who.anonymous()) rooms.add(Rooms.user(who.userId()));
      if (ctx.config().recovery()) pid = io.herald.transport.eio.EioServer.newId();
    }
    user = who;
    rooms.forEach(ctx.sockets()::joined);
    connected = true;
    ctx.vertx().cancelTimer(connectTimer);
    ctx.sockets().connected(this);
    subscribedAfter = missed != null ? saved.offset() : ctx.hub().lastSeq(WebsocketService.CHANNEL);
    dispatch = d;
    // Events up to here may still be queued on this loop (a WebSocket's CONNECT can overtake older fan-out tasks):
    // the client has them (recovery) or they predate it; the replay below starts after this point.
    attach(transport);
    transport.send(SioEncoder.connected(id, pid));
    Map<String, Object> hello = new LinkedHashMap<>();
    hello.put("socketId", id);
    hello.put("userId", who.anonymous() ? "anonymous" : who.userId());
    hello.put("isAnonymous", who.anonymous());
    hello.put("rooms", List.copyOf(rooms));
    hello.put("serverTime", now());
    hello.put("recovered", saved != null);
    hello.put("offset", String.valueOf(subscribedAfter));  // Herald's browser client resumes from here even before a broadcast
    emit("connected", Json.write(hello));
    if (missed != null) replay(missed);
  }

  /** What the socket missed, in order, for its rooms; live events the dispatcher hands over later skip these by sequence. */
  private void replay(Replay missed) {
    var sub = transport.subscriber();
    for (Frame f : missed.frames()) if (f.encoded(Route.ROUTE).reaches(rooms)) sub.deliver(f);
    sub.flush();
  }

  /** The saved session of {@code auth.pid}, with the client's offset, when the offset is well-formed and the user the same. */
  private Resume saved(JsonNode auth, SioUser who) {
    String p = Broadcast.text(auth.get("pid")), offset = Broadcast.text(auth.get("offset"));
    if (p == null || offset == null || !offset.matches("\\d{1,18}")) return null;
    Sockets.Saved s = ctx.sockets().recover(p);
    return s == null || !java.util.Objects.equals(s.user().userId(), who.userId()) ? null : new Resume(s, Long.parseLong(offset));
  }

  /** A saved session a client asks to resume, and the last event it has. */
  private record Resume(Sockets.Saved session, long offset) {}

  private SioUser authenticate(String token) throws JwtVerifier.Rejected {
    if (ctx.jwt() == null) throw new JwtVerifier.Rejected("tokens are not accepted: JWT_SECRET is not set on the server");
    SioUser u = SioUser.of(ctx.jwt().verify(token));
    if (u == null) throw new JwtVerifier.Rejected("token has neither userId nor sub");
    return u;
  }

  /** RATE_LIMIT_MAX_MESSAGES per RATE_LIMIT_WINDOW, counted per socket in fixed windows. */
  private boolean allowed() {
    long now = System.nanoTime(), window = ctx.config().rateLimitWindow().toNanos();
    if (now - windowStartNanos >= window) {
      windowStartNanos = now;
      windowCount = 0;
    }
    if (++windowCount <= ctx.config().rateLimitMax()) return true;
    ctx.metrics().dropped("sio_rate_limited");
    if (connected && windowCount == ctx.config().rateLimitMax() + 1) {  // once per window, not per dropped event
      long retryAfter = Math.max(0, (window - (now - windowStartNanos)) / 1_000_000);
      emit("rate_limit_exceeded", "{\"message\":\"Too many messages\",\"retryAfter\":" + retryAfter + "}");
    }
    return false;
  }

  private void event(SioPacket.Event e) {
    JsonNode arg = e.args().isEmpty() ? null : e.args().get(0);
    switch (e.name()) {
      case "join_room" -> join(room(arg), e.ackId());
      case "leave_room" -> leave(room(arg), e.ackId());
      case "ping" -> reply(e.ackId(), "pong", "{\"timestamp\":\"" + now() + "\"}");
      case "get_rooms" -> reply(e.ackId(), "rooms", Json.write(Map.of("rooms", List.copyOf(rooms))));
      default -> fail(e.ackId(), "Unknown event: " + (e.name().length() > 64 ? e.name().substring(0, 64) + "..." : e.name()));
    }
  }

  private static String room(JsonNode arg) {
    if (arg == null) return null;
    return arg.isTextual() ? arg.asText() : Broadcast.text(arg.get("room"));
  }

  private void join(String room, long ackId) {
    if (room == null) {
      fail(ackId, "room is required: emit join_room with { room: 'survey:123' }");
      return;
    }
    String refusal = Rooms.refusal(room, user);
    if (refusal != null) {
      fail(ackId, refusal);
      return;
    }
    if (!rooms.contains(room) && rooms.size() >= MAX_ROOMS) {
      fail(ackId, "Too many rooms: leave one first (at most " + MAX_ROOMS + ")");
      return;
    }
    if (rooms.add(room)) {
      ctx.sockets().joined(room);
      dispatch.join(room, transport.subscriber());
    }
    reply(ackId, "room_joined", "{\"room\":" + Json.quote(room) + ",\"timestamp\":\"" + now() + "\"}");
  }

  private void leave(String room, long ackId) {
    if (room == null) {
      fail(ackId, "room is required: emit leave_room with { room: 'survey:123' }");
      return;
    }
    if (rooms.remove(room)) {
      ctx.sockets().left(room);
      dispatch.leave(room, transport.subscriber());
    }
    reply(ackId, "room_left", "{\"room\":" + Json.quote(room) + ",\"timestamp\":\"" + now() + "\"}");
  }

  /** The seed's reply event; a client that passed an ack callback gets the same object there too. */
  private void reply(long ackId, String event, String json) {
    emit(event, json);
    if (ackId >= 0) transport.send(SioEncoder.ack(ackId, json));
  }

  private void fail(long ackId, String message) {
    String json = "{\"message\":" + Json.quote(message) + "}";
    emit("error", json);
    if (ackId >= 0) transport.send(SioEncoder.ack(ackId, "{\"error\":" + Json.quote(message) + "}"));
  }

  private void emit(String event, String json) {
    transport.send(SioEncoder.event(event, json));
  }

  private String now() {
    return ctx.clock().instant().toString();
  }

  /**
   * Polling upgraded to WebSocket: the socket moves from the old loop's room index to the new one's, and gets from
   * history what came after the last event the old transport was given.
   */
  @Override
  public void upgraded(EioTransport next, long lastSeq) {
    EioTransport old = transport;
    transport = next;
    if (!connected) return;
    leaveIndex(old);
    dispatch = ctx.dispatch(next.loop());  // before the history read, as in connect
    subscribedAfter = Math.max(subscribedAfter, lastSeq);
    Replay missed = missedSince(subscribedAfter);
    if (missed == null) {  // history moved on during the switch: drop, so the client's own recovery takes over
      next.close(UPGRADE_GAP);
      return;
    }
    attach(next);
    replay(missed);
  }

  /** Joins {@code t}'s subscriber to the current room index in every room, live events after {@link #subscribedAfter}. */
  private void attach(EioTransport t) {
    t.skipThrough(subscribedAfter);
    for (String room : rooms) dispatch.join(room, t.subscriber());
  }

  /**
   * The channel's events after {@code since}, or null when history no longer has them all or they are more than half
   * the outbox: replaying that many would overflow it and drop the client again, in a loop.
   */
  private Replay missedSince(long since) {
    return ctx.hub().history(WebsocketService.CHANNEL, since, ctx.config().eio().outbox().maxMessages() / 2);
  }

  /**
   * Takes {@code from}'s subscriber out of the current room index, on the index's own loop: after an upgrade, or when
   * a failed upgrade closes the socket on the new loop, the index is another loop's.
   */
  private void leaveIndex(EioTransport from) {
    RoomDispatch d = dispatch;
    List<String> joined = List.copyOf(rooms);
    var sub = from.subscriber();
    d.loop.execute(() -> d.leaveAll(joined, sub));
  }

  /** On the polling loop during the upgrade: that loop's index has handed out everything up to its position. */
  @Override
  public long position(long lastDelivered) {
    return dispatch == null ? lastDelivered : Math.max(lastDelivered, dispatch.position());
  }

  @Override
  public void closed() {
    ctx.vertx().cancelTimer(connectTimer);
    if (admitted) ctx.sockets().release(address);
    if (!connected) return;
    connected = false;
    leaveIndex(transport);
    if (pid != null && !leftOnPurpose) {
      ctx.sockets().save(new Sockets.Saved(pid, id, user, Set.copyOf(rooms),
          System.nanoTime() + ctx.config().recoveryWindow().toNanos()));
    }
    rooms.forEach(ctx.sockets()::left);
    ctx.sockets().disconnected(this);  // last: a stop that waits for no socket left finds every session saved
  }

}
