package io.herald.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free port, without persistence, so a test can stop it (losing everything,
 * as `redis-cli shutdown nosave` does) and start it again without touching the machine's Redis other tests use.
 */
public final class RedisServer implements EngineServer {
  public final int port = Ports.free();
  private Process process;

  public RedisServer start() throws IOException {
    process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      }
    });
    return this;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public java.util.Map<String, String> env() {
    return java.util.Map.of("HERALD_ENGINE", "redis", "REDIS_URL", url());
  }

  @Override
  public long following(String channel) {
    io.lettuce.core.RedisClient c = io.lettuce.core.RedisClient.create(url());
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
    process.destroy();  // SIGTERM: without --save, nothing is written
    process.waitFor(10, TimeUnit.SECONDS);
    process = null;
  }

}
