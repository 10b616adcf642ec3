package io.herald.service.websocket;

import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Subscriber;
import io.herald.transport.metrics.Metrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One event loop's room index: the only subscriber of the service's channel on that loop. It hands
 * each event to the sockets of its target rooms, so an event for one survey costs the survey's
 * sockets, not every socket of the service; a socket in several target rooms gets the event once.
 * Loop-confined: sockets on this loop join and leave from the loop's thread (in the same task that
 * reads history when they resume, so nothing falls between).
 */
final class RoomDispatch implements Subscriber {
  /**
   * The frames handed to sockets since the last flush, and to how many: counted once written.
   * Loop-confined.
   */
  private final List<Frame> written = new ArrayList<>();

  private final List<Integer> writtenTo = new ArrayList<>();
  private static final System.Logger LOG = System.getLogger(RoomDispatch.class.getName());
  final Executor loop;
  private final Metrics metrics;
  private final Map<String, Set<Subscriber>> rooms = new HashMap<>();

  /** Sockets written to since the last flush. */
  private final Set<Subscriber> dirty = Collections.newSetFromMap(new IdentityHashMap<>());

  /** The last event of the channel this index has handed out (loop-confined). */
  private long position;

  /** The sockets one multi-room event has reached, so none gets it twice. */
  private final Set<Subscriber> reached = Collections.newSetFromMap(new IdentityHashMap<>());

  RoomDispatch(Executor loop, Metrics metrics) {
    this.loop = loop;
    this.metrics = metrics;
  }

  void join(String room, Subscriber socket) {
    rooms.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(socket);
  }

  /**
   * Not during {@link #deliver}: a socket that closes while it is handed an event leaves through a
   * task on this loop ({@code SioSocket.leaveIndex}), and {@code leave_room} arrives as a message
   * of its own.
   */
  void leave(String room, Subscriber socket) {
    Set<Subscriber> members = rooms.get(room);
    if (members == null) return;
    members.remove(socket);
    if (members.isEmpty()) rooms.remove(room);
  }

  void leaveAll(Iterable<String> joined, Subscriber socket) {
    for (String room : joined) leave(room, socket);
  }

  /**
   * Never called: the dispatcher subscribes for live events only, and resuming sockets read history
   * themselves.
   */
  @Override
  public void replay(Replay replay) {}

  /**
   * A cluster node whose engine lost events it had not received (Redis lost its data): the kept
   * events after what this dispatcher passed on are new ones (a lost channel starts above its old
   * sequences) and go out as live events. Socket.IO has no in-band "missed" message: a socket that
   * reconnects with an offset from before the loss is not recovered, since its offset is below the
   * history's start.
   */
  @Override
  public void reset(Replay replay) {
    for (Frame f : replay.frames()) if (f.seq() > position) deliver(f);
    flush();
  }

  @Override
  public void deliver(Frame frame) {
    List<String> targets = frame.encoded(Route.ROUTE).rooms();
    position = frame.seq();
    int n = 0;
    try {
      if (targets.size() == 1) {
        Set<Subscriber> members = rooms.get(targets.getFirst());
        if (members != null) for (Subscriber s : members) n += hand(s, frame);
      } else {
        for (String room : targets) {
          Set<Subscriber> members = rooms.get(room);
          if (members == null) continue;
          for (Subscriber s : members) if (reached.add(s)) n += hand(s, frame);
        }
      }
    } finally {
      reached.clear();
    }
    // The hub does not count this dispatcher (counted() is false): its sockets count, once written
    // (flush).
    if (n > 0) {
      written.add(frame);
      writtenTo.add(n);
    }
  }

  /**
   * One failing socket must not cost the others this event (the hub guards only this dispatcher as
   * a whole).
   */
  private int hand(Subscriber s, Frame frame) {
    try {
      s.deliver(frame);
      dirty.add(s);
      return 1;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "socket " + s + " failed to take event " + frame.seq(), e);
      return 0;
    }
  }

  @Override
  public boolean counted() {
    return false;
  }

  @Override
  public void flush() {
    for (Subscriber s : dirty) {
      try {
        s.flush();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "socket " + s + " failed to flush", e);
      }
    }
    dirty.clear();
    for (int i = 0; i < written.size(); i++) metrics.fannedOut(written.get(i), writtenTo.get(i));
    written.clear();
    writtenTo.clear();
  }

  /**
   * The last event handed out here: a socket leaving this loop has had everything up to it that was
   * for its rooms.
   */
  long position() {
    return position;
  }
}
