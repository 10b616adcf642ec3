package io.herald.service.telemetry;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * Coverage-guided fuzzing of telemetry's publish bodies and its {@code lastEventId}: parsed or
 * refused, nothing else.
 */
class TelemetryInputFuzzTest {
  private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

  @FuzzTest(maxDuration = "10s")
  void publishBodiesAndCursors(FuzzedDataProvider data) {
    int route = data.consumeInt(0, 4);
    String raw = data.consumeRemainingAsString();
    try {
      switch (route) {
        case 0 -> PublishBodies.generic(raw, NOW);
        case 1 -> PublishBodies.orderStatusChange(raw, NOW);
        case 2 -> PublishBodies.newOrder(raw, NOW);
        case 3 -> PublishBodies.orderUpdate(raw, NOW);
        default -> EventId.cursor(raw);
      }
    } catch (PublishBodies.BadBody | IllegalArgumentException refused) {
      // 400 with the field named
    }
  }
}
