package io.herald.bench.chaos;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.herald.bench.load.Progress;
import io.herald.bench.scenario.WriterScenarios;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The writer while RabbitMQ misbehaves: messages for one chat are published at {@code rate} per
 * second with publisher confirms (a confirmed message is owed a row); a third of the way in the
 * broker closes the writer's connection ({@code rabbitmqctl close_connection}) mid-batch, two
 * thirds of the way in the broker restarts ({@code rabbitmqctl stop_app}, 3 s, {@code start_app}:
 * queues and persistent messages survive, every connection drops). Every confirmed message must
 * become exactly one row, and the chat's synced count must equal its rows (a redelivery counted
 * twice would show there).
 */
final class BrokerFault {
  private static final AMQP.BasicProperties PERSISTENT =
      new AMQP.BasicProperties.Builder().deliveryMode(2).build();
  private final ChaosConfig config;
  private final Progress progress;

  BrokerFault(ChaosConfig config, Progress progress) {
    this.config = config;
    this.progress = progress;
  }

  Tally run() throws Exception {
    if (!Shell.run(30, "rabbitmqctl -q status").ok())
      return Tally.skipped(
          "rabbitmq-restart", "RabbitMQ is not running (rabbitmqctl status failed)");
    Function<Target, RunningTarget> start =
        t -> {
          try {
            return RunningTarget.start(t, Ports.free(), config.out());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    WriterScenarios.reset(config.root(), start);
    RunningTarget server = start.apply(WriterScenarios.target(config.root(), 10));
    Ledger ledger = new Ledger();
    long attempted = 0;
    Pace pace = new Pace(config.rate(), config.seconds());
    long n = pace.ticks;
    Connection amqp = null;
    Channel ch = null;
    String closed = "", restarted = "";
    for (long i = 1; i <= n; i++) {
      pace.await(i - 1);
      if (i == n / 3) closed = closeWritersConnection();
      if (i == 2 * n / 3) restarted = restartBroker();
      attempted++;
      try {
        if (ch == null || !ch.isOpen()) {
          amqp = WriterScenarios.amqp();
          ch = amqp.createChannel();
          ch.confirmSelect();
          if (i == 1)
            publish(
                ch,
                "create_chats",
                "{\"application_id\":1,\"token\":\"bench\",\"number\":1,\"creator_id\":1}");
        }
        publish(
            ch,
            "create_messages",
            "{\"chat_id\":1,\"token\":\"bench\",\"chat_number\":1,\"number\":"
                + i
                + ",\"body\":\"chaos "
                + i
                + "\",\"creator_id\":1}");
        ch.waitForConfirmsOrDie(5_000);
        ledger.accepted.add(i);
      } catch (
          Exception
              e) { // not confirmed: not owed (it may still arrive, and is then counted as received)
        ledger.refused.incrementAndGet();
        ch = null;
        closeQuietly(amqp);
      }
      progress.tick("rabbitmq-restart: published", i, n);
    }
    closeQuietly(amqp);
    Set<Long> rows = awaitRows(ledger);
    Faults.sleep(3_000); // two count syncs (COUNT_SYNC_INTERVAL 1s)
    long count = chatCount();
    server.close();
    long lost = ledger.accepted.stream().filter(k -> !rows.contains(k)).count();
    long doubled = Math.max(0, count - rows.size());
    String verdict =
        lost == 0 && doubled == 0 && !closed.isEmpty() && !restarted.isEmpty() ? "PASS" : "FAIL";
    return new Tally(
        "rabbitmq-restart",
        1,
        attempted,
        ledger.accepted.size(),
        ledger.accepted.size(),
        rows.size(),
        lost,
        doubled,
        0,
        0,
        closed + "; " + restarted,
        verdict,
        "rows " + rows.size() + ", the chat's synced messages_count " + count);
  }

  private static void publish(Channel ch, String queue, String body) throws IOException {
    ch.basicPublish("", queue, PERSISTENT, body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The broker closes the writer's connection, as an operator or a broker-side error would; "" when
   * it could not.
   */
  private String closeWritersConnection() {
    Shell.Result list =
        Shell.run(30, "rabbitmqctl list_connections pid client_properties -q --no-table-headers");
    List<String> pids =
        list.output()
            .lines()
            .filter(l -> l.contains("herald-writer"))
            .map(l -> l.split("\\s+")[0])
            .toList();
    int done = 0;
    for (String pid : pids)
      if (Shell.run(30, "rabbitmqctl close_connection '" + pid + "' 'chaos: closed mid-batch'")
          .ok()) done++;
    progress.line("rabbitmq-restart: closed " + done + " writer connection(s) on the broker");
    return done > 0 ? "close_connection (" + done + ")" : "";
  }

  private String restartBroker() {
    progress.line("rabbitmq-restart: rabbitmqctl stop_app, 3 s, start_app");
    Shell.Result stop = Shell.run(120, "rabbitmqctl stop_app");
    Faults.sleep(3_000);
    Shell.Result start = Shell.run(120, "rabbitmqctl start_app && rabbitmqctl await_startup");
    return stop.ok() && start.ok() ? "broker restarted" : "";
  }

  /** The message numbers with a row, once every confirmed one has one or 60 s pass. */
  private Set<Long> awaitRows(Ledger ledger) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    Set<Long> rows = new HashSet<>();
    while (System.nanoTime() < deadline) {
      Set<Long> now = query("SELECT number FROM messages");
      rows = now;
      long missing = ledger.accepted.stream().filter(k -> !now.contains(k)).count();
      progress.tick(
          "rabbitmq-restart: rows written",
          ledger.accepted.size() - missing,
          ledger.accepted.size());
      if (missing == 0) break;
      Faults.sleep(500);
    }
    return rows;
  }

  private static long chatCount() throws Exception {
    return query("SELECT messages_count FROM chats").stream().mapToLong(Long::longValue).sum();
  }

  private static Set<Long> query(String sql) throws Exception {
    try (var c = DriverManager.getConnection(WriterScenarios.URL);
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      Set<Long> out = new HashSet<>();
      while (rs.next()) out.add(rs.getLong(1));
      return out;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      if (c != null && c.isOpen()) c.close();
    } catch (Exception ignored) {
      // the broker is gone: nothing to close
    }
  }
}
