package io.herald.service.writer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryDelayHandler;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.TopologyRecoveryException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ connection: automatic recovery on (the client reconnects with backoff and
 * re-registers consumers), and a recovery epoch, moved when a recovery starts, so that workers
 * never acknowledge a delivery tag from before a reconnect.
 */
final class Broker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
  private final ConnectionFactory factory = new ConnectionFactory();
  private final AtomicLong epoch = new AtomicLong();
  private volatile Connection conn;

  Broker(String url) {
    try {
      factory.setUri(url);
    } catch (Exception e) {
      throw new IllegalArgumentException("RABBITMQ_URL is not a valid amqp:// URL");
    }
    // The seed's default ends in "/", which Go's amqp library reads as the default vhost "/"; the
    // Java client
    // would read an empty vhost name, which does not exist.
    if (URI.create(url).getRawPath() != null && URI.create(url).getRawPath().equals("/"))
      factory.setVirtualHost("/");
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    // Reconnect after 0.5 s, then with growing waits up to 30 s (the client's sequence: 0.5, 1, 1,
    // 2, 3, 5, 8 ... s).
    factory.setRecoveryDelayHandler(
        new RecoveryDelayHandler.ExponentialBackoffDelayHandler(
            List.of(500L, 1000L, 1000L, 2000L, 3000L, 5000L, 8000L, 13000L, 21000L, 30000L)));
    factory.setRequestedHeartbeat(30);
    factory.setExceptionHandler(new RecoveryLogging());
  }

  /**
   * Says what recovery did: a failed step is otherwise silent, and a consumer that was not
   * recovered stops work.
   */
  private static final class RecoveryLogging extends ForgivingExceptionHandler {
    @Override
    public void handleConnectionRecoveryException(Connection c, Throwable e) {
      LOG.warn("RabbitMQ: reconnecting failed, trying again: {}", e.toString());
    }

    @Override
    public void handleChannelRecoveryException(Channel ch, Throwable e) {
      LOG.warn("RabbitMQ: a channel could not be recovered: {}", e.toString());
    }

    @Override
    public void handleTopologyRecoveryException(
        Connection c, Channel ch, TopologyRecoveryException e) {
      LOG.warn("RabbitMQ: a queue or consumer could not be recovered: {}", e.toString());
    }
  }

  /** Connects (blocking); throws while the broker is unreachable. */
  void connect() throws IOException, TimeoutException {
    Connection c = factory.newConnection("herald-writer");
    ((Recoverable) c)
        .addRecoveryListener(
            new RecoveryListener() {
              @Override
              public void handleRecovery(Recoverable r) {
                // No new epoch here: the consumers are re-registered before this is called, so
                // deliveries on the new
                // channels may already be in hand, stamped with the current epoch. Moving it now
                // made workers drop them
                // as stale without an ack, and with the prefetch window full of them the queue
                // stalled for good (found
                // by ./herald chaos --faults rabbitmq-restart).
                LOG.info("RabbitMQ: reconnected; consumers re-registered");
              }

              @Override
              public void handleRecoveryStarted(Recoverable r) {
                epoch
                    .incrementAndGet(); // before any channel is recovered: what is in hand from the
                // old ones is stale
                LOG.warn("RabbitMQ: connection lost; reconnecting");
              }
            });
    conn = c;
  }

  Channel channel() throws IOException {
    return conn.createChannel();
  }

  long epoch() {
    return epoch.get();
  }

  boolean healthy() {
    Connection c = conn;
    return c != null && c.isOpen();
  }

  /**
   * Declares a work queue (durable, as the API that feeds it declares it), its dead-letter queue,
   * and its retry queue, whose messages return to the work queue when their per-message TTL runs
   * out.
   */
  static void declare(Channel ch, String queue) throws IOException {
    ch.queueDeclare(queue, true, false, false, null);
    ch.queueDeclare(queue + ".dlq", true, false, false, null);
    ch.queueDeclare(
        queue + ".retry",
        true,
        false,
        false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", queue));
  }

  /** Stops consuming first (closing channels), then the connection: the seed's shutdown order. */
  @Override
  public void close() {
    Connection c = conn;
    if (c != null && c.isOpen()) {
      try {
        c.close(5000);
      } catch (IOException | RuntimeException ignored) {
        // closing anyway
      }
    }
  }
}
