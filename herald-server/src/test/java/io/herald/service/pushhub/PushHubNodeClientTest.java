package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testkit.NodeScript;
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
