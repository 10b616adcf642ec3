package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.NodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example page and browser client in headless Chromium (Playwright): a user's page joins a room, shows a
 * broadcast and a notification toast, and after a server restart reconnects and joins its room again by itself.
 */
class WebsocketPageTest {
  @Test
  void thePageJoinsARoomShowsBroadcastsAndRejoinsAfterARestart() throws Exception {
    SioServer server = new SioServer(Map.of());
    int port = server.port;
    Path shot = Path.of("target", "websocket-page.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    try (NodeScript page = new NodeScript("websocket-page.mjs", String.valueOf(port), SioServer.token("page-user", "user"), shot.toString())) {
      assertThat(page.readUntil("RESTART")).as(String.join("\n", page.lines)).isTrue();
      server.close();
      server = new SioServer(Map.of(), false, port);
      page.writeLine("GO");
      assertThat(page.readUntil("ok")).as(String.join("\n", page.lines)).isTrue();
      assertThat(page.exitCode()).isZero();
      assertThat(shot).exists();
    } finally {
      server.close();
    }
  }
}
