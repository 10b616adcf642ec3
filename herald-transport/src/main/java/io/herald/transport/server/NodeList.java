package io.herald.transport.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The other nodes this node has heard from, aged by the clock: up while their heartbeats arrive,
 * gone once they miss {@code goneAfter}'s worth, and dropped after {@code dropAfter}, so the list
 * does not grow with every node that ever ran. A node that is gone stays listed a while so that an
 * operator sees it go rather than the row vanishing. Thread-safe: the engine's threads add, the
 * page's event loop reads; both hold the monitor briefly.
 */
final class NodeList {
  private record Heard(NodeBeacon beacon, Instant at, boolean left) {}

  private final String selfId;
  private final InstantSource clock;
  private final Duration goneAfter;
  private final Duration dropAfter;
  private final Map<String, Heard> nodes = new HashMap<>();

  NodeList(String selfId, InstantSource clock, Duration goneAfter, Duration dropAfter) {
    if (dropAfter.compareTo(goneAfter) < 0) {
      throw new IllegalArgumentException("dropAfter must not be shorter than goneAfter");
    }
    this.selfId = selfId;
    this.clock = clock;
    this.goneAfter = goneAfter;
    this.dropAfter = dropAfter;
  }

  /**
   * A heartbeat of {@code beacon}'s node, heard at {@code at}; an older one than what is known
   * changes nothing.
   */
  synchronized void heard(NodeBeacon beacon, Instant at) {
    if (beacon.id().equals(selfId))
      return; // this node is listed from what it knows of itself, not from the engine
    Heard known = nodes.get(beacon.id());
    if (known == null || !at.isBefore(known.at()))
      nodes.put(beacon.id(), new Heard(beacon, at, false));
  }

  /** The node said it is stopping: listed as left until dropped, unless it is heard again. */
  synchronized void left(NodeBeacon beacon, Instant at) {
    if (beacon.id().equals(selfId)) return;
    Heard known = nodes.get(beacon.id());
    if (known == null || !at.isBefore(known.at()))
      nodes.put(beacon.id(), new Heard(beacon, at, true));
  }

  /**
   * This node first, then the others by address; drops those not heard of for {@code dropAfter}.
   */
  synchronized List<NodeSeen> nodes(NodeBeacon self) {
    Instant now = clock.instant();
    nodes.values().removeIf(h -> Duration.between(h.at(), now).compareTo(dropAfter) > 0);
    List<NodeSeen> out = new ArrayList<>(nodes.size() + 1);
    out.add(new NodeSeen(self, now, true, NodeSeen.State.UP));
    List<NodeSeen> others = new ArrayList<>(nodes.size());
    for (Heard h : nodes.values()) {
      NodeSeen.State state =
          h.left()
              ? NodeSeen.State.LEFT
              : Duration.between(h.at(), now).compareTo(goneAfter) > 0
                  ? NodeSeen.State.GONE
                  : NodeSeen.State.UP;
      others.add(new NodeSeen(h.beacon(), h.at(), false, state));
    }
    others.sort(
        Comparator.comparing((NodeSeen n) -> n.beacon().address())
            .thenComparing(n -> n.beacon().id()));
    out.addAll(others);
    return out;
  }
}
