package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.testkit.EngineServer;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three telemetry nodes, each its own process, sharing an engine server of the test's own: long
 * polls on every node get every event published on any node once and in order; a poller whose node
 * is killed goes on from another with its cursor; a cursor from before the engine lost everything
 * is told {@code missed: true}. Run on Redis ({@link TelemetryClusterIT}) and NATS JetStream
 * ({@link TelemetryClusterNatsIT}).
 */
abstract class TelemetryClusterContract {
  private final EngineServer engine = server();
  private final List<HeraldNode> nodes = new ArrayList<>();

  /** The engine's server, not started. */
  abstract EngineServer server();

  @BeforeEach
  void start() throws Exception {
    engine.start();
    Map<String, String> env = new HashMap<>(engine.env());
    env.putAll(Map.of("JWT_SECRET", Tokens.SECRET, "LONG_POLL_TIMEOUT_MS", "2000"));
    nodes.addAll(HeraldNode.startAll(3, "telemetry", env));
  }

  @AfterEach
  void stop() throws Exception {
    nodes.forEach(HeraldNode::close);
    engine.close();
  }

  static String publish(HeraldNode node, int n) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> r =
                  Http.post(
                      node.port,
                      "/v1/internal/events/publish",
                      "{\"eventType\":\"T\",\"action\":\"A\",\"entityId\":\"e"
                          + n
                          + "\",\"userId\":\"alice\"}");
              return r.statusCode() == 202
                  ? Json.MAPPER.readTree(r.body()).get("eventId").asText()
                  : null;
            },
            id -> id != null);
  }

  /** One long poll of alice's stream on {@code node} after {@code cursor}. */
  static JsonNode poll(HeraldNode node, String cursor) throws Exception {
    String q =
        "/v1/polling/user/events?longPoll=true&limit=1000"
            + (cursor == null ? "" : "&lastEventId=" + cursor);
    HttpResponse<String> r = Http.get(node.port, q, Tokens.bearer(Tokens.user("alice")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  /** A client long-polling one node, then (when told) another, collecting entity ids in order. */
  static final class Poller {
    final List<String> seen = new ArrayList<>();
    volatile HeraldNode node;

    /**
     * Null: from the oldest kept event (each test starts with an empty engine server), so no event
     * can precede the first poll.
     */
    volatile String cursor;

    volatile boolean missed;

    /**
     * What stopped the poller other than its node going away: an answer other than 200, or one it
     * could not read.
     */
    volatile Throwable failure;

    Poller(HeraldNode node) {
      this.node = node;
    }

    Thread run(int until) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      return Thread.ofVirtual()
          .start(
              () -> {
                while (seen.size() < until && System.nanoTime() < deadline) {
                  try {
                    JsonNode page = poll(node, cursor);
                    missed |= page.get("missed").asBoolean();
                    for (JsonNode e : page.get("events")) seen.add(e.get("entityId").asText());
                    cursor = page.get("lastEventId").asText();
                  } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof IOException)) {
                      failure = e;
                      return;
                    }
                    // The node went away mid-poll (refused or reset): the client retries on the
                    // node it is pointed at.
                    try {
                      Thread.sleep(50); // a client's pause before it tries again
                    } catch (InterruptedException ie) {
                      return;
                    }
                  } catch (
                      Throwable
                          e) { // the status assertion, a page without events: the test must see it
                    failure = e;
                    return;
                  }
                }
              });
    }

    /** Fails with what stopped the poller, if anything did. */
    void assertNoFailure() {
      if (failure != null) throw new AssertionError("the poller stopped: " + failure, failure);
    }
  }

  static List<String> expected(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add("e" + i);
    return out;
  }

  @Test
  void longPollsOnEveryNodeGetEveryEventOnceInOrderWhereverItWasPublished() throws Exception {
    List<Poller> pollers = nodes.stream().map(Poller::new).toList();
    List<Thread> threads = pollers.stream().map(p -> p.run(60)).toList();
    for (int i = 0; i < 60; i++) publish(nodes.get(i % 3), i);
    for (Thread t : threads) t.join(Duration.ofSeconds(30));
    for (Poller p : pollers) {
      p.assertNoFailure();
      assertThat(p.seen).isEqualTo(expected(60));
      assertThat(p.missed).isFalse();
    }
  }

  @Test
  void aPollerWhoseNodeIsKilledGoesOnFromAnotherWithItsCursor() throws Exception {
    Poller p = new Poller(nodes.get(0));
    Thread t = p.run(200);
    AtomicInteger published = new AtomicInteger();
    Thread publisher =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    publish(nodes.get(1 + i % 2), i);
                    published.incrementAndGet();
                  }
                });
    await().atMost(Duration.ofSeconds(20)).until(() -> published.get() >= 50);
    nodes.get(0).kill();
    p.node = nodes.get(1); // the client's balancer sends its next poll elsewhere
    publisher.join(Duration.ofSeconds(60));
    t.join(Duration.ofSeconds(30));
    p.assertNoFailure();
    assertThat(p.seen)
        .as("every event once, in order, across the two nodes")
        .isEqualTo(expected(200));
    assertThat(p.missed).isFalse();
  }

  @Test
  void aCursorFromBeforeTheEngineLostEverythingIsToldMissed() throws Exception {
    String cursor = null;
    for (int i = 0; i < 5; i++) cursor = publish(nodes.get(i % 3), i);
    engine.stop();
    engine.start();
    publish(nodes.get(1), 5);
    // Node 2 learns of the loss when its link to the engine comes back: until then a poll may time
    // out with nothing (no event
    // given, so no gap either), or say "missed" before the new event reached it; the client polls
    // again from the
    // same cursor. The answer that brings the new event says it missed events.
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 15 && got.isEmpty(); i++) {
      JsonNode page = poll(nodes.get(2), cursor);
      page.get("events").forEach(e -> got.add(e.get("entityId").asText()));
      if (!got.isEmpty())
        assertThat(page.get("missed").asBoolean()).as("not a silent gap").isTrue();
    }
    assertThat(got).containsExactly("e5");
  }
}
