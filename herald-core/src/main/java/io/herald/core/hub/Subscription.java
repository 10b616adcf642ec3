package io.herald.core.hub;

import java.util.concurrent.Executor;

/** The handle {@link Hub#subscribe} returns; pass it to {@link Hub#unsubscribe}. */
public record Subscription(String channel, Subscriber subscriber, Executor loop) {}
