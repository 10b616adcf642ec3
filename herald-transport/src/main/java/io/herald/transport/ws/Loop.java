package io.herald.transport.ws;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.concurrent.Executor;

/**
 * One event loop's connections: the executor the hub delivers on, and one periodic sweep that sends
 * pings and checks timeouts for all of them. Two timers per connection cost about 400 bytes each (a
 * scheduled task, Vert.x's timer handler, a promise, map entries) and a wake-up per connection per
 * check; the sweep walks a plain list. Members are added and removed on the loop's thread only.
 */
final class Loop implements Executor {
  private final ContextInternal context;
  private final ArrayList<WsConnection> members = new ArrayList<>();
  private long tickMillis = Long.MAX_VALUE;
  private long timer = -1;

  Loop(Context root) {
    this.context = (ContextInternal) root;
  }

  @Override
  public void execute(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /** Adds {@code c}, to be swept at least every {@code tick} milliseconds. On the loop's thread. */
  void add(WsConnection c, long tick) {
    c.slot = members.size();
    members.add(c);
    if (tick < tickMillis) { // a service with shorter timeouts arrived: sweep faster from now on
      tickMillis = tick;
      if (timer >= 0) context.owner().cancelTimer(timer);
      timer = context.setPeriodic(tick, id -> sweep());
    }
  }

  /** Removes {@code c} in constant time (the last member takes its slot). On the loop's thread. */
  void remove(WsConnection c) {
    int i = c.slot;
    if (i < 0) return;
    WsConnection last = members.removeLast();
    if (last != c) {
      members.set(i, last);
      last.slot = i;
    }
    c.slot = -1;
  }

  /**
   * Backwards, so a connection that closes (and leaves) during its tick moves an already swept one
   * into its slot.
   */
  private void sweep() {
    long now = System.nanoTime();
    for (int i = members.size() - 1; i >= 0; i--) {
      if (i < members.size()) members.get(i).tick(now);
    }
  }
}
