package io.herald.service.reportlistener;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.HubConfig;
import io.herald.core.hub.Subscriber;
import io.herald.protocol.json.Json;
import io.herald.service.ServiceServer;
import io.herald.testkit.Http;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.ws.WsConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A report listener in the test's JVM on a test database, with every batch its hub published
 * recorded.
 */
final class ReportListenerFixture {
  private ReportListenerFixture() {}

  /** Every batch the hub published, as parsed data objects; subscribed before the tail starts. */
  static final class Batches implements Subscriber {
    final List<JsonNode> data = new CopyOnWriteArrayList<>();

    public void replay(Replay r) {}

    public void deliver(Frame f) {
      try {
        data.add(Json.MAPPER.readTree(f.event().data()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    List<Long> seqs() {
      return data.stream()
          .flatMap(
              d -> {
                List<Long> s = new ArrayList<>();
                d.get("reports").forEach(r -> s.add(r.get("seq").asLong()));
                return s.stream();
              })
          .toList();
    }
  }

  record Running(HeraldServer server, Batches batches, int port) implements AutoCloseable {
    public void close() {
      server.stop().await();
    }
  }

  static Running start(
      TestDatabase db, String serviceName, int batchMax, int maxReplay, HubConfig hub)
      throws IOException {
    var cfg =
        new ReportListenerConfig(
            db.config(),
            Duration.ofMillis(200),
            batchMax,
            Duration.ofMillis(500),
            maxReplay,
            serviceName);
    Batches batches = new Batches();
    ServiceServer running =
        ServiceServer.of(new ReportListenerService(cfg, WsConfig.DEFAULT))
            .hub(hub)
            .beforeStart(
                s -> s.context().engine().subscribe(ReportTail.CHANNEL, batches, Runnable::run, -1))
            .start();
    HeraldServer server = running.server();
    int port = running.port();
    Running r = new Running(server, batches, port);
    // Tailing (200), or standing by behind another instance with the same checkpoint (503,
    // "standby").
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              var h = Http.get(port, "/api/v3/reports/health");
              return h.statusCode() == 200 || h.body().contains("\"status\":\"standby\"");
            });
    return r;
  }
}
