package io.herald.core.engine;

import io.herald.core.history.HistoryConfig;
import io.herald.core.history.Journal;
import io.herald.core.hub.Hub;
import io.herald.core.hub.HubConfig;
import io.herald.core.hub.LocalEngine;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * How a server gets its journal and its engine: the stores layer (herald-stores) provides them, so
 * that the transport that builds the hub never depends on Redis or the file system itself.
 */
public interface EngineFactory {
  /**
   * Where the hub keeps events across restarts ({@link Journal#NONE} for memory only); opened once,
   * before the hub.
   */
  Journal journal(HubConfig hub);

  /**
   * The engine the hub publishes through and follows ({@link LocalEngine} over the hub itself, or a
   * shared one).
   */
  Engine engine(Hub hub, HubConfig hubConfig);

  /**
   * An engine of a service's own in this process, memory only, with its own retention (telemetry's
   * log): the hub behind it stays inside core, as the server's does.
   *
   * @param startAfter channels whose sequences start above a value (a log whose ids must not repeat
   *     after a restart)
   */
  static Engine memory(HistoryConfig history, InstantSource clock, Map<String, Long> startAfter) {
    Hub hub = new Hub(new HubConfig(history), clock);
    startAfter.forEach((channel, top) -> hub.reset(channel, List.of(), top));
    return new LocalEngine(hub, "memory");
  }

  /** One process, memory only (no journal): what a server without a stores layer can have. */
  EngineFactory MEMORY =
      new EngineFactory() {
        @Override
        public Journal journal(HubConfig hub) {
          if (hub.journalDir().isPresent())
            throw new IllegalStateException(
                "a journal directory needs the file journal (herald-stores)");
          return Journal.NONE;
        }

        @Override
        public Engine engine(Hub hub, HubConfig hubConfig) {
          return new LocalEngine(hub, "memory");
        }
      };
}
