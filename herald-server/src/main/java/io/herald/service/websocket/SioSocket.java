package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.json.Json;
import io.herald.protocol.sio.SioEncoder;
import io.herald.protocol.sio.SioPacket;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.eio.EioServer;
import io.herald.transport.eio.EioTransport;
import io.herald.transport.http.ApiKey;
import io.herald.transport.sio.SioConnection;
import io.herald.transport.sio.SioHandler;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Socket.IO client in the main namespace: its user and its rooms. Runs on its transport's event
 * loop, so its state needs no lock. Made by {@link #join}, which answers the client's CONNECT.
 */
final class SioSocket implements SioHandler {
  /** Rooms one socket may be in at once: each costs a set entry and a /api/stats row. */
  static final int MAX_ROOMS = 100;

  /**
   * Replaced once when a polling session upgrades to WebSocket; read by the connect timer's thread.
   */
  private volatile EioTransport transport;

  private final SioContext ctx;
  private final String address;
  private final Set<String> rooms = new LinkedHashSet<>();
  private final SioConnection connection;
  private String id;
  private String pid;
  private volatile SioUser user = SioUser.ANONYMOUS;

  /** This loop's room index, once connected; the socket is in it under each of its rooms. */
  private RoomDispatch dispatch;

  /**
   * The channel position the socket's events start after: where an upgraded transport resumes at
   * the least.
   */
  private long subscribedAfter;

  private boolean admitted;
  private boolean connected;

  private SioSocket(SioConnection connection, SioContext ctx) {
    this.connection = connection;
    this.transport = connection.transport();
    this.ctx = ctx;
    this.address = connection.address();
  }

  /**
   * The main namespace's CONNECT: the joined socket, or null when refused (the client got a
   * CONNECT_ERROR).
   */
  static SioSocket join(SioConnection connection, SioContext ctx, JsonNode auth) {
    SioSocket s = new SioSocket(connection, ctx);
    return s.connect(auth) ? s : null;
  }

  SioUser user() {
    return user;
  }

  private boolean connect(JsonNode auth) {
    SioUser who = SioUser.ANONYMOUS;
    String token = Broadcast.text(auth.get("token"));
    if ((token == null || token.isEmpty()) && ctx.config().requireToken()) {
      ctx.metrics().disconnect("sio_auth_refused");
      transport.send(
          SioEncoder.connectError(
              "/", "Authentication error: a token is required (auth: { token })"));
      return false;
    }
    if (token != null && !token.isEmpty()) {
      try {
        String bearer = ApiKey.bearer(token);
        who = authenticate(bearer != null ? bearer : token);
      } catch (JwtVerifier.Rejected e) {
        ctx.metrics().disconnect("sio_auth_refused");
        transport.send(SioEncoder.connectError("/", "Authentication error: " + e.getMessage()));
        return false;
      }
    }
    if (!ctx.sockets().admit(address)) {
      transport.send(SioEncoder.connectError("/", "Too many connections from this IP"));
      return false;
    }
    admitted = true;
    // The loop's dispatcher exists (and receives live events) before history is read below: nothing
    // falls between.
    RoomDispatch d = ctx.dispatch(transport.loop());
    Resume saved = ctx.config().recovery() ? saved(auth, who) : null;
    Replay missed = null;
    if (saved != null) {
      // Rooms are checked again: the token may carry fewer rights than the one the rooms were
      // joined with.
      for (String room : saved.session().rooms())
        if (Rooms.refusal(room, who) == null) rooms.add(room);
      missed = missedSince(saved.offset());
      if (missed == null) {
        rooms.clear();
        saved = null;
      }
    }
    if (saved != null) {
      id = saved.session().socketId();
      pid = saved.session().pid(); // the same pid tells socket.io-client it was recovered
    } else {
      id = EioServer.newId();
      rooms.add(Rooms.GLOBAL);
      if (!who.anonymous()) rooms.add(Rooms.user(who.userId()));
      if (ctx.config().recovery()) pid = EioServer.newId();
    }
    user = who;
    rooms.forEach(ctx.sockets()::joined);
    connected = true;
    ctx.sockets().connected(this);
    subscribedAfter =
        missed != null ? saved.offset() : ctx.engine().lastSeq(WebsocketService.CHANNEL);
    dispatch = d;
    // Events up to here may still be queued on this loop (a WebSocket's CONNECT can overtake older
    // fan-out tasks):
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
    hello.put(
        "offset",
        String.valueOf(
            subscribedAfter)); // Herald's browser client resumes from here even before a broadcast
    emit("connected", Json.write(hello));
    if (missed != null) replay(missed);
    share();
    return true;
  }

  /**
   * A recoverable session as it stands now, for another node to recover after this one went away.
   */
  private void share() {
    if (pid == null || !connected) return;
    // For the crash snapshot (HERALD_HISTORY_DIR); its expiry is set when the snapshot is written.
    if (ctx.sockets().tracksLive())
      ctx.sockets().live(new Sockets.Saved(pid, id, user, Set.copyOf(rooms), 0));
    if (ctx.sessions().shared()) {
      ctx.sessions()
          .keep(
              new Sockets.Saved(
                  pid,
                  id,
                  user,
                  Set.copyOf(rooms),
                  System.nanoTime() + ctx.sessions().liveTtl().toNanos()),
              ctx.sessions().liveTtl());
    }
  }

  /**
   * Rewrites the shared session before it expires (the service's timer, every 30 s). Any thread.
   */
  void refreshShared() {
    transport.loop().execute(this::share);
  }

  /**
   * What the socket missed, in order, for its rooms; live events the dispatcher hands over later
   * skip these by sequence.
   */
  private void replay(Replay missed) {
    var sub = transport.subscriber();
    for (Frame f : missed.frames()) if (f.encoded(Route.ROUTE).reaches(rooms)) sub.deliver(f);
    sub.flush();
  }

  /**
   * The saved session of {@code auth.pid}, with the client's offset, when the offset is well-formed
   * and the user the same.
   */
  private Resume saved(JsonNode auth, SioUser who) {
    String p = Broadcast.text(auth.get("pid")), offset = Broadcast.text(auth.get("offset"));
    if (p == null || offset == null || !offset.matches("\\d{1,18}")) return null;
    Sockets.Saved s = ctx.sockets().recover(p);
    if (s != null)
      ctx.sessions()
          .forget(
              p); // recovered from this node's copy (or the one prepare() fetched): nowhere else
    return s == null || !Objects.equals(s.user().userId(), who.userId())
        ? null
        : new Resume(s, Long.parseLong(offset));
  }

  /** A saved session a client asks to resume, and the last event it has. */
  private record Resume(Sockets.Saved session, long offset) {}

  private SioUser authenticate(String token) throws JwtVerifier.Rejected {
    if (ctx.jwt() == null)
      throw new JwtVerifier.Rejected(
          "tokens are not accepted: JWT_SECRET is not set on the server");
    SioUser u = SioUser.of(ctx.jwt().verify(token));
    if (u == null) throw new JwtVerifier.Rejected("token has neither userId nor sub");
    return u;
  }

  /**
   * RATE_LIMIT_MAX_MESSAGES per RATE_LIMIT_WINDOW (the connection counts every packet): told once
   * per window.
   */
  @Override
  public void rateLimited(long retryAfterMillis) {
    ctx.metrics().dropped("sio_rate_limited");
    emit(
        "rate_limit_exceeded",
        "{\"message\":\"Too many messages\",\"retryAfter\":" + retryAfterMillis + "}");
  }

  @Override
  public void event(SioPacket.Event e) {
    JsonNode arg = e.args().isEmpty() ? null : e.args().get(0);
    switch (e.name()) {
      case "join_room" -> join(room(arg), e.ackId());
      case "leave_room" -> leave(room(arg), e.ackId());
      case "ping" -> reply(e.ackId(), "pong", "{\"timestamp\":\"" + now() + "\"}");
      case "get_rooms" ->
          reply(e.ackId(), "rooms", Json.write(Map.of("rooms", List.copyOf(rooms))));
      default ->
          fail(
              e.ackId(),
              "Unknown event: "
                  + (e.name().length() > 64 ? e.name().substring(0, 64) + "..." : e.name()));
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
      share();
    }
    reply(
        ackId,
        "room_joined",
        "{\"room\":" + Json.quote(room) + ",\"timestamp\":\"" + now() + "\"}");
  }

  private void leave(String room, long ackId) {
    if (room == null) {
      fail(ackId, "room is required: emit leave_room with { room: 'survey:123' }");
      return;
    }
    if (rooms.remove(room)) {
      ctx.sockets().left(room);
      dispatch.leave(room, transport.subscriber());
      share();
    }
    reply(
        ackId, "room_left", "{\"room\":" + Json.quote(room) + ",\"timestamp\":\"" + now() + "\"}");
  }

  /**
   * The seed's reply event; a client that passed an ack callback gets the same object there too.
   */
  private void reply(long ackId, String event, String json) {
    emit(event, json);
    if (ackId >= 0) transport.send(SioEncoder.ack(ackId, json));
  }

  private void fail(long ackId, String message) {
    String json = "{\"message\":" + Json.quote(message) + "}";
    emit("error", json);
    if (ackId >= 0)
      transport.send(SioEncoder.ack(ackId, "{\"error\":" + Json.quote(message) + "}"));
  }

  private void emit(String event, String json) {
    transport.send(SioEncoder.event(event, json));
  }

  private String now() {
    return ctx.clock().instant().toString();
  }

  /**
   * Polling upgraded to WebSocket: the socket moves from the old loop's room index to the new
   * one's, and gets from history what came after the last event the old transport was given.
   */
  @Override
  public void upgraded(EioTransport next, long lastSeq) {
    EioTransport old = transport;
    transport = next;
    if (!connected) return;
    leaveIndex(old);
    dispatch = ctx.dispatch(next.loop()); // before the history read, as in connect
    subscribedAfter = Math.max(subscribedAfter, lastSeq);
    Replay missed = missedSince(subscribedAfter);
    if (missed
        == null) { // history moved on during the switch: drop, so the client's own recovery takes
      // over
      next.close(CloseReason.UPGRADE_GAP);
      return;
    }
    attach(next);
    replay(missed);
  }

  /**
   * Joins {@code t}'s subscriber to the current room index in every room, live events after {@link
   * #subscribedAfter}.
   */
  private void attach(EioTransport t) {
    t.skipThrough(subscribedAfter);
    for (String room : rooms) dispatch.join(room, t.subscriber());
  }

  /**
   * The channel's events after {@code since}, or null when history no longer has them all or they
   * are more than half the outbox: replaying that many would overflow it and drop the client again,
   * in a loop.
   */
  private Replay missedSince(long since) {
    return ctx.engine()
        .history(WebsocketService.CHANNEL, since, ctx.config().eio().outbox().maxMessages() / 2);
  }

  /**
   * Takes {@code from}'s subscriber out of the current room index, on the index's own loop: after
   * an upgrade, or when a failed upgrade closes the socket on the new loop, the index is another
   * loop's.
   */
  private void leaveIndex(EioTransport from) {
    RoomDispatch d = dispatch;
    List<String> joined = List.copyOf(rooms);
    var sub = from.subscriber();
    d.loop.execute(() -> d.leaveAll(joined, sub));
  }

  /**
   * On the polling loop during the upgrade: that loop's index has handed out everything up to its
   * position.
   */
  @Override
  public long position(long lastDelivered) {
    return dispatch == null ? lastDelivered : Math.max(lastDelivered, dispatch.position());
  }

  /**
   * The client sent DISCONNECT ("41"): it left on purpose, so there is nothing to recover; the
   * connection stays.
   */
  @Override
  public void left() {
    end(false);
  }

  @Override
  public void closed() {
    end(true);
  }

  private void end(boolean recoverable) {
    if (admitted) ctx.sockets().release(address);
    admitted = false;
    if (!connected) return;
    connected = false;
    leaveIndex(transport);
    if (pid != null) ctx.sockets().notLive(pid);
    if (pid != null && recoverable) {
      Sockets.Saved state =
          new Sockets.Saved(
              pid,
              id,
              user,
              Set.copyOf(rooms),
              System.nanoTime() + ctx.config().recoveryWindow().toNanos());
      ctx.sockets().save(state);
      ctx.sessions().keep(state, ctx.config().recoveryWindow());
    } else if (pid != null) {
      ctx.sessions().forget(pid); // left on purpose: recoverable nowhere
    }
    rooms.forEach(ctx.sockets()::left);
    ctx.sockets()
        .disconnected(this); // last: a stop that waits for no socket left finds every session saved
  }
}
