package io.herald.app;

import java.util.Arrays;
import java.util.Optional;

/**
 * The services `herald` can run, with their seed's default port and whether Herald implements them
 * yet.
 */
enum ServiceName {
  ALL(
      "all",
      8080,
      true,
      "every implemented service on one port (report-listener when DB_HOST is set, telemetry when "
          + "JWT_SECRET is, writer when RABBITMQ_URL is, websocket's Kafka source when KAFKA_BROKERS is)"),
  PUSH_HUB(
      "push-hub",
      8080,
      true,
      "WebSocket push hub: /ws, POST /api/v1/broadcast, example page (seed 004)"),
  REPORT_LISTENER(
      "report-listener", 8080, true, "tails the reports table, /api/v3/reports/listen (seed 000)"),
  TELEMETRY(
      "telemetry",
      8081,
      true,
      "JWT short and long polling and SSE, /v1/polling/*, /v1/stream/* (seed 001)"),
  WEBSOCKET(
      "websocket",
      3002,
      true,
      "Socket.IO rooms, JWT or anonymous, Kafka topics, /api/broadcast/* (seed 003)"),
  WRITER(
      "writer",
      8082,
      true,
      "RabbitMQ queues into MariaDB, Redis counters, search index (seed 002)"),
  SIO_TESTSERVER(
      "sio-testserver",
      3000,
      true,
      "protocol-test profile: what the official Engine.IO v4 and Socket.IO v5 test suites expect (not part of all)");

  final String cli;
  final int defaultPort;
  final boolean implemented;
  final String summary;

  ServiceName(String cli, int defaultPort, boolean implemented, String summary) {
    this.cli = cli;
    this.defaultPort = defaultPort;
    this.implemented = implemented;
    this.summary = summary;
  }

  static Optional<ServiceName> parse(String s) {
    return Arrays.stream(values()).filter(v -> v.cli.equals(s)).findFirst();
  }
}
