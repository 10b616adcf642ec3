package io.herald.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Drives npm socket.io-client clients through e2e/sio-driver.mjs and collects what each one saw.
 */
public final class SioDriver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NodeScript node;
  private final BlockingQueue<JsonNode> records = new LinkedBlockingQueue<>();

  /** Everything seen so far, in order, for assertions on absence and for failure messages. */
  public final List<JsonNode> seen = new ArrayList<>();

  private final int port;

  public SioDriver(int port) throws IOException {
    this.port = port;
    node = new NodeScript("sio-driver.mjs");
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                for (String l; (l = node.readLine()) != null; ) {
                  try {
                    records.add(JSON.readTree(l));
                  } catch (IOException e) {
                    records.add(JSON.createObjectNode().put("ev", "node-output").put("text", l));
                  }
                }
              } catch (IOException ignored) {
                // process ended
              }
            });
    await("", r -> r.path("ev").asText().equals("ready"));
  }

  public void connect(
      String name, List<String> transports, Map<String, Object> auth, boolean reconnection)
      throws IOException {
    connect(name, transports, auth, reconnection, Map.of());
  }

  /**
   * @param headers sent with every HTTP request of the client (Node's socket.io-client sends them
   *     on WebSocket too)
   */
  public void connect(
      String name,
      List<String> transports,
      Map<String, Object> auth,
      boolean reconnection,
      Map<String, String> headers)
      throws IOException {
    send(
        Map.of(
            "op",
            "connect",
            "name",
            name,
            "url",
            "http://127.0.0.1:" + port,
            "transports",
            transports,
            "auth",
            auth,
            "reconnection",
            reconnection,
            "headers",
            headers));
  }

  /**
   * Connects to namespace {@code nsp} (for example {@code /custom}) without auth or reconnection.
   */
  public void connectTo(String name, String nsp, List<String> transports) throws IOException {
    send(
        Map.of(
            "op",
            "connect",
            "name",
            name,
            "url",
            "http://127.0.0.1:" + port + nsp,
            "transports",
            transports,
            "auth",
            Map.of(),
            "reconnection",
            false,
            "headers",
            Map.of()));
  }

  /** Connects and waits for the {@code connected} event; returns it. */
  public JsonNode connected(String name, List<String> transports, Map<String, Object> auth)
      throws IOException {
    connect(name, transports, auth, false);
    return event(name, "connected");
  }

  public void emit(String name, String event, Object data, boolean ack) throws IOException {
    Map<String, Object> c =
        new HashMap<>(Map.of("op", "emit", "name", name, "event", event, "ack", ack));
    if (data != null) c.put("data", data);
    send(c);
  }

  public void op(String op, String name) throws IOException {
    send(Map.of("op", op, "name", name));
  }

  private void send(Object command) throws IOException {
    try {
      node.writeLine(JSON.writeValueAsString(command));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The first argument of the next {@code event} that {@code name} receives. */
  public JsonNode event(String name, String event) {
    return await(name, r -> r.path("ev").asText().equals(event)).path("args").path(0);
  }

  /**
   * The next record of {@code name} that matches, waiting up to 10 s; records skipped on the way
   * stay in {@link #seen}.
   */
  public JsonNode await(String name, Predicate<JsonNode> matches) {
    return await(name, matches, 10);
  }

  public JsonNode await(String name, Predicate<JsonNode> matches, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int i = 0; ; ) {
      for (; i < seen.size(); i++) {
        JsonNode r = seen.get(i);
        if (r.path("name").asText().equals(name) && matches.test(r) && !r.has("_taken")) {
          ((ObjectNode) r).put("_taken", true);
          return r;
        }
      }
      long left = deadline - System.nanoTime();
      JsonNode next;
      try {
        next = left <= 0 ? null : records.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      if (next == null)
        throw new AssertionError(
            "no matching record for '" + name + "' within " + seconds + " s; saw: " + seen);
      seen.add(next);
    }
  }

  /** The position in {@link #seen} of the first record of {@code name} matching, -1 if none. */
  public int indexOf(String name, Predicate<JsonNode> matches) {
    for (int i = 0; i < seen.size(); i++)
      if (seen.get(i).path("name").asText().equals(name) && matches.test(seen.get(i))) return i;
    return -1;
  }

  /**
   * What {@code name} received as {@code event} so far (after a quiet pause of {@code settleMs}).
   */
  public List<JsonNode> received(String name, String event, long settleMs)
      throws InterruptedException {
    Thread.sleep(
        settleMs); // a quiet period: what should not come (a duplicate, a stray event) would arrive
    // within it
    for (JsonNode r; (r = records.poll()) != null; ) seen.add(r);
    return seen.stream()
        .filter(r -> r.path("name").asText().equals(name) && r.path("ev").asText().equals(event))
        .toList();
  }

  @Override
  public void close() {
    try {
      send(Map.of("op", "exit"));
    } catch (IOException ignored) {
      // already gone
    }
    node.close();
  }
}
