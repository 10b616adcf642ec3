package io.herald.transport.ws;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Loop} per event loop, so the hub groups every connection of a loop under one key and
 * runs one fan-out task per loop per event, and one heartbeat sweep serves all of a loop's
 * connections. The key is the Netty event loop itself (its thread), not a Vert.x context: Vert.x
 * hands each HTTP request a duplicated context, and on the io_uring transport even the root
 * contexts differ between connections of one loop, so keying by either gave every connection its
 * own group (a fan-out task per connection, no batching). A loop's group runs its tasks on the
 * first root context seen there; any context of that event loop runs them on the same thread.
 * Internal API ({@link ContextInternal}) is kept to this class and {@link Loop}. One instance per
 * server, so a stopped server's loops are not kept.
 */
final class Loops {
  private final ConcurrentHashMap<EventLoop, Loop> loops = new ConcurrentHashMap<>();

  Loop of(Context context) {
    ContextInternal root = ((ContextInternal) context).unwrap();
    return loops.computeIfAbsent(root.nettyEventLoop(), l -> new Loop(root));
  }

  int size() {
    return loops.size();
  }
}
