package io.herald.service.siotest;

import io.herald.service.ServiceServer;
import io.herald.testkit.Http;
import io.herald.transport.eio.EioConfig;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Herald running the protocol-test profile (`herald sio-testserver`) on a free loopback
 * port.
 */
final class SioTestServer implements AutoCloseable {
  private static final Pattern PARKED = Pattern.compile("(?m)^herald_siotest_parked_polls (\\S+)$");
  final int port;
  final EioConfig eio;
  private final ServiceServer server;

  SioTestServer() {
    this(SioTestService.EIO);
  }

  /**
   * The profile's endpoints with {@code eio} instead of the suites' heartbeat and payload limit.
   */
  SioTestServer(EioConfig eio) {
    this.eio = eio;
    server =
        ServiceServer.of(new SioTestService(eio))
            .maxBody(65536)
            .shutdown(Duration.ofSeconds(5))
            .start();
    port = server.port();
  }

  /** Long polls the server holds open right now, as its /metrics counts them. */
  int parkedPolls() {
    Matcher m = PARKED.matcher(Http.get(port, "/metrics").body());
    if (!m.find()) throw new AssertionError("no herald_siotest_parked_polls in /metrics");
    return (int) Double.parseDouble(m.group(1));
  }

  @Override
  public void close() {
    server.close();
  }
}
