package io.herald.service.pushhub;

import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.HubConfig;
import io.herald.testkit.Ports;
import io.herald.transport.http.TrustedProxies;
import io.herald.transport.server.AdmissionConfig;
import io.herald.transport.server.NetTransport;
import io.herald.transport.server.ServerConfig;
import java.time.Duration;

/** A real Herald push hub on a free loopback port, started through the public Java API. */
final class TestServer implements AutoCloseable {
  final PushHub hub;
  final int port;

  TestServer(PushHubConfig config) {
    this(config, HubConfig.DEFAULT, 2);
  }

  TestServer(PushHubConfig config, HubConfig history, int loops) {
    this(config, history, loops, Ports.free());
  }

  TestServer(PushHubConfig config, HubConfig history, int loops, int port) {
    this(config, history, loops, port, NetTransport.AUTO);
  }

  TestServer(PushHubConfig config, NetTransport transport) {
    this(config, HubConfig.DEFAULT, 2, Ports.free(), transport);
  }

  /** With overload limits of the test's own. */
  TestServer(
      PushHubConfig config,
      NetTransport transport,
      AdmissionConfig admission,
      TrustedProxies proxies) {
    this.port = Ports.free();
    hub =
        new PushHub(
            new ServerConfig("127.0.0.1", port, 2, 4096, Duration.ofSeconds(5))
                .withTrustedProxies(proxies)
                .withTransport(transport)
                .withAdmission(admission),
            config,
            HubConfig.DEFAULT);
    hub.start();
  }

  private TestServer(
      PushHubConfig config, HubConfig history, int loops, int port, NetTransport transport) {
    this.port = port;
    hub =
        new PushHub(
            new ServerConfig("127.0.0.1", port, loops, 4096, Duration.ofSeconds(5))
                .withTransport(transport),
            config,
            history);
    hub.start();
  }

  static HubConfig history(int events) {
    return new HubConfig(new HistoryConfig(events, Duration.ofMinutes(5)));
  }

  @Override
  public void close() {
    hub.stop();
  }
}
