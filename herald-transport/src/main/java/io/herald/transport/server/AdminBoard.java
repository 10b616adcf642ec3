package io.herald.transport.server;

import io.herald.core.engine.NodeFeed;
import io.herald.core.hub.ChannelStats;
import io.herald.core.hub.Hub;
import io.herald.core.hub.HubStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What services tell the operator's page (herald-transport's {@code admin} package) about
 * themselves, registered once at mount and read at each snapshot: their open connections by
 * transport, and their groups of clients (Socket.IO rooms, telemetry streams) with member counts.
 * The suppliers must answer fast from counts the service keeps anyway, and never block.
 * Thread-safe.
 */
public final class AdminBoard {
  private record Connections(String service, String transport, IntSupplier count) {}

  private record Groups(String service, String kind, Supplier<Map<String, Integer>> members) {}

  /** A service's open connections on one transport, as the page lists them. */
  public record ConnectionCount(String service, String transport, int count) {}

  /** One group of clients (a room, a stream) and how many are in it now. */
  public record GroupCount(String service, String kind, String name, int members) {}

  /**
   * The engine as the page shows it: its name, whether it is shared, and why it cannot serve (null
   * when it can).
   */
  public record EngineState(String name, boolean shared, String problem) {}

  private final List<Connections> connections = new CopyOnWriteArrayList<>();
  private final List<Groups> groups = new CopyOnWriteArrayList<>();
  // The node's own counts, read-only: the hub and its feed stay with the server, services see only
  // the engine port.
  private final Hub hub;
  private final NodeFeed feed;
  private final Supplier<List<NodeSeen>> nodes;

  AdminBoard(Hub hub, NodeFeed feed, Supplier<List<NodeSeen>> nodes) {
    this.hub = hub;
    this.feed = feed;
    this.nodes = nodes;
  }

  /**
   * The nodes of the deployment: this one first, then those heard from on a shared engine (up, gone
   * or left), each with when it was last heard from. Only this node on a local engine.
   */
  public List<NodeSeen> nodes() {
    return nodes.get();
  }

  /** The node's channels, subscriptions and events published. */
  public HubStats channels() {
    return hub.stats();
  }

  /** The node's most subscribed channels, at most {@code max}. */
  public List<ChannelStats> busiestChannels(int max) {
    return hub.busiest(max);
  }

  public EngineState engine() {
    return new EngineState(feed.engine().name(), feed.shared(), feed.engine().problem());
  }

  /**
   * {@code service}'s open connections on {@code transport} (websocket, long-polling, sse, ...).
   */
  public void connections(String service, String transport, IntSupplier count) {
    connections.add(new Connections(service, transport, count));
  }

  /**
   * {@code service}'s groups of one {@code kind} (room, stream), by name, with their member counts.
   */
  public void groups(String service, String kind, Supplier<Map<String, Integer>> members) {
    groups.add(new Groups(service, kind, members));
  }

  /** Every registered count, read now. */
  public List<ConnectionCount> connections() {
    List<ConnectionCount> out = new ArrayList<>();
    for (Connections c : connections)
      out.add(new ConnectionCount(c.service(), c.transport(), c.count().getAsInt()));
    return out;
  }

  /**
   * The groups with the most members (at most {@code max}) and how many groups there are in all.
   */
  public Largest largestGroups(int max) {
    List<GroupCount> all = new ArrayList<>();
    for (Groups g : groups)
      g.members()
          .get()
          .forEach((name, n) -> all.add(new GroupCount(g.service(), g.kind(), name, n)));
    all.sort(
        (a, b) ->
            a.members() != b.members()
                ? Integer.compare(b.members(), a.members())
                : a.name().compareTo(b.name()));
    return new Largest(all.size(), all.size() <= max ? all : List.copyOf(all.subList(0, max)));
  }

  /** The page shows the largest groups only, and says of how many. */
  public record Largest(int total, List<GroupCount> largest) {}
}
