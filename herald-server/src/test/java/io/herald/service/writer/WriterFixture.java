package io.herald.service.writer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.herald.service.ServiceServer;
import io.herald.store.Namespace;
import io.herald.store.mysql.DatabaseConfig;
import io.herald.transport.server.HeraldServer;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The real services of this machine for the writer: a fresh MariaDB database, Redis database 8
 * emptied, and the writer's RabbitMQ queues purged; a Herald writer started on them; helpers to
 * publish and to look.
 */
final class WriterFixture implements AutoCloseable {
  static final String REDIS = "redis://127.0.0.1:6379/8";
  final String dbName =
      "herald_wr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  final Connection amqp;
  final Channel channel;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  HeraldServer server;
  int port;

  WriterFixture() throws Exception {
    try (var c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "")) {
      c.createStatement().execute("CREATE DATABASE " + dbName);
    }
    RedisClient rc = RedisClient.create(REDIS);
    try (var conn = rc.connect()) {
      conn.sync().flushdb();
    } finally {
      rc.shutdown();
    }
    ConnectionFactory f = new ConnectionFactory();
    f.setUri("amqp://guest:guest@127.0.0.1:5672");
    amqp = f.newConnection("herald-writer-test");
    channel = amqp.createChannel();
    for (String q : WriterService.QUEUES) {
      Broker.declare(channel, q);
      for (String s : List.of("", ".retry", ".dlq")) channel.queuePurge(q + s);
    }
  }

  WriterConfig config(int prefetch, Duration retryDeadline) {
    return config(prefetch, retryDeadline, Optional.empty());
  }

  WriterConfig config(int prefetch, Duration retryDeadline, Optional<String> searchUrl) {
    return config(prefetch, retryDeadline, searchUrl, Duration.ofMillis(300));
  }

  /**
   * @param countSync how often counts go from Redis to MariaDB (COUNT_SYNC_INTERVAL)
   */
  WriterConfig config(
      int prefetch, Duration retryDeadline, Optional<String> searchUrl, Duration countSync) {
    return new WriterConfig(
        new DatabaseConfig("127.0.0.1", 3306, "root", "", dbName, 10),
        2,
        REDIS,
        "amqp://guest:guest@127.0.0.1:5672/",
        countSync,
        prefetch,
        searchUrl,
        1000,
        retryDeadline,
        Namespace.DEFAULT);
  }

  void start(WriterConfig config) throws Exception {
    server = another(config);
    port = server.port();
  }

  /** One more writer instance on the same queues, database and Redis; stopped on close. */
  HeraldServer another(WriterConfig config) throws Exception {
    HeraldServer s = ServiceServer.of(new WriterService(config)).loops(1).start().server();
    if (server != null) toClose.add(() -> s.stop().await());
    return s;
  }

  void stop() {
    if (server != null) server.stop().await();
    server = null;
  }

  /** An application row, as the API that owns the table creates it. */
  void application(String token) throws SQLException {
    try (var c = sql();
        var p = c.prepareStatement("INSERT INTO applications (token, name) VALUES (?, 'test')")) {
      p.setString(1, token);
      p.executeUpdate();
    }
  }

  java.sql.Connection sql() throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + dbName, "root", "");
  }

  long scalar(String query) throws SQLException {
    try (var c = sql();
        ResultSet rs = c.createStatement().executeQuery(query)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  String string(String query) throws SQLException {
    try (var c = sql();
        ResultSet rs = c.createStatement().executeQuery(query)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  void publish(String queue, String json) throws Exception {
    channel.basicPublish(
        "",
        queue,
        new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
        json.getBytes(StandardCharsets.UTF_8));
  }

  static String chat(String token, int number) {
    return "{\"application_id\":1,\"token\":\""
        + token
        + "\",\"number\":"
        + number
        + ",\"creator_id\":7}";
  }

  static String message(String token, int chat, int number, String body) {
    return "{\"chat_id\":1,\"token\":\""
        + token
        + "\",\"chat_number\":"
        + chat
        + ",\"number\":"
        + number
        + ",\"body\":\""
        + body
        + "\",\"creator_id\":7}";
  }

  static String update(String token, int chat, int number, String body) {
    return "{\"chat_id\":1,\"token\":\""
        + token
        + "\",\"chat_number\":"
        + chat
        + ",\"number\":"
        + number
        + ",\"body\":\""
        + body
        + "\"}";
  }

  /** Takes every message waiting in {@code queue} (for the dead-letter queues). */
  List<GetResponse> drain(String queue) throws Exception {
    List<GetResponse> out = new ArrayList<>();
    for (GetResponse r; (r = channel.basicGet(queue, true)) != null; ) out.add(r);
    return out;
  }

  /**
   * Has the broker force-close the writer's own connection (not this fixture's); returns how many
   * were closed.
   */
  int closeWriterConnections() throws Exception {
    Process list =
        new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "name", "client_properties")
            .redirectErrorStream(true)
            .start();
    List<String> names = new ArrayList<>();
    for (String line :
        new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("\"connection_name\",\"herald-writer\""))
        names.add(line.substring(0, line.indexOf('\t')));
    }
    list.waitFor();
    for (String n : names)
      new ProcessBuilder("rabbitmqctl", "-q", "close_connection", n, "herald test: forced close")
          .start()
          .waitFor();
    return names.size();
  }

  long depth(String queue) throws Exception {
    return channel.queueDeclarePassive(queue).getMessageCount();
  }

  @Override
  public void close() throws Exception {
    stop();
    for (AutoCloseable c : toClose) c.close();
    amqp.close();
    try (var c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "")) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + dbName);
    }
  }
}
