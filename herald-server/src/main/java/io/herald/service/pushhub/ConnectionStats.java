package io.herald.service.pushhub;

import java.time.Instant;

/**
 * The seed's {@code GetConnectionStats()}.
 *
 * @param connectedClients open /ws connections
 * @param hubStatus {@code running} or {@code stopped}
 * @param uptime when the hub started (the seed names the start time "uptime")
 */
public record ConnectionStats(int connectedClients, String hubStatus, Instant uptime) {}
