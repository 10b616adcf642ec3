/**
 * The engine: where a channel's sequence is assigned, its history kept and its events shared with
 * every node that serves the channel. {@link io.herald.core.hub.LocalEngine} is one process
 * (memory, or the file journal); the Redis and NATS engines (herald-stores) let several nodes share
 * channels. Every engine's subscriptions are an {@link io.herald.core.engine.EngineFeed}; an engine
 * supplies only its {@link io.herald.core.engine.FeedTransport}. A node's {@link
 * io.herald.core.hub.Hub} fans out what its engine delivers to the node's connections and keeps the
 * recent history for resumes.
 */
package io.herald.core.engine;
