package io.herald.store.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContract;
import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.FanOutObserver;
import io.herald.core.hub.Hub;
import io.herald.core.hub.HubConfig;
import io.herald.core.hub.LocalEngine;
import io.herald.store.file.FileJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalEngineTest extends EngineContract {
  @TempDir Path dir;

  @Override
  protected Engine engine(int maxEvents) throws Exception {
    FileJournal journal = FileJournal.open(dir, Math.max(maxEvents, 16));
    Hub hub =
        new Hub(
            new HubConfig(new HistoryConfig(maxEvents, Duration.ofMinutes(5))),
            Clock.systemUTC(),
            FanOutObserver.NONE,
            journal);
    return new LocalEngine(
        hub, "journal",
        journal); // closing it closes the journal: the next "process" opens the folder
  }

  @Test
  void aRestartContinuesTheSequenceAndKeepsTheHistory() throws Exception {
    Engine first = engine(1000);
    long seq = 0;
    for (int i = 0; i < 20; i++) seq = publish(first, channel, "t", Integer.toString(i)).seq();
    first.close();
    Engine second = started(1000);
    assertThat(publish(second, channel, "t", "after").seq()).isEqualTo(seq + 1);
    assertThat(read(second, channel, seq - 5, 100).recovered()).isTrue();
    assertThat(read(second, channel, seq - 5, 100).events()).hasSize(6);
  }
}
