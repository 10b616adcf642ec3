package io.herald.service.websocket;

import io.herald.testkit.PageScript;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example page and browser client in headless Chromium (Playwright): a user's page joins a
 * room, shows a broadcast and a notification toast, and after a server restart reconnects and joins
 * its room again by itself.
 */
class WebsocketPageTest {
  @Test
  void thePageJoinsARoomShowsBroadcastsAndRejoinsAfterARestart() throws Exception {
    SioServer[] server = {new SioServer(Map.of())};
    int port = server[0].port;
    try {
      PageScript.runAcrossRestart(
          "websocket-page.mjs",
          List.of(String.valueOf(port), SioServer.token("page-user", "user")),
          Path.of("target", "websocket-page.png").toAbsolutePath(),
          () -> {
            server[0].close();
            server[0] = new SioServer(Map.of(), false, port);
          });
    } finally {
      server[0].close();
    }
  }
}
