package io.herald.transport.ws;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One executor per Vert.x event-loop context, so the hub groups every connection of a loop under one key and
 * runs one fan-out task per loop per event. Connections accepted by the same server instance share its context.
 */
final class LoopExecutors {
  private static final ConcurrentHashMap<Context, Executor> EXECUTORS = new ConcurrentHashMap<>();

  private LoopExecutors() {}

  static Executor of(Context context) {
    return EXECUTORS.computeIfAbsent(context, c -> task -> c.runOnContext(v -> task.run()));
  }
}
