package io.herald.core.outbox;

import java.util.ArrayDeque;

/**
 * A bounded FIFO of messages waiting for one connection's socket, bounded by count and by bytes.
 * {@link #offer} never blocks and runs in O(1) (amortised O(k) only under {@link
 * OverflowPolicy.KeepLatest}, for the k messages it evicts).
 *
 * <p>Not thread-safe: owned by the connection's event loop, which is the only thread that offers
 * and polls.
 *
 * @param <T> the queued item (an already-encoded frame)
 */
public final class Outbox<T> {
  private record Entry<T>(T item, long size) {}

  private final OutboxConfig config;

  /**
   * Created on first use: most connections never queue anything, and thousands of idle ones would
   * each hold one.
   */
  private ArrayDeque<Entry<T>> queue;

  private long bytes;
  private boolean closed;

  public Outbox(OutboxConfig config) {
    this.config = config;
  }

  /**
   * Queues {@code item} of {@code size} bytes if it fits.
   *
   * @param droppable true for volatile messages: dropped instead of triggering the overflow policy
   */
  public Offer offer(T item, long size, boolean droppable) {
    if (closed) return Offer.CLOSED;
    if (fits(size)) return accept(item, size);
    if (droppable) return Offer.DROPPED;
    return switch (config.policy()) {
      case OverflowPolicy.DropNewest d -> Offer.DROPPED;
      case OverflowPolicy.Disconnect d -> {
        close();
        yield Offer.OVERFLOWED;
      }
      case OverflowPolicy.KeepLatest k -> {
        while (!isEmpty() && !fits(size)) bytes -= queue.pollFirst().size();
        yield fits(size) ? accept(item, size) : Offer.DROPPED;
      }
    };
  }

  private boolean fits(long size) {
    return size() < config.maxMessages() && bytes + size <= config.maxBytes();
  }

  private Offer accept(T item, long size) {
    if (queue == null) queue = new ArrayDeque<>();
    queue.addLast(new Entry<>(item, size));
    bytes += size;
    return Offer.ACCEPTED;
  }

  /** The oldest queued item, removed, or null when empty. */
  public T poll() {
    Entry<T> e = queue == null ? null : queue.pollFirst();
    if (e == null) return null;
    bytes -= e.size();
    return e.item();
  }

  public boolean isEmpty() {
    return queue == null || queue.isEmpty();
  }

  public int size() {
    return queue == null ? 0 : queue.size();
  }

  public long bytes() {
    return bytes;
  }

  /** Discards everything queued and refuses later offers with {@link Offer#CLOSED}. */
  public void close() {
    closed = true;
    queue = null;
    bytes = 0;
  }

  public boolean isClosed() {
    return closed;
  }

  public OutboxConfig config() {
    return config;
  }
}
