package io.herald.transport.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.hub.HubConfig;
import io.herald.service.pushhub.PushHubConfig;
import io.herald.service.pushhub.PushHubService;
import io.herald.store.Stores;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import io.herald.testkit.WsClient;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: a connection that sends no head, or trickles one, is closed when HERALD_HEADER_TIMEOUT
 * (1 s here) has passed; so is an idle keep-alive connection; a WebSocket that outlives it is not
 * touched.
 */
class HeadDeadlineTest {
  private HeraldServer server;
  private int port;
  private final Vertx vertx = Vertx.vertx();

  @BeforeEach
  void start() {
    port = Ports.free();
    server =
        new HeraldServer(
            new ServerConfig("127.0.0.1", port, 2, 64 * 1024, Duration.ofSeconds(5))
                .withHeaderTimeout(Duration.ofSeconds(1)),
            HubConfig.DEFAULT,
            Stores.local(),
            List.of(new PushHubService(PushHubConfig.DEFAULT)));
    server.start().await();
  }

  @AfterEach
  void stop() {
    server.stop().await();
    vertx.close().await();
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      long t0 = System.nanoTime();
      assertThat(readToEnd(s)).isEmpty();
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(700L, 4_000L);
    }
  }

  @Test
  void aHeadTrickledByteByByteIsCutOff() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      byte[] head =
          "GET /health HTTP/1.1\r\nHost: x\r\nX-A: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII);
      long t0 = System.nanoTime();
      int sent = 0;
      try {
        for (byte b : head) { // 100 ms a byte: the whole head would take 7 s
          out.write(b);
          out.flush();
          sent++;
          Thread.sleep(100); // the trickle's pace
          if (s.getInputStream().available() > 0 || (System.nanoTime() - t0) > 5_000_000_000L)
            break;
        }
      } catch (SocketException closed) {
        // the server closed it while we were still writing: what we want
      }
      assertThat(sent).as("bytes written before the server gave up").isLessThan(head.length);
      assertThat(readToEnd(s))
          .as("closed by the server, no response to a head never finished")
          .doesNotContain("HTTP/1.1 200")
          .doesNotContain(STILL_OPEN);
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000L);
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsResponse() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String all =
          readToEnd(s); // the response, then the end once the connection idled for the timeout
      assertThat(all)
          .startsWith("HTTP/1.1 200")
          .as("the server ends the idle connection")
          .doesNotContain(STILL_OPEN);
    }
    assertThat(Http.get(port, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aWebSocketOutlivesTheTimeout() throws Exception {
    WsClient client = WsClient.connect(vertx, port, "/ws");
    Thread.sleep(2_500); // well past the 1 s header and idle timeout: the WebSocket must outlive it
    assertThat(Http.post(port, "/api/v1/broadcast", Http.alert("still here")).statusCode())
        .isEqualTo(202);
    assertThat(client.awaitType("system_alert").path("data").path("message").asText())
        .isEqualTo("still here");
    assertThat(client.closeCode).isNull();
  }

  private static final String STILL_OPEN = "<still open after 8 s>";

  /**
   * Everything the server sends until it closes the connection (or 8 s pass, which fails the
   * callers' checks).
   */
  private static String readToEnd(Socket s) throws IOException {
    s.setSoTimeout(8_000);
    InputStream in = s.getInputStream();
    StringBuilder b = new StringBuilder();
    try {
      for (int c; (c = in.read()) >= 0; ) b.append((char) c);
    } catch (SocketException reset) {
      return b.toString();
    } catch (SocketTimeoutException e) {
      return b + STILL_OPEN;
    }
    return b.toString();
  }
}
