package io.herald.transport.ws;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One executor per event loop, so the hub groups every connection of a loop under one key and runs one fan-out
 * task per loop per event. Vert.x hands each HTTP request a duplicated context; keying by it would give every
 * connection its own group, so the key is the root context ({@link ContextInternal#unwrap}, internal API kept
 * to this class). One instance per server, so a stopped server's contexts are not kept.
 */
final class LoopExecutors {
  private final ConcurrentHashMap<Context, Executor> executors = new ConcurrentHashMap<>();

  Executor of(Context context) {
    ContextInternal root = ((ContextInternal) context).unwrap();
    return executors.computeIfAbsent(root, c -> task -> c.runOnContext(v -> task.run()));
  }

  int size() {
    return executors.size();
  }
}
