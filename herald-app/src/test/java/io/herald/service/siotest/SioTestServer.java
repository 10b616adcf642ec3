package io.herald.service.siotest;

import io.herald.core.hub.HubConfig;
import io.herald.testing.Ports;
import io.herald.transport.http.TrustedProxies;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import java.time.Duration;
import java.util.List;

/** A real Herald running the protocol-test profile (`herald sio-testserver`) on a free loopback port. */
final class SioTestServer implements AutoCloseable {
  final int port = Ports.free();
  private final HeraldServer server;

  SioTestServer() {
    server = new HeraldServer(new ServerConfig("127.0.0.1", port, 2, 65536, Duration.ofSeconds(5), true, TrustedProxies.NONE),
        HubConfig.DEFAULT, io.herald.store.Stores.local(), List.of(new SioTestService()));
    server.start().await();
  }

  @Override
  public void close() {
    server.stop().await();
  }
}
