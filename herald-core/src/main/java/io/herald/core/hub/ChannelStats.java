package io.herald.core.hub;

/**
 * One channel as the operator sees it.
 *
 * @param subscriptions live subscriptions on this node (a service that indexes rooms per event
 *     loop, as Socket.IO's does, holds one per loop, not one per client)
 * @param lastSeq the channel's latest sequence, 0 before its first event
 */
public record ChannelStats(String name, int subscriptions, long lastSeq) {}
