package io.herald.store.redis;

import io.herald.core.engine.FeedTransport;
import io.herald.core.engine.Page;
import java.util.concurrent.CompletionStage;

/**
 * A channel on Redis as its subscriptions' transport ({@link io.herald.core.engine.EngineFeed} does
 * the rest): the history is the channel's stream, live messages come by pub/sub all the time (so
 * there is nothing to start or stop), and a channel found below what a node delivered is fenced by
 * {@link EngineScripts#FENCE}.
 */
record RedisChannel(RedisEngine engine, String channel) implements FeedTransport {
  @Override
  public CompletionStage<Page> read(long since, int max) {
    return engine.read(channel, since, max);
  }

  @Override
  public void later(Runnable r) {
    engine.later(r);
  }

  @Override
  public CompletionStage<Void> fence(long floor) {
    return engine.fence(channel, floor).thenApply(fenced -> null);
  }
}
