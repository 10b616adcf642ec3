package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.engine.SharedState;
import io.herald.protocol.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recoverable Socket.IO sessions kept where every node sees them (the Redis engine's {@link
 * SharedState}), so that a client whose node went away, even with SIGKILL, recovers its socket id,
 * rooms and missed events on another node. A connected socket's session is written when it connects
 * or changes rooms and rewritten every {@value #REFRESH_SECONDS} s, with a time to live of the
 * recovery window plus that: it outlives a killed node by the recovery window at least. A session
 * is taken (read and deleted in one step) by the node the client comes back to.
 */
final class SharedSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SharedSessions.class);
  static final long REFRESH_SECONDS = 30;

  /** No shared engine: sessions stay on the node (and in its session file at a graceful stop). */
  static final SharedSessions NONE =
      new SharedSessions(null, InstantSource.system(), Duration.ZERO);

  private final SharedState state;
  private final InstantSource clock;
  private final Duration window;

  SharedSessions(SharedState state, InstantSource clock, Duration window) {
    this.state = state;
    this.clock = clock;
    this.window = window;
  }

  boolean shared() {
    return state != null;
  }

  private static String key(String pid) {
    return "sio-session:" + pid;
  }

  /** Keeps a session (a connected socket's, or one that just disconnected) for {@code ttl}. */
  void keep(Sockets.Saved s, Duration ttl) {
    if (state == null) return;
    Map<String, Object> m = SessionFile.encode(s, clock.instant(), System.nanoTime());
    if (m == null) return;
    state
        .put(key(s.pid()), Json.write(m), ttl)
        .whenComplete(
            (ok, e) -> {
              if (e != null)
                LOG.debug(
                    "websocket: a session could not be shared ({}); its client recovers on this node only",
                    e.toString());
            });
  }

  /** What a connected socket's session lives for: the recovery window after its last refresh. */
  Duration liveTtl() {
    return window.plusSeconds(REFRESH_SECONDS);
  }

  /**
   * The session, removed from the shared store; null when it has none (or it cannot be reached).
   */
  CompletionStage<Sockets.Saved> take(String pid) {
    if (state == null) return CompletableFuture.completedFuture(null);
    return state
        .take(key(pid))
        .handle(
            (json, e) -> {
              if (e != null || json == null) return null;
              try {
                JsonNode m = Json.MAPPER.readTree(json);
                return SessionFile.decode(m, clock.instant(), System.nanoTime());
              } catch (IOException | RuntimeException bad) {
                return null;
              }
            });
  }

  /**
   * The client left for good (or recovered here from this node's own copy): no other node may
   * recover it.
   */
  void forget(String pid) {
    if (state != null) state.take(key(pid));
  }
}
