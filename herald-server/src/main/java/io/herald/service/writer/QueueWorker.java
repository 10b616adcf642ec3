package io.herald.service.writer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.herald.store.mysql.Database;
import io.herald.util.Backoff;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue on a virtual thread. Deliveries within the prefetch window are written as one
 * batch in one transaction; only after the commit (and the counters, and any retry or dead-letter
 * copy confirmed by the broker) are they acknowledged, with one multiple-ack. A failed transaction
 * is retried with backoff, message by message when the batch keeps failing, so one bad row cannot
 * hold the others back; a message that can never succeed goes to {@code <queue>.dlq} with its
 * reason in the headers. A message waiting for a row another queue creates goes to {@code
 * <queue>.retry} with a growing delay until the row appears or the deadline passes.
 */
final class QueueWorker {
  private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);

  record Delivery(long epoch, long tag, AMQP.BasicProperties props, byte[] body) {}

  /** What to do with a delivery once its batch is committed. */
  private sealed interface Fate {
    record Done(WriterStore.Outcome.Applied applied) implements Fate {}

    record Retry(String reason) implements Fate {}

    record Dead(String reason) implements Fate {}
  }

  private final String queue;
  private final Broker broker;
  private final Database db;
  private final WriterStore store;
  private final Counters counters;
  private final SearchOutbox search;
  private final WriterConfig config;
  private final WriterMetrics metrics;
  private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private Channel consume;
  private Channel publish;
  private Thread thread;

  QueueWorker(
      String queue,
      Broker broker,
      Database db,
      WriterStore store,
      Counters counters,
      SearchOutbox search,
      WriterConfig config,
      WriterMetrics metrics) {
    this.queue = queue;
    this.broker = broker;
    this.db = db;
    this.store = store;
    this.counters = counters;
    this.search = search;
    this.config = config;
    this.metrics = metrics;
  }

  void start() throws IOException {
    publish = broker.channel();
    publish.confirmSelect();
    consume = broker.channel();
    Broker.declare(consume, queue);
    consume.basicQos(config.prefetch());
    consume.basicConsume(
        queue,
        false,
        "herald-writer-" + queue,
        new DefaultConsumer(consume) {
          @Override
          public void handleDelivery(
              String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
            metrics.delivered(queue);
            inbox.add(new Delivery(broker.epoch(), env.getDeliveryTag(), props, body));
          }
        });
    thread = Thread.ofVirtual().name("writer-" + queue).start(this::run);
  }

  /**
   * Stops taking deliveries; what is in hand is finished (and acknowledged) before this returns.
   */
  void stop() throws InterruptedException {
    try {
      if (consume != null && consume.isOpen()) consume.basicCancel("herald-writer-" + queue);
    } catch (IOException | RuntimeException ignored) {
      // the broker is gone: unacknowledged messages will be redelivered
    }
    running = false;
    if (thread != null) thread.join(Duration.ofSeconds(30));
  }

  private void run() {
    List<Delivery> batch = new ArrayList<>();
    while (running || !inbox.isEmpty()) {
      try {
        Delivery first = inbox.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        inbox.drainTo(batch, config.prefetch() - 1);
        handle(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error(
            "writer {}: unexpected error, the batch goes back to the queue: {}",
            queue,
            e.toString());
        requeue(batch);
      }
      batch.clear();
    }
  }

  /**
   * Handles a batch until it is settled; transient failures wait and try again. When the database
   * refuses the batch for good, each delivery is handled on its own, so the one that fails is
   * dead-lettered and the others go through, each settled exactly once.
   */
  private void handle(List<Delivery> batch) throws InterruptedException {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    while (true) {
      if (batch.getFirst().epoch() != broker.epoch())
        return; // reconnected: these will be redelivered
      try {
        settle(batch, write(batch));
        return;
      } catch (SQLException e) {
        if (isPermanent(e) && batch.size() == 1) {
          settleDead(batch, "database refused it: " + e.getMessage());
          return;
        }
        if (isPermanent(e)) {
          for (Delivery d : batch) handle(List.of(d));
          return;
        }
        LOG.warn("writer {}: database unavailable, retrying: {}", queue, e.toString());
      } catch (IOException | RuntimeException e) {
        LOG.warn("writer {}: broker or Redis unavailable, retrying: {}", queue, e.toString());
      }
      metrics.retried(queue);
      Thread.sleep(backoff.next());
    }
  }

  /** Data errors (class 22) and constraint violations (23) will fail the same way every time. */
  private static boolean isPermanent(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  /** One transaction for the batch; returns each delivery's fate, in delivery order. */
  private List<Fate> write(List<Delivery> batch) throws SQLException {
    Fate[] fates = new Fate[batch.size()];
    List<WriterCommand> cmds = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      try {
        cmds.add(WriterMessages.parse(queue, batch.get(i).body(), config.maxBody()));
        at.add(i);
      } catch (Poison p) {
        fates[i] = new Fate.Dead(p.getMessage());
      }
    }
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        List<WriterStore.Outcome> outcomes = store.applyAll(c, cmds);
        List<WriterStore.SearchDoc> docs = new ArrayList<>();
        for (int j = 0; j < outcomes.size(); j++) {
          fates[at.get(j)] =
              switch (outcomes.get(j)) {
                case WriterStore.Outcome.Applied a -> new Fate.Done(a);
                case WriterStore.Outcome.Waiting w -> new Fate.Retry(w.reason());
                case WriterStore.Outcome.Poisoned p -> new Fate.Dead(p.reason());
              };
          if (outcomes.get(j) instanceof WriterStore.Outcome.Applied a && a.doc() != null)
            docs.add(a.doc());
        }
        search.enqueue(c, docs);
        c.commit();
        if (!docs.isEmpty()) search.committed();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    metrics.batch(batch.size());
    return List.of(fates);
  }

  /**
   * After the commit: counters, retry and dead-letter copies (confirmed), then one acknowledgement.
   */
  private void settle(List<Delivery> batch, List<Fate> fates)
      throws IOException, InterruptedException {
    List<WriterStore.Outcome.Applied> applied = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      switch (fates.get(i)) {
        case Fate.Done(var a) -> applied.add(a);
        case Fate.Retry(var reason) -> retryOrDead(batch.get(i), reason);
        case Fate.Dead(var reason) -> dead(batch.get(i), reason);
      }
    }
    counters.record(applied);
    confirm();
    ack(batch);
    metrics.acked(queue, batch.size());
  }

  private void settleDead(List<Delivery> batch, String reason) throws InterruptedException {
    try {
      for (Delivery d : batch) dead(d, reason);
      confirm();
      ack(batch);
    } catch (IOException e) {
      LOG.warn("writer {}: could not dead-letter, it will be redelivered: {}", queue, e.toString());
    }
  }

  private void retryOrDead(Delivery d, String reason) throws IOException {
    Map<String, Object> h = headers(d);
    long first =
        h.get("x-herald-first-seen") instanceof Number n
            ? n.longValue()
            : System.currentTimeMillis();
    int attempts = h.get("x-herald-attempts") instanceof Number n ? n.intValue() : 0;
    if (System.currentTimeMillis() - first > config.retryDeadline().toMillis()) {
      dead(
          d, reason + " after " + attempts + " attempts (deadline " + config.retryDeadline() + ")");
      return;
    }
    h.put("x-herald-first-seen", first);
    h.put("x-herald-attempts", attempts + 1);
    h.put("x-herald-reason", reason);
    long delay = Math.min(30_000, 250L << Math.min(attempts, 7));
    publish.basicPublish(
        "", queue + ".retry", props(d, h).expiration(Long.toString(delay)).build(), d.body());
    metrics.retried(queue);
  }

  private void dead(Delivery d, String reason) throws IOException {
    Map<String, Object> h = headers(d);
    h.put("x-herald-reason", reason);
    h.put("x-herald-queue", queue);
    publish.basicPublish("", queue + ".dlq", props(d, h).build(), d.body());
    metrics.deadLettered(queue);
    LOG.warn("writer {}: dead-lettered a message: {}", queue, reason);
  }

  private static Map<String, Object> headers(Delivery d) {
    return d.props() != null && d.props().getHeaders() != null
        ? new HashMap<>(d.props().getHeaders())
        : new HashMap<>();
  }

  private static AMQP.BasicProperties.Builder props(Delivery d, Map<String, Object> headers) {
    AMQP.BasicProperties.Builder b =
        new AMQP.BasicProperties.Builder()
            .deliveryMode(2)
            .headers(headers)
            .contentType("application/json");
    if (d.props() != null && d.props().getMessageId() != null)
      b.messageId(d.props().getMessageId());
    return b;
  }

  private void confirm() throws IOException, InterruptedException {
    try {
      publish.waitForConfirmsOrDie(10_000);
    } catch (TimeoutException e) {
      throw new IOException("broker did not confirm the retry or dead-letter copies", e);
    }
  }

  /**
   * Hands a batch back to the broker for redelivery (never left unacknowledged, which would stall
   * the prefetch).
   */
  private void requeue(List<Delivery> batch) {
    Delivery last = batch.getLast();
    if (last.epoch() != broker.epoch()) return;
    try {
      consume.basicNack(last.tag(), true, true);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "writer {}: could not requeue, the broker will redeliver on reconnect: {}",
          queue,
          e.toString());
    }
  }

  private void ack(List<Delivery> batch) throws IOException {
    Delivery last = batch.getLast();
    if (last.epoch() != broker.epoch())
      return; // the channel was recovered; these are redelivered (idempotent)
    consume.basicAck(last.tag(), true);
  }
}
