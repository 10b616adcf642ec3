package io.herald.transport.ws;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Loop} per event loop, so the hub groups every connection of a loop under one key and runs one fan-out
 * task per loop per event, and one heartbeat sweep serves all of a loop's connections. Vert.x hands each HTTP
 * request a duplicated context; keying by it would give every connection its own group, so the key is the root
 * context ({@link ContextInternal#unwrap}, internal API kept to this class and {@link Loop}). One instance per
 * server, so a stopped server's contexts are not kept.
 */
final class Loops {
  private final ConcurrentHashMap<Context, Loop> loops = new ConcurrentHashMap<>();

  Loop of(Context context) {
    ContextInternal root = ((ContextInternal) context).unwrap();
    return loops.computeIfAbsent(root, Loop::new);
  }

  int size() {
    return loops.size();
  }
}
