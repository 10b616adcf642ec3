package io.herald.bench.scenario;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.herald.bench.load.Progress;
import io.herald.bench.load.Resp;
import io.herald.bench.report.WriterResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The writer's targets (issue 5): a queued backlog consumed and committed per second at a given
 * prefetch, and the count sync of many changed counters. Herald alone, on this machine's RabbitMQ,
 * MariaDB and Redis.
 */
public final class WriterScenarios {
  static final String DATABASE = "herald_bench_writer";
  static final int REDIS_DB = 9;
  private static final String ADMIN = "jdbc:mariadb://127.0.0.1:3306/?user=root&password=";
  public static final String URL =
      "jdbc:mariadb://127.0.0.1:3306/" + DATABASE + "?user=root&password=";
  private static final List<String> QUEUES =
      List.of("create_chats", "create_messages", "update_messages");

  private WriterScenarios() {}

  public static Target target(Path root, int prefetch) {
    return new Target(
        "herald-writer",
        List.of(root.resolve("herald").toString(), "writer"),
        Map.of(
            "HERALD_HOST",
            "127.0.0.1",
            "DATABASE_HOST",
            "127.0.0.1",
            "DATABASE_PASSWORD",
            "",
            "DATABASE_NAME",
            DATABASE,
            "REDIS_URL",
            "redis://127.0.0.1:6379/" + REDIS_DB,
            "RABBITMQ_URL",
            "amqp://guest:guest@127.0.0.1:5672/",
            "RABBITMQ_PREFETCH_COUNT",
            Integer.toString(prefetch),
            "COUNT_SYNC_INTERVAL",
            "1s"));
  }

  /**
   * A fresh database, Redis database and queues; then the writer once, to create its tables, and
   * the application.
   */
  public static void reset(Path root, Function<Target, RunningTarget> start) throws Exception {
    try (var c = DriverManager.getConnection(ADMIN)) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
      c.createStatement().execute("CREATE DATABASE " + DATABASE);
    }
    try (Resp r = new Resp(REDIS_DB)) {
      r.call(List.of("FLUSHDB"));
    }
    try (Connection amqp = amqp();
        Channel ch = amqp.createChannel()) {
      for (String q : QUEUES)
        for (String s : List.of("", ".retry", ".dlq")) {
          ch.queueDeclare(
              q + s,
              true,
              false,
              false,
              s.equals(".retry")
                  ? Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", q)
                  : null);
          ch.queuePurge(q + s);
        }
    }
    try (RunningTarget rt = start.apply(target(root, 1))) {
      // /health answered 200: tables exist
    }
    try (var c = DriverManager.getConnection(URL)) {
      c.createStatement()
          .execute("INSERT INTO applications (token, name) VALUES ('bench', 'bench')");
    }
  }

  public static Connection amqp() throws Exception {
    return amqp("amqp://guest:guest@127.0.0.1:5672");
  }

  private static Connection amqp(String url) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(url);
    if (URI.create(url).getRawPath() != null && URI.create(url).getRawPath().equals("/"))
      f.setVirtualHost("/");
    return f.newConnection("herald-bench");
  }

  /**
   * Queues {@code chats} chats and {@code messages} messages spread over them, confirmed by the
   * broker.
   */
  public static void fill(int chats, int messages, Progress p) throws Exception {
    fill("amqp://guest:guest@127.0.0.1:5672", "bench", chats, messages, p);
  }

  /**
   * {@code writer-load}: queues {@code chats} chats and {@code messages} messages for application
   * {@code token} on any broker, for trying a running writer (the application row must exist in its
   * database).
   */
  public static void fill(String url, String token, int chats, int messages, Progress p)
      throws Exception {
    AMQP.BasicProperties durable = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    try (Connection amqp = amqp(url);
        Channel ch = amqp.createChannel()) {
      ch.confirmSelect();
      for (int i = 1; i <= chats; i++) {
        ch.basicPublish(
            "",
            "create_chats",
            durable,
            ("{\"application_id\":1,\"token\":\""
                    + token
                    + "\",\"number\":"
                    + i
                    + ",\"creator_id\":1}")
                .getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 1; i <= messages; i++) {
        int chat = 1 + i % chats;
        ch.basicPublish(
            "",
            "create_messages",
            durable,
            ("{\"chat_id\":1,\"token\":\""
                    + token
                    + "\",\"chat_number\":"
                    + chat
                    + ",\"number\":"
                    + i
                    + ",\"body\":\"benchmark message number "
                    + i
                    + "\",\"creator_id\":1}")
                .getBytes(StandardCharsets.UTF_8));
        if (i % 1000 == 0) {
          ch.waitForConfirmsOrDie(30_000);
          p.tick("queueing messages", i, messages);
        }
      }
      ch.waitForConfirmsOrDie(30_000);
    }
  }

  public static long count(String table) throws Exception {
    try (var c = DriverManager.getConnection(URL);
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Starts the writer on a queued backlog and times it until every message is committed. */
  static WriterResult drain(RunningTarget rt, int prefetch, int messages, Progress p)
      throws Exception {
    ProcStats s0 = rt.stats();
    long t0 = System.nanoTime();
    long done;
    while ((done = count("messages")) < messages) {
      p.tick("committed", done, messages);
      if (System.nanoTime() - t0 > 600_000_000_000L) break;
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    ProcStats s1 = rt.stats();
    WriterResult r =
        new WriterResult(
            "writer",
            prefetch,
            done,
            seconds,
            done / seconds,
            s1.cpuSeconds() - s0.cpuSeconds(),
            s1.rssBytes());
    p.line(
        String.format(
            "prefetch %d: %d messages committed in %.2f s = %.0f/s, server cpu %.2f s",
            prefetch, done, seconds, r.perSec(), r.serverCpuSeconds()));
    return r;
  }

  /**
   * Marks {@code n} chats' counts as changed at once and reads how long the writer's next sync
   * took.
   */
  static WriterResult countSync(RunningTarget rt, int n, Progress p) throws Exception {
    try (var c = DriverManager.getConnection(URL)) {
      c.setAutoCommit(false);
      var st = c.createStatement();
      for (int from = 1; from <= n; from += 1000) {
        StringBuilder sql = new StringBuilder("INSERT INTO chats (application_id, number) VALUES ");
        for (int i = from; i < from + 1000 && i <= n; i++)
          sql.append(i == from ? "" : ",").append("(1,").append(i).append(')');
        st.executeUpdate(sql.toString());
        p.tick("inserting chats", Math.min(n, from + 999), n);
      }
      c.commit();
    }
    List<Long> ids = new ArrayList<>();
    try (var c = DriverManager.getConnection(URL);
        ResultSet rs = c.createStatement().executeQuery("SELECT id FROM chats")) {
      while (rs.next()) ids.add(rs.getLong(1));
    }
    try (Resp r = new Resp(REDIS_DB)) {
      for (int i = 0; i < ids.size(); i += 1000) {
        List<String> cmd = new ArrayList<>(List.of("SADD", "herald:bench:dirty"));
        for (long id : ids.subList(i, Math.min(ids.size(), i + 1000))) cmd.add(Long.toString(id));
        r.call(cmd);
      }
      r.call(
          List.of(
              "RENAME",
              "herald:bench:dirty",
              "herald:writer:dirty:messages_count")); // all at once, for the next sync
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Map<String, Double> m = metrics(rt.port);
      if (m.getOrDefault("herald_writer_count_sync_last_ids", 0.0) >= ids.size()) {
        double s = m.get("herald_writer_count_sync_last_seconds");
        WriterResult r =
            new WriterResult(
                "countsync", 0, ids.size(), s, ids.size() / s, 0, rt.stats().rssBytes());
        p.line(String.format("count sync of %d changed counters: %.3f s", ids.size(), s));
        return r;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the writer did not sync " + ids.size() + " counters within 60 s");
  }

  private static Map<String, Double> metrics(int port) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> m = new HashMap<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("herald_writer_count_sync_last"))
        m.put(
            line.substring(0, line.indexOf(' ')),
            Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
    }
    return m;
  }
}
