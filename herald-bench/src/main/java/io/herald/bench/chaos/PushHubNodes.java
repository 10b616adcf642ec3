package io.herald.bench.chaos;

import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * Push-hub nodes of a cluster fault, each on a free port with its own environment; {@link #next}
 * gives their ports in turn, so clients and the publisher spread over them as behind a round-robin
 * balancer.
 */
final class PushHubNodes implements AutoCloseable {
  private final Path root;
  private final Path out;
  private final int[] ports;
  private final Target[] targets;
  final RunningTarget[] running;
  private final AtomicInteger turn = new AtomicInteger();

  /** Starts {@code count} nodes; {@code env} gives node {@code i}'s environment. */
  PushHubNodes(ChaosConfig config, int count, IntFunction<Map<String, String>> env)
      throws Exception {
    this.root = config.root();
    this.out = config.out();
    this.ports = new int[count];
    this.targets = new Target[count];
    this.running = new RunningTarget[count];
    for (int i = 0; i < count; i++) {
      ports[i] = Ports.free();
      targets[i] =
          new Target(
              "herald-node" + i,
              List.of(root.resolve("herald").toString(), "push-hub"),
              env.apply(i));
      running[i] = RunningTarget.start(targets[i], ports[i], out);
    }
  }

  /** The nodes' ports in turn. */
  IntSupplier next() {
    return () -> ports[Math.floorMod(turn.getAndIncrement(), ports.length)];
  }

  /** Starts node {@code i} again, on its port and environment. */
  void restart(int i) throws Exception {
    running[i] = RunningTarget.start(targets[i], ports[i], out);
  }

  @Override
  public void close() throws InterruptedException {
    for (RunningTarget n : running) if (n != null) n.close();
  }
}
