package io.herald.bench.chaos;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Every fault {@code herald chaos} knows, what it does, and which of the machine's own services it
 * stops: the run lists this before it starts, and asks for consent before any fault that stops a
 * service other engineers' tests and applications may be using.
 */
final class FaultCatalog {
  /**
   * One fault script. {@code stops} names the machine services it shuts down (empty: it stops
   * none).
   */
  record Fault(String name, String what, List<String> stops) {
    boolean stopsServices() {
      return !stops.isEmpty();
    }
  }

  static final List<Fault> FAULTS =
      List.of(
          new Fault(
              "kill-restart",
              "push-hub killed (SIGKILL) under load and restarted on its journal",
              List.of()),
          new Fault(
              "restart-storm",
              "push-hub stopped (SIGTERM) with --storm-clients connected, all reconnect at once",
              List.of()),
          new Fault(
              "stalled-consumer",
              "one client stops reading; it must be closed with 4008, the others unharmed",
              List.of()),
          new Fault(
              "half-close",
              "clients send a TCP FIN without a close frame; push-hub must end and count them",
              List.of()),
          new Fault(
              "disk-full",
              "push-hub's journal on a 512 KiB tmpfs that fills up (mounts it; needs root, else skipped)",
              List.of()),
          new Fault(
              "mariadb-restart",
              "report-listener while MariaDB on 127.0.0.1:3306 is shut down for 5 s",
              List.of("MariaDB")),
          new Fault(
              "rabbitmq-restart",
              "writer while RabbitMQ's application is stopped and started (rabbitmqctl stop_app)",
              List.of("RabbitMQ")),
          new Fault(
              "redis-restart",
              "telemetry while Redis on 127.0.0.1:6379 shuts down WITHOUT saving and starts again empty",
              List.of("Redis")),
          new Fault(
              "kafka-restart",
              "websocket consuming a Kafka broker started inside this JVM, which restarts",
              List.of()),
          new Fault(
              "sio-kill",
              "websocket with its history on disk killed (SIGKILL) under Socket.IO load",
              List.of()),
          new Fault(
              "cluster-kill",
              "three push-hub nodes on the machine's Redis (not stopped), one killed at a time",
              List.of()),
          new Fault(
              "redis-failover",
              "three push-hub nodes behind Redis Sentinel of the fault's own; the master SIGKILLed under load",
              List.of()),
          new Fault(
              "redis-cluster-failover",
              "three push-hub nodes on a Redis Cluster of the fault's own; "
                  + "the master of their channel's slot SIGKILLed under load",
              List.of()),
          new Fault(
              "nats-server-kill",
              "three push-hub nodes on a NATS cluster of the fault's own (R3); one server SIGKILLed under load",
              List.of()),
          new Fault(
              "engine-partition",
              "three push-hub nodes on the machine's Redis (not stopped); one cut from it for 5 s by a TCP proxy",
              List.of()),
          new Fault(
              "connect-storm",
              "--storm-clients connect at once to push-hub beside --clients that stay; their latency is measured",
              List.of()),
          new Fault(
              "connection-flood",
              "push-hub under ulimit -n 4096 flooded with 6,144 WebSocket upgrades; /health probed meanwhile",
              List.of()),
          new Fault(
              "soak",
              "--soak-seconds of staying, churning and publishing clients (only when named)",
              List.of()));

  /** What a plain {@code herald chaos} runs, in order: every fault but the soak. */
  static final List<String> DEFAULT =
      FAULTS.stream().map(Fault::name).filter(n -> !n.equals("soak")).toList();

  static final List<String> NAMES = FAULTS.stream().map(Fault::name).toList();

  private FaultCatalog() {}

  static Optional<Fault> find(String name) {
    return FAULTS.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** For picocli's completion and the option's description. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return NAMES.iterator();
    }
  }
}
