package io.herald.core.hub;

/**
 * A snapshot of the hub's counters.
 *
 * @param channels channels that exist (have had a subscriber or an event)
 * @param subscriptions live subscriptions across all channels
 * @param published events accepted since start
 */
public record HubStats(int channels, int subscriptions, long published) {}
