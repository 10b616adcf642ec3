package io.herald.core.hub;

import io.herald.core.history.HistoryConfig;

/**
 * Configuration of the {@link Hub}.
 *
 * @param history retention per channel, for resume
 */
public record HubConfig(HistoryConfig history) {
  public static final HubConfig DEFAULT = new HubConfig(HistoryConfig.DEFAULT);
}
