package io.herald.app;

import io.herald.cli.Cli;
import io.herald.config.ConfigException;
import io.herald.config.Env;
import io.herald.service.pushhub.PushHubService;
import io.herald.service.reportlistener.ReportListenerService;
import io.herald.service.siotest.SioTestService;
import io.herald.service.telemetry.TelemetryService;
import io.herald.service.websocket.WebsocketConfig;
import io.herald.service.websocket.WebsocketService;
import io.herald.service.writer.WriterService;
import io.herald.store.Stores;
import io.herald.transport.admin.AdminPage;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code herald <service>}: reads the environment, starts the service(s), stops gracefully on
 * SIGTERM/SIGINT.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    // `herald <service>` goes straight to the service, without building the command tree: start-up
    // time is measured
    // (the bench's startup scenario) and a service name needs no parsing. Everything else is
    // HeraldCommand's.
    if (args.length == 1) {
      var name = ServiceName.parse(args[0]);
      if (name.isPresent()) {
        serve(name.get(), t0);
        return;
      }
    }
    System.exit(Cli.execute(HeraldCommand.commandLine(), args));
  }

  /**
   * Runs {@code name} until SIGTERM or SIGINT, then exits: 0 after a graceful stop, 1 when it
   * cannot start, 2 on bad configuration.
   */
  static void serve(ServiceName name, long t0) throws Exception {
    if (!name.implemented) {
      System.err.println(
          "herald: service '"
              + name.cli
              + "' is not implemented yet; see README.md for its status");
      System.exit(2);
    }
    AppConfig config;
    try {
      config = AppConfig.from(Env.system(), name);
    } catch (ConfigException e) {
      System.err.println("herald: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Logback reads these when the first logger is created, which is only now.
    System.setProperty("herald.log.level", config.logLevel().toUpperCase());
    System.setProperty("herald.log.format", config.logFormat());
    Logger log = LoggerFactory.getLogger(Main.class);
    HeraldServer server = null;
    List<Choice> plan = plan(name, config);
    if (config.warmup().enabled()
        && plan.stream().anyMatch(c -> c.service() instanceof PushHubService)) {
      Warmup.before(config.warmup(), config.server(), config.hub(), config.pushHub());
    }
    try {
      server =
          new HeraldServer(
              config.server(),
              config.hub(),
              new Stores(config.engine()),
              plan.stream().filter(c -> c.service() != null).map(Choice::service).toList());
      server.start().await();
    } catch (
        Exception
            e) { // await() also throws checked ones (a port in use is a NativeIoException): exit,
      // never linger
      log.error(
          "herald {} could not start on {}:{}: {}",
          name.cli,
          config.server().host(),
          config.server().port(),
          e.toString());
      System.exit(1);
    }
    // One line per service, started or skipped and why, then the configuration of those that run
    // (secrets masked).
    for (Choice c : plan)
      log.info("  {} {}: {}", c.service() == null ? "skipped" : "started", c.name(), c.why());
    for (Choice c : plan)
      if (c.service() != null) log.info("  {} config: {}", c.name(), c.config());
    log.info(
        "herald {} ready on {}:{} ({}, {} event loops) in {} ms",
        name.cli,
        config.server().host(),
        server.port(),
        server.transportName(),
        config.server().eventLoops(),
        (System.nanoTime() - t0) / 1_000_000);
    awaitSignal();
    log.info(
        "shutting down: closing clients with 1001, draining up to {}",
        config.server().shutdownTimeout());
    server.stop().await();
    log.info("stopped");
    System.exit(0);
  }

  /**
   * A service `herald` was asked for: started (service set) or skipped, and why; its configuration
   * as it may be logged.
   */
  record Choice(String name, Service service, String why, Object config) {}

  private static Choice run(String name, Service service, String why, Object config) {
    return new Choice(name, service, why, config);
  }

  private static Choice skip(String name, String why) {
    return new Choice(name, null, why, null);
  }

  /**
   * Which services run: the one named, or under `all` each one whose dependencies are configured or
   * embedded.
   */
  static List<Choice> plan(ServiceName name, AppConfig config) {
    boolean all = name == ServiceName.ALL;
    List<Choice> list = new ArrayList<>();
    if (all || name == ServiceName.PUSH_HUB)
      list.add(
          run(
              "push-hub",
              new PushHubService(config.pushHub()),
              config.engine().shared()
                  ? "on the "
                      + config.engine().kind().label()
                      + " engine (HERALD_ENGINE): channel shared with every node"
                  : "needs nothing external",
              config.pushHub()));
    if (name == ServiceName.REPORT_LISTENER || (all && config.databaseConfigured())) {
      list.add(
          run(
              "report-listener",
              new ReportListenerService(config.reportListener(), config.pushHub().ws()),
              "tails the reports table of DB_HOST",
              config.reportListener()));
    } else if (all) {
      list.add(skip("report-listener", "DB_HOST is not set (it tails a MariaDB table)"));
    }
    if (name == ServiceName.TELEMETRY || (all && config.telemetry().jwtConfigured())) {
      list.add(
          run(
              "telemetry",
              new TelemetryService(config.telemetry()),
              "JWT_SECRET is set",
              config.telemetry()));
    } else if (all) {
      list.add(
          skip(
              "telemetry",
              "JWT_SECRET is not set (it cannot check the tokens of its clients without it)"));
    }
    if (name == ServiceName.WRITER || (all && config.brokerConfigured())) {
      list.add(
          run(
              "writer",
              new WriterService(config.writer()),
              "consumes RABBITMQ_URL",
              config.writer()));
    } else if (all) {
      list.add(
          skip("writer", "RABBITMQ_URL is not set (it consumes RabbitMQ queues into MariaDB)"));
    }
    if (all || name == ServiceName.WEBSOCKET) {
      WebsocketConfig ws = config.websocket();
      boolean kafka = ws.kafkaEnabled() && (name == ServiceName.WEBSOCKET || ws.kafkaConfigured());
      String why =
          kafka
              ? "Socket.IO, HTTP broadcasts and Kafka at " + ws.kafka().brokers()
              : "Socket.IO and HTTP broadcasts; no Kafka ("
                  + (ws.kafkaEnabled() ? "KAFKA_BROKERS is not set" : "HERALD_KAFKA_ENABLED=false")
                  + ")";
      // Under `all`, REDIS_URL alone does not share broadcasts (AppConfig): say so, since `herald
      // websocket` does.
      if (all && !config.engine().shared())
        why += "; broadcasts reach this node's sockets only (HERALD_ENGINE=redis shares them)";
      list.add(run("websocket", new WebsocketService(ws, kafka), why, ws));
    }
    if (name == ServiceName.SIO_TESTSERVER) {
      list.add(
          run(
              "sio-testserver",
              new SioTestService(),
              "the protocol-test profile",
              "fixed: heartbeat 300/200 ms, connect timeout 1 s, maxPayload 1000000"));
    }
    if (config.admin().enabled()) {
      // Last: it lists the services started before it.
      List<String> names =
          list.stream().filter(c -> c.service() != null).map(Choice::name).toList();
      list.add(
          run(
              "admin",
              new AdminPage(config.admin(), names),
              "HERALD_ADMIN_KEY is set: the operator's page at /admin",
              config.admin()));
    }
    return list;
  }

  /**
   * Blocks until SIGTERM or SIGINT. Handling the signals ourselves (not a shutdown hook) lets us
   * exit 0.
   */
  private static void awaitSignal() throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> latch.countDown());
    Signal.handle(new Signal("INT"), s -> latch.countDown());
    latch.await();
  }
}
