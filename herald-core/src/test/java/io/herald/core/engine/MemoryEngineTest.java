package io.herald.core.engine;

import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.Hub;
import io.herald.core.hub.HubConfig;
import io.herald.core.hub.LocalEngine;
import java.time.Clock;
import java.time.Duration;

class MemoryEngineTest extends EngineContract {
  @Override
  protected Engine engine(int maxEvents) {
    return new LocalEngine(
        new Hub(
            new HubConfig(new HistoryConfig(maxEvents, Duration.ofMinutes(5))), Clock.systemUTC()),
        "memory");
  }
}
