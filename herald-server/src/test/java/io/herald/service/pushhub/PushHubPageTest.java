package io.herald.service.pushhub;

import io.herald.core.hub.HubConfig;
import io.herald.testkit.PageScript;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example page in headless Chromium (Playwright): connects, shows live messages, reconnects
 * after a restart.
 */
class PushHubPageTest {
  @Test
  void thePageShowsBroadcastsAndReconnectsAfterTheServerRestarts() throws Exception {
    TestServer[] server = {new TestServer(PushHubConfig.DEFAULT)};
    int port = server[0].port;
    try {
      PageScript.runAcrossRestart(
          "pushhub-page.mjs",
          List.of(String.valueOf(port)),
          Path.of("target", "pushhub-page.png").toAbsolutePath(),
          () -> {
            server[0].close();
            server[0] = new TestServer(PushHubConfig.DEFAULT, HubConfig.DEFAULT, 2, port);
          });
    } finally {
      server[0].close();
    }
  }
}
