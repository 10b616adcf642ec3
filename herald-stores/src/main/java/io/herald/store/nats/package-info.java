/**
 * The engine on NATS JetStream ({@code HERALD_ENGINE=nats}): a stream per channel, shared by every
 * node on the same NATS.
 */
package io.herald.store.nats;
