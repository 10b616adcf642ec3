package io.herald.core.hub;

import io.herald.core.history.HistoryConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Configuration of the {@link Hub}.
 *
 * @param history retention per channel, for resume
 * @param journalDir where channels' events are kept across restarts (HERALD_HISTORY_DIR); empty: in
 *     memory only
 */
public record HubConfig(HistoryConfig history, Optional<Path> journalDir) {
  public static final HubConfig DEFAULT = new HubConfig(HistoryConfig.DEFAULT);

  /** In memory only. */
  public HubConfig(HistoryConfig history) {
    this(history, Optional.empty());
  }
}
