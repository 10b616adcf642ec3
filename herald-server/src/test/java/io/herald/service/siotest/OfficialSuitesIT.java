package io.herald.service.siotest;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.hub.HubConfig;
import io.herald.store.Stores;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The official Engine.IO v4 and Socket.IO v5 test suites, unchanged, five times each against the
 * protocol-test profile on port 3000 (where they connect). Their code is not part of this
 * repository: set HERALD_SIO_SUITES to a folder holding {@code engine.io/} and {@code socket.io/},
 * each a copy of the suite's folder from the socketio/socket.io repository with {@code npm install}
 * done (docs/websocket.md says how). Without it, skipped.
 */
@EnabledIfEnvironmentVariable(named = "HERALD_SIO_SUITES", matches = ".+")
class OfficialSuitesIT {
  @Test
  void bothSuitesPassFiveTimesInARow() throws Exception {
    Path root = Path.of(System.getenv("HERALD_SIO_SUITES"));
    HeraldServer server =
        new HeraldServer(
            new ServerConfig("127.0.0.1", 3000, 2, 65536, Duration.ofSeconds(5)),
            HubConfig.DEFAULT,
            Stores.local(),
            List.of(new SioTestService()));
    server.start().await();
    try {
      for (int run = 1; run <= 5; run++) {
        for (String suite : List.of("engine.io", "socket.io")) {
          Mocha m = mocha(root.resolve(suite));
          // Exit 0 only when every test ran and passed: a crash after " passing" was printed shows
          // nowhere else.
          assertThat(m.exit())
              .as(suite + ", run " + run + ": mocha's exit code; its output:\n" + m.output())
              .isZero();
          assertThat(m.output())
              .as(suite + ", run " + run)
              .contains(" passing")
              .doesNotContain(" failing");
        }
      }
    } finally {
      server.stop().await();
    }
  }

  /** How mocha ended: its exit code (-1: killed after 3 minutes) and what it printed. */
  private record Mocha(int exit, String output) {}

  private static Mocha mocha(Path dir) throws IOException, InterruptedException {
    Path log = Files.createTempFile("herald-suite", ".log");
    Process p =
        new ProcessBuilder("npx", "mocha", "test-suite.js")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    int exit = -1;
    if (p.waitFor(3, TimeUnit.MINUTES)) {
      exit = p.exitValue();
    } else {
      p.destroyForcibly().waitFor();
    }
    return new Mocha(exit, Files.readString(log, StandardCharsets.UTF_8));
  }
}
