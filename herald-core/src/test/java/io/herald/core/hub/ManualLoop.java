package io.herald.core.hub;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** An event loop the test turns by hand: tasks queue until {@link #runAll}. */
final class ManualLoop implements Executor {
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  int runAll() {
    int n = 0;
    for (Runnable r; (r = tasks.poll()) != null; n++) r.run();
    return n;
  }
}
