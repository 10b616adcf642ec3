package io.herald.service.telemetry;

import io.herald.transport.health.HealthStatus;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where events live until they expire ({@link EngineEventStore}: on the memory engine in this
 * process, on the Redis engine shared by several instances). Never blocks the caller.
 */
interface EventStore extends AutoCloseable {
  /**
   * Stores one event under a fresh id, in the streams {@link Streams#of} names, and tells every
   * listener (on every instance). Fails with {@link StoreUnavailableException} when it cannot be
   * stored now.
   */
  CompletionStage<EventId> append(String eventType, String userId, String body);

  /**
   * Events of {@code stream} after {@code after} (null: from the oldest kept), at most {@code
   * limit}.
   */
  CompletionStage<Page> read(String stream, EventId after, int limit);

  /** The newest id in {@code stream}, {@link EventId#ZERO} when it is empty. */
  CompletionStage<EventId> lastId(String stream);

  /**
   * Passed to {@link #listen} listeners when any stream may have changed unseen (a lost
   * subscription came back).
   */
  Set<String> ALL_STREAMS = Set.of("*");

  /**
   * Called, on some thread, with the streams that just received an event, whichever instance
   * appended it, or with {@link #ALL_STREAMS}.
   */
  void listen(Consumer<Set<String>> appended);

  HealthStatus health();

  String kind();

  @Override
  void close();
}
