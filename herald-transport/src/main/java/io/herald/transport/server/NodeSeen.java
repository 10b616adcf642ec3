package io.herald.transport.server;

import java.time.Instant;

/**
 * A node of the deployment as this node last heard of it.
 *
 * @param lastSeen when this node last heard its heartbeat (now, for this node itself)
 * @param self whether it is this node
 */
public record NodeSeen(NodeBeacon beacon, Instant lastSeen, boolean self, State state) {
  /** Whether the node is heard from. */
  public enum State {
    /** Its heartbeats arrive. */
    UP,
    /** It missed its last heartbeats: killed, cut off from the engine, or its machine gone. */
    GONE,
    /** It said it was stopping (a graceful stop, as a rolling upgrade does). */
    LEFT
  }
}
