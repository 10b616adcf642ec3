package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.history.JournalException;
import io.herald.protocol.json.Json;
import io.herald.transport.http.ApiKey;
import io.herald.transport.http.StaticResource;
import io.herald.transport.server.ServerContext;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * The seed's HTTP API: POST /api/broadcast/*, GET /api/stats, and the example page with its client
 * script.
 */
final class BroadcastApi {
  private final ServerContext ctx;
  private final Broadcaster broadcaster;
  private final Counter published;

  BroadcastApi(ServerContext ctx, Broadcaster broadcaster) {
    this.ctx = ctx;
    this.broadcaster = broadcaster;
    this.published =
        ctx.metrics()
            .counter(
                "herald_websocket_broadcasts",
                "Socket.IO broadcasts accepted, by source",
                "source",
                "http");
  }

  void mount(Router router, WebsocketConfig config, Sockets sockets) {
    // With HERALD_API_KEY set, a request without it gets 401 in this service's error shape.
    var guard = new ApiKey(config.apiKey()).guard(rc -> json(rc, 401, failure(ApiKey.REFUSED)));
    BodyHandler body = BodyHandler.create().setBodyLimit(ctx.config().maxBodyBytes());
    post(
        router,
        "/api/broadcast/room",
        body,
        guard,
        (in, now) ->
            Broadcast.to(
                List.of(Broadcast.required(in, "room")),
                Broadcast.required(in, "event"),
                in.get("data")));
    post(
        router,
        "/api/broadcast/user",
        body,
        guard,
        (in, now) ->
            Broadcast.to(
                List.of(Rooms.user(Broadcast.required(in, "userId"))),
                Broadcast.required(in, "event"),
                in.get("data")));
    post(
        router,
        "/api/broadcast/global",
        body,
        guard,
        (in, now) ->
            Broadcast.to(List.of(Rooms.GLOBAL), Broadcast.required(in, "event"), in.get("data")));
    post(router, "/api/broadcast/survey-response", body, guard, Broadcast::surveyResponse);
    post(router, "/api/broadcast/location", body, guard, Broadcast::location);
    Buffer page = StaticResource.load("websocket/index.html"),
        client = StaticResource.load("websocket/websocket-client.js");
    router
        .get("/websocket/")
        .handler(
            rc -> rc.response().putHeader("content-type", "text/html; charset=utf-8").end(page));
    router
        .get("/websocket-client.js")
        .handler(
            rc ->
                rc.response()
                    .putHeader("content-type", "text/javascript; charset=utf-8")
                    .end(client));
    // The stats name every user room and survey: with a key set, they need it as the broadcasts do.
    router
        .get("/api/stats")
        .handler(guard)
        .handler(
            rc -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("success", true);
              out.put("stats", sockets.stats());
              json(rc, 200, out);
            });
  }

  private void post(
      Router router,
      String path,
      BodyHandler body,
      Handler<RoutingContext> guard,
      BiFunction<JsonNode, Instant, Broadcast> build) {
    router
        .post(path)
        .handler(body)
        .handler(guard)
        .handler(
            rc -> {
              JsonNode in;
              try {
                in =
                    rc.body().buffer() == null
                        ? null
                        : Json.MAPPER.readTree(rc.body().buffer().getBytes());
              } catch (IOException e) {
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
              CompletableFuture<Long> done = broadcaster.broadcast(b).toCompletableFuture();
              if (done.isDone()) {
                // Answered in this task, before the fan-out tasks it queued: HTTP/1.1 takes a
                // connection's next request only
                // after this answer, so a hop behind the fan-out would throttle a pipelining
                // publisher.
                done.whenComplete((offset, err) -> answer(rc, b, offset, err));
              } else {
                Context here = Vertx.currentContext();
                done.whenComplete(
                    (offset, err) -> here.runOnContext(v -> answer(rc, b, offset, err)));
              }
            });
  }

  /**
   * {@code err} set: the broadcast was not accepted (the shared engine is unavailable, or the
   * history journal refused it).
   */
  private void answer(RoutingContext rc, Broadcast b, Long offset, Throwable err) {
    if (err != null) {
      Throwable cause =
          err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      json(
          rc,
          503,
          failure(
              cause instanceof JournalException
                  ? "broadcast not accepted: the history journal could not keep it; retry"
                  : "broadcast not accepted: the engine, which shares broadcasts between instances, "
                      + "is unavailable; retry"));
      return;
    }
    published.increment();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("message", "Broadcast sent");
    out.put("event", b.route().name());
    out.put("rooms", b.route().rooms());
    out.put("offset", String.valueOf(offset)); // the engine's: the same on every node
    json(rc, 200, out);
  }

  /** The body of a refused request: {@code {"success":false,"error":...}}, in that order. */
  private static Map<String, Object> failure(String error) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", false);
    out.put("error", error);
    return out;
  }

  private static void json(RoutingContext rc, int status, Object body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(Json.write(body));
  }
}
