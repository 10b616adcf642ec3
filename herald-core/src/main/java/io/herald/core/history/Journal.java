package io.herald.core.history;

import io.herald.core.event.Event;
import java.util.List;

/**
 * Where channels' events outlive the process, so that a client can resume across a restart of the
 * server. The hub appends each event, under its channel's lock and in sequence order, before any
 * subscriber sees it; and reads a channel's tail back the first time the channel is used after a
 * start.
 */
public interface Journal extends AutoCloseable {
  /** No journal: history lives in memory only, and sequences start again at 1 after a restart. */
  Journal NONE =
      new Journal() {
        @Override
        public Restored restore(String channel, int maxEvents) {
          return Restored.EMPTY;
        }

        @Override
        public void append(Event event) {}

        @Override
        public void close() {}
      };

  /**
   * A channel as the journal held it.
   *
   * @param events its latest events, oldest first, at most the number asked for
   * @param lastSeq the highest sequence ever appended (0 for a new channel), even when no event is
   *     kept
   */
  record Restored(List<Event> events, long lastSeq) {
    public static final Restored EMPTY = new Restored(List.of(), 0);
  }

  /**
   * The channel's latest events (at most {@code maxEvents}) and last sequence. Called once per
   * channel per start.
   */
  Restored restore(String channel, int maxEvents);

  /**
   * Appends an event whose sequence follows the channel's last one. Throws when it cannot be kept;
   * the event is then refused (not delivered), so clients never see what a restart would forget.
   */
  void append(Event event);

  @Override
  void close();
}
