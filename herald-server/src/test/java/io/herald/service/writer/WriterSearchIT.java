package io.herald.service.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer's search indexing against a real OpenSearch node started inside this JVM. */
class WriterSearchIT {
  private static final PrintStream OUT = System.out,
      ERR = System.err; // OpenSearch replaces them (STACK.md G6)
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static OpenSearchRunner runner;
  static int httpPort;
  WriterFixture fx;

  @BeforeAll
  static void startSearch() throws Exception {
    // Earlier test classes in this JVM already started Netty (Vert.x, Lettuce), which fixed Netty's
    // processor count;
    // OpenSearch would refuse to set it again.
    System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
    httpPort = Ports.free();
    int transportPort = Ports.free();
    runner = new OpenSearchRunner();
    runner
        .onBuild(
            (number, settings) -> {
              settings.put("http.port", httpPort);
              settings.put("transport.port", transportPort);
              settings.put("network.host", "127.0.0.1");
            })
        .build(
            OpenSearchRunner.newConfigs()
                .numOfNode(1)
                .clusterName("herald-writer-test")
                .basePath(Files.createTempDirectory("herald-opensearch").toString())
                .printOnFailure());
    runner.ensureYellow();
  }

  @AfterAll
  static void stopSearch() throws Exception {
    runner.close();
    runner.clean();
    System.setOut(OUT);
    System.setErr(ERR);
  }

  @BeforeEach
  void setUp() throws Exception {
    fx = new WriterFixture();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  static JsonNode search(String query) throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/messages/_refresh"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/messages/_search"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(query))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void messagesAreIndexedWithTheSeedsIdAndAnUpdateReindexes() throws Exception {
    fx.start(fx.config(20, Duration.ofMinutes(1), Optional.of("http://127.0.0.1:" + httpPort)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Http.get(fx.port, "/health").statusCode() == 200);
    fx.application("searchapp");
    fx.publish("create_chats", WriterFixture.chat("searchapp", 3));
    fx.publish(
        "create_messages", WriterFixture.message("searchapp", 3, 1, "hello opensearch world"));
    fx.publish("create_messages", WriterFixture.message("searchapp", 3, 2, "something else"));
    String match = "{\"query\":{\"match\":{\"body\":\"opensearch\"}}}";
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> search(match).at("/hits/total/value").asInt() == 1);
    JsonNode hit = search(match).at("/hits/hits/0");
    assertThat(hit.get("_id").asText()).isEqualTo("searchapp:3:1");
    assertThat(hit.at("/_source/token").asText()).isEqualTo("searchapp");
    assertThat(hit.at("/_source/chat_number").asInt()).isEqualTo(3);
    fx.publish(
        "update_messages", WriterFixture.update("searchapp", 3, 2, "now about opensearch too"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> search(match).at("/hits/total/value").asInt() == 2);
    assertThat(fx.scalar("SELECT COUNT(*) FROM herald_search_outbox")).isZero();
  }

  @Test
  void withSearchDownTheDatabaseWriteGoesThroughAndIndexingCatchesUpLater() throws Exception {
    int searchPort = Ports.free(); // nothing listens here yet
    fx.start(fx.config(20, Duration.ofMinutes(1), Optional.of("http://127.0.0.1:" + searchPort)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                fx.scalar(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
                            + fx.dbName
                            + "' AND table_name = 'applications'")
                    == 1);
    fx.application("offline");
    fx.publish("create_chats", WriterFixture.chat("offline", 1));
    fx.publish("create_messages", WriterFixture.message("offline", 1, 1, "queued for the index"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM messages") == 1);
    assertThat(fx.scalar("SELECT COUNT(*) FROM herald_search_outbox")).isEqualTo(1);
    assertThat(Http.get(fx.port, "/health").statusCode()).isEqualTo(503); // search is down
    // The same writer, restarted against the real node: the outbox is drained.
    fx.stop();
    fx.start(fx.config(20, Duration.ofMinutes(1), Optional.of("http://127.0.0.1:" + httpPort)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM herald_search_outbox") == 0);
    assertThat(
            search("{\"query\":{\"ids\":{\"values\":[\"offline:1:1\"]}}}")
                .at("/hits/total/value")
                .asInt())
        .isEqualTo(1);
  }
}
