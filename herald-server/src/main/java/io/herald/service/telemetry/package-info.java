/**
 * Seed 001: JWT short and long polling, Server-Sent Events, events with a TTL in memory or in
 * Redis.
 */
package io.herald.service.telemetry;
