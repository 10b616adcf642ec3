package io.herald.service.websocket;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recoverable Socket.IO sessions across a restart or a crash (HERALD_HISTORY_DIR): read back at
 * start, written every second while they change, and once more, finally, at a graceful stop.
 */
final class SessionPersistence {
  /** How often changed sessions are written for recovery after a crash. */
  static final long SNAPSHOT_MILLIS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(SessionPersistence.class);
  private final Vertx vertx;
  private final InstantSource clock;
  private final Sockets sockets;
  private final Duration window;
  private final Path dir;
  private long snapshotTimer = -1;

  /**
   * Held while the session file is written; a snapshot after the stop's write must not replace it.
   */
  private final Object fileLock = new Object();

  private boolean written; // guarded by fileLock: the stop's write is done

  SessionPersistence(Vertx vertx, InstantSource clock, Sockets sockets, Duration window, Path dir) {
    this.vertx = vertx;
    this.clock = clock;
    this.sockets = sockets;
    this.window = window;
    this.dir = dir;
  }

  void start() {
    sockets.trackLive();
    restore();
    // Every second while sessions change, on a worker: after a crash the clients of the last
    // snapshot recover
    // (rooms joined in the second before the crash excepted) and the journal replays what they
    // missed.
    snapshotTimer =
        vertx.setPeriodic(
            SNAPSHOT_MILLIS,
            id -> {
              if (sockets.takeChanged())
                vertx.executeBlocking(
                    () -> {
                      write(sockets.snapshot(System.nanoTime(), window), false);
                      return null;
                    });
            });
  }

  /**
   * Once every socket has been closed (WebSockets by the server's drain, polling sessions by the
   * Engine.IO server's shutdown, whose closes run as tasks on their event loops: waited for here,
   * up to 3 s), the last write.
   */
  void stop() {
    if (snapshotTimer >= 0) vertx.cancelTimer(snapshotTimer);
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (sockets.count() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10); // the closes run on the event loops; nothing to wait on but the count
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    write(sockets.saved(), true);
  }

  /**
   * The sessions the last snapshot or a graceful stop wrote: their clients recover as after a
   * network drop.
   */
  private void restore() {
    try {
      var restored = SessionFile.read(dir, clock.instant(), System.nanoTime());
      restored.forEach(sockets::save);
      if (!restored.isEmpty())
        LOG.info(
            "websocket: {} Socket.IO sessions from before the restart can be recovered",
            restored.size());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "websocket: the saved Socket.IO sessions could not be read ({}); those clients start afresh",
          e.toString());
    }
  }

  /** Writes the session file; {@code last}: the stop's, after which no snapshot replaces it. */
  private void write(Collection<Sockets.Saved> sessions, boolean last) {
    synchronized (fileLock) {
      if (written) return;
      written = last;
      try {
        SessionFile.write(dir, sessions, clock.instant(), System.nanoTime());
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "websocket: the Socket.IO sessions could not be saved ({}); their clients will start afresh",
            e.toString());
      }
    }
  }
}
