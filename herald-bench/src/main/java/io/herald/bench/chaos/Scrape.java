package io.herald.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Predicate;

/**
 * One value from a running Herald's GET /metrics (Prometheus text), for the fault scripts' checks.
 */
final class Scrape {
  private Scrape() {}

  /** The whole of /metrics, or an empty text when the server did not answer. */
  static String text(HttpClient http, int port) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * The value of the first sample line {@code line} accepts, or -1 when there is none or the server
   * did not answer.
   */
  static long value(HttpClient http, int port, Predicate<String> line) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String l : body.split("\n")) {
        if (!l.startsWith("#") && line.test(l))
          return (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    return -1;
  }
}
