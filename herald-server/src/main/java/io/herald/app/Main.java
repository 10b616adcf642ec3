package io.herald.app;

import io.herald.config.ConfigException;
import io.herald.config.Env;
import io.herald.service.pushhub.PushHubService;
import io.herald.service.reportlistener.ReportListenerService;
import io.herald.service.telemetry.TelemetryService;
import io.herald.service.websocket.WebsocketConfig;
import io.herald.service.websocket.WebsocketService;
import io.herald.service.writer.WriterService;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.Service;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** {@code herald <service>}: reads the environment, starts the service(s), stops gracefully on SIGTERM/SIGINT. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    if (args.length != 1 || args[0].equals("--help") || args[0].equals("-h")) {
      usage(args.length == 1 ? System.out : System.err);
      System.exit(args.length == 1 ? 0 : 2);
    }
    ServiceName name = ServiceName.parse(args[0]).orElse(null);
    if (name == null) {
      System.err.println("herald: unknown service '" + args[0] + "'");
      usage(System.err);
      System.exit(2);
    }
    if (!name.implemented) {
      System.err.println("herald: service '" + name.cli + "' is not implemented yet; see README.md for its status");
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
    try {
      server = new HeraldServer(config.server(), config.hub(), services(name, config));
      server.start().await();
    } catch (RuntimeException e) {
      log.error("herald {} could not start on {}:{}: {}", name.cli, config.server().host(), config.server().port(), e.toString());
      System.exit(1);
    }
    log.info("herald {} ready on {}:{} in {} ms (pushHub={}, reportListener={}, telemetry={}, writer={}, websocket={})", name.cli, config.server().host(), server.port(),
        (System.nanoTime() - t0) / 1_000_000, config.pushHub(), config.reportListener(), config.telemetry(), config.writer(), config.websocket());
    awaitSignal();
    log.info("shutting down: closing clients with 1001, draining up to {}", config.server().shutdownTimeout());
    server.stop().await();
    log.info("stopped");
    System.exit(0);
  }

  private static List<Service> services(ServiceName name, AppConfig config) {
    List<Service> list = new ArrayList<>();
    if (name == ServiceName.ALL || name == ServiceName.PUSH_HUB) list.add(new PushHubService(config.pushHub()));
    // report-listener needs a database: `all` runs it only when one is configured, so `herald all` works anywhere.
    if (name == ServiceName.REPORT_LISTENER || (name == ServiceName.ALL && config.databaseConfigured())) {
      list.add(new ReportListenerService(config.reportListener(), config.pushHub().ws()));
    }
    // telemetry needs the JWT secret its tokens are signed with: `all` runs it only when JWT_SECRET is set.
    if (name == ServiceName.TELEMETRY || (name == ServiceName.ALL && config.telemetry().jwtConfigured())) {
      list.add(new TelemetryService(config.telemetry()));
    }
    // writer needs RabbitMQ, MariaDB and Redis: `all` runs it only when RABBITMQ_URL is set.
    if (name == ServiceName.WRITER || (name == ServiceName.ALL && config.brokerConfigured())) {
      list.add(new WriterService(config.writer()));
    }
    // websocket runs under `all` too (HTTP broadcasts need nothing); it consumes Kafka there only when KAFKA_BROKERS is set.
    if (name == ServiceName.WEBSOCKET || name == ServiceName.ALL) {
      WebsocketConfig ws = config.websocket();
      list.add(new WebsocketService(ws, ws.kafkaEnabled() && (name == ServiceName.WEBSOCKET || ws.kafkaConfigured())));
    }
    if (name == ServiceName.SIO_TESTSERVER) list.add(new io.herald.service.siotest.SioTestService());
    return list;
  }

  /** Blocks until SIGTERM or SIGINT. Handling the signals ourselves (not a shutdown hook) lets us exit 0. */
  private static void awaitSignal() throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> latch.countDown());
    Signal.handle(new Signal("INT"), s -> latch.countDown());
    latch.await();
  }

  private static void usage(PrintStream out) {
    out.println("usage: herald <service>\n\nservices:");
    for (ServiceName s : ServiceName.values()) {
      out.printf("  %-16s %s%s%n", s.cli, s.summary, s.implemented ? "" : "  [not implemented yet]");
    }
    out.println("\nConfiguration is read from the environment; docs/<service>.md lists every variable per service (docs/shared.md the shared ones).");
  }
}
