package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testkit.Http;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Engine.IO over plain HTTP, as the tests speak it: the polling handshake, poll paths, the
 * protocol's JSON errors.
 */
final class EioRequests {
  /** The record separator between packets of one polling payload. */
  static final String RS = "\u001e";

  private static final Pattern PARKED =
      Pattern.compile("(?m)^herald_websocket_parked_polls (\\S+)$");

  private EioRequests() {}

  /** Opens a polling session; returns its sid. */
  static String handshake(int port) {
    String body = Http.get(port, "/socket.io/?EIO=4&transport=polling").body();
    assertThat(body)
        .startsWith("0{\"sid\":\"")
        .contains("\"upgrades\":[\"websocket\"]", "\"maxPayload\":");
    return body.substring(9, body.indexOf('"', 9));
  }

  static String poll(String sid) {
    return "/socket.io/?EIO=4&transport=polling&sid=" + sid;
  }

  /** Long polls the server holds open right now, as its /metrics counts them. */
  static int parkedPolls(int port) {
    Matcher m = PARKED.matcher(Http.get(port, "/metrics").body());
    if (!m.find()) throw new AssertionError("no herald_websocket_parked_polls in /metrics");
    return (int) Double.parseDouble(m.group(1));
  }

  static void assertError(HttpResponse<String> r, int status, int code, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).isEqualTo("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
  }
}
