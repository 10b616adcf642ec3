package io.herald.service.siotest;

import io.herald.core.hub.HubConfig;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import io.herald.transport.eio.EioConfig;
import io.herald.transport.http.TrustedProxies;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real Herald running the protocol-test profile (`herald sio-testserver`) on a free loopback port. */
final class SioTestServer implements AutoCloseable {
  private static final Pattern PARKED = Pattern.compile("(?m)^herald_siotest_parked_polls (\\S+)$");
  final int port = Ports.free();
  final EioConfig eio;
  private final HeraldServer server;

  SioTestServer() {
    this(SioTestService.EIO);
  }

  /** The profile's endpoints with {@code eio} instead of the suites' heartbeat and payload limit. */
  SioTestServer(EioConfig eio) {
    this.eio = eio;
    server = new HeraldServer(new ServerConfig("127.0.0.1", port, 2, 65536, Duration.ofSeconds(5), true, TrustedProxies.NONE),
        HubConfig.DEFAULT, io.herald.store.Stores.local(), List.of(new SioTestService(eio)));
    server.start().await();
  }

  /** Long polls the server holds open right now, as its /metrics counts them. */
  int parkedPolls() {
    Matcher m = PARKED.matcher(Http.get(port, "/metrics").body());
    if (!m.find()) throw new AssertionError("no herald_siotest_parked_polls in /metrics");
    return (int) Double.parseDouble(m.group(1));
  }

  @Override
  public void close() {
    server.stop().await();
  }
}
