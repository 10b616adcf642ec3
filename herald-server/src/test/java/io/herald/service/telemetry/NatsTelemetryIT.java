package io.herald.service.telemetry;

import io.nats.client.Connection;
import io.nats.client.Nats;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * The telemetry contract with its log on the machine's NATS JetStream (HERALD_ENGINE=nats), and two
 * instances sharing it.
 */
class NatsTelemetryIT extends TelemetryContract {
  static final String URL = "nats://127.0.0.1:4222";

  @Override
  Optional<String> engineUrl() {
    return Optional.of(URL);
  }

  @BeforeEach
  void emptyLog() throws Exception {
    try (Connection c = Nats.connect(URL)) {
      var jsm = c.jetStreamManagement();
      for (String s : jsm.getStreamNames())
        if (s.startsWith("herald-telemetry_")) jsm.deleteStream(s);
    }
  }
}
