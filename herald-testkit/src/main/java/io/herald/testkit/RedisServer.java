package io.herald.testkit;

import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free port, without persistence, so a test can stop it
 * (losing everything, as `redis-cli shutdown nosave` does) and start it again without touching the
 * machine's Redis other tests use.
 */
public final class RedisServer implements EngineServer {
  public final int port = Ports.free();
  private Process process;

  @Override
  public RedisServer start() throws IOException {
    process =
        ServerProcess.start(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no"),
            port);
    return this;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public Map<String, String> env() {
    return Map.of("HERALD_ENGINE", "redis", "REDIS_URL", url());
  }

  @Override
  public long following(String channel) {
    RedisClient c = RedisClient.create(url());
    String live = "herald:{" + channel + "}:live";
    try (var conn = c.connect()) {
      return conn.sync().pubsubNumsub(live).getOrDefault(live, 0L);
    } finally {
      c.shutdown();
    }
  }

  @Override
  public void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy(); // SIGTERM: without --save, nothing is written
    process.waitFor(10, TimeUnit.SECONDS);
    process = null;
  }
}
