package io.herald.transport.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.Env;
import io.herald.core.hub.HubConfig;
import io.herald.service.pushhub.PushHubConfig;
import io.herald.service.pushhub.PushHubService;
import io.herald.service.telemetry.TelemetryConfig;
import io.herald.service.telemetry.TelemetryService;
import io.herald.store.Stores;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an attacker meets at the shared listener: oversized heads and bodies get their HTTP error,
 * and tokens with a foreign algorithm, no signature or a huge size are refused (401, or 431 for a
 * head over 8 KiB), with no secret in any answer.
 */
class SecurityTest {
  private static final String SECRET = "security-test-secret-of-at-least-32-bytes-long";
  private HeraldServer server;
  private int port;

  @BeforeEach
  void start() {
    port = Ports.free();
    server =
        new HeraldServer(
            new ServerConfig("127.0.0.1", port, 2, 64 * 1024, Duration.ofSeconds(5)),
            HubConfig.DEFAULT,
            Stores.local(),
            List.of(
                new PushHubService(PushHubConfig.DEFAULT),
                new TelemetryService(TelemetryConfig.from(Env.of(Map.of("JWT_SECRET", SECRET))))));
    server.start().await();
  }

  @AfterEach
  void stop() {
    server.stop().await();
  }

  @Test
  void oversizedHeadsAndBodiesGetTheirHttpErrors() throws Exception {
    assertThat(
            rawStatus(
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: "
                    + "p".repeat(64 * 1024)
                    + "\r\n\r\n"))
        .isEqualTo(431);
    HttpResponse<String> body =
        Http.post(
            port,
            "/api/v1/broadcast",
            "{\"type\":\"x\",\"data\":{\"pad\":\"" + "p".repeat(200_000) + "\"}}");
    assertThat(body.statusCode()).isEqualTo(413);
    assertThat(body.body()).startsWith("{").contains("65536");
    assertThat(Http.get(port, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void foreignAlgorithmsMissingSignaturesAndHugeTokensAre401WithoutTheSecret() throws Exception {
    String claims =
        "{\"sub\":\"mallory\",\"roles\":[\"ADMIN\"],\"exp\":"
            + (System.currentTimeMillis() / 1000 + 600)
            + "}";
    List<String> forged =
        List.of(
            token("{\"alg\":\"none\"}", claims, ""),
            token(
                "{\"alg\":\"RS256\"}",
                claims,
                hmac("{\"alg\":\"RS256\"}", claims)), // HMAC under an asymmetric name
            token("{\"alg\":\"ES256\"}", claims, hmac("{\"alg\":\"ES256\"}", claims)),
            token(
                "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
                claims,
                hmac("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", claims)),
            token("{\"alg\":\"HS256\"}", claims.replace("mallory", "x".repeat(5_000)), "AAAA"),
            token(
                "null", claims,
                "AAAA"), // a header of JSON null: the JWT library threw NullPointerException (500)
            // before
            token("{\"alg\":\"HS256\"}", "null", hmac("{\"alg\":\"HS256\"}", "null")));
    for (String t : forged) {
      HttpResponse<String> r =
          Http.get(port, "/v1/polling/admin/events", "Authorization", "Bearer " + t);
      assertThat(r.statusCode()).as(t.substring(0, Math.min(60, t.length()))).isEqualTo(401);
      assertThat(r.body()).startsWith("{").doesNotContain(SECRET);
    }
    String genuine = token("{\"alg\":\"HS256\"}", claims, hmac("{\"alg\":\"HS256\"}", claims));
    assertThat(
            Http.get(port, "/v1/polling/admin/events", "Authorization", "Bearer " + genuine)
                .statusCode())
        .as("the same claims, signed with the secret")
        .isEqualTo(200);
    assertThat(
            rawStatus(
                "GET /v1/polling/admin/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + "a".repeat(100_000)
                    + "\r\n\r\n"))
        .as("a 100 KB token: the head is over 8 KiB")
        .isEqualTo(431);
  }

  /**
   * The status of one request written as is on a plain socket (the JDK client refuses heads this
   * large itself).
   */
  private int rawStatus(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  private static String token(String header, String claims, String signature) {
    return b64(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64(claims.getBytes(StandardCharsets.UTF_8))
        + "."
        + signature;
  }

  private static String hmac(String header, String claims) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return b64(
        mac.doFinal(
            (b64(header.getBytes(StandardCharsets.UTF_8))
                    + "."
                    + b64(claims.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
