package io.herald.service.pushhub;

import io.herald.testing.Http;
import io.herald.testing.NodeScript;
import io.herald.testing.RawWsClient;
import io.herald.testing.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example page in headless Chromium (Playwright): connects, shows live messages, reconnects after a restart. */
class PushHubPageTest {
  @Test
  void thePageShowsBroadcastsAndReconnectsAfterTheServerRestarts() throws Exception {
    TestServer server = new TestServer(PushHubConfig.DEFAULT);
    int port = server.port;
    Path shot = Path.of("target", "pushhub-page.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    try (NodeScript page = new NodeScript("pushhub-page.mjs", String.valueOf(port), shot.toString())) {
      assertThat(page.readUntil("RESTART")).as(String.join("\n", page.lines)).isTrue();
      server.close();
      server = new TestServer(PushHubConfig.DEFAULT, io.herald.core.hub.HubConfig.DEFAULT, 2, port);
      page.writeLine("GO");
      assertThat(page.readUntil("ok")).as(String.join("\n", page.lines)).isTrue();
      assertThat(page.exitCode()).isZero();
      assertThat(shot).exists();
    } finally {
      server.close();
    }
  }
}
