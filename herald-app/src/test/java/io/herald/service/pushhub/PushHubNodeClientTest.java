package io.herald.service.pushhub;

import io.herald.testkit.Http;
import io.herald.testkit.NodeScript;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Seed 004's JSON contract through the npm {@code ws} client (e2e/pushhub-contract.mjs). */
class PushHubNodeClientTest {
  @Test
  void theNpmWsClientSeesTheSeedContract() throws Exception {
    try (TestServer server = new TestServer(PushHubConfig.DEFAULT);
        NodeScript node = new NodeScript("pushhub-contract.mjs", String.valueOf(server.port))) {
      boolean ok = node.readUntil("ok");
      assertThat(ok).as(String.join("\n", node.lines)).isTrue();
      assertThat(node.exitCode()).isZero();
    }
  }
}
