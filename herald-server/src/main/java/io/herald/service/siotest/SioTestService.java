package io.herald.service.siotest;

import io.herald.core.outbox.OutboxConfig;
import io.herald.transport.eio.EioConfig;
import io.herald.transport.eio.EioListener;
import io.herald.transport.eio.EioServer;
import io.herald.transport.eio.EioTransport;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.herald.transport.sio.SioConnection;
import io.herald.transport.sio.SioLimits;
import io.herald.transport.sio.SioNamespace;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Duration;

/**
 * What the official protocol test suites talk to: a raw Engine.IO echo at {@code /engine.io/}, and
 * Socket.IO at {@code /socket.io/} with namespaces {@code /} and {@code /custom} (see {@link
 * EchoSocket}). Heartbeat 300/200 ms, connect timeout 1 s and maxPayload 1,000,000 bytes, as the
 * suites assert; any origin may connect.
 */
public final class SioTestService implements Service {
  /** The suites' heartbeat and payload limit. */
  static final EioConfig EIO =
      new EioConfig(
          Duration.ofMillis(300),
          Duration.ofMillis(200),
          1_000_000,
          Duration.ofSeconds(10),
          OutboxConfig.DEFAULT);

  static final SioLimits LIMITS =
      new SioLimits(Duration.ofSeconds(1), Integer.MAX_VALUE, Duration.ofMinutes(1));

  private final EioConfig eio;
  private EioServer engine;
  private EioServer socketIo;

  public SioTestService() {
    this(EIO);
  }

  /**
   * The same endpoints with another heartbeat or payload limit (a test that must outlast the
   * suites' 300/200 ms).
   */
  SioTestService(EioConfig eio) {
    this.eio = eio;
  }

  @Override
  public String name() {
    return "sio-testserver";
  }

  @Override
  public void mount(Router router, ServerContext context) {
    // No channel events flow here (nothing is published): the endpoints need no event encoding.
    engine = new EioServer(context, eio, null, null, origin -> true, Echo::new);
    engine.mount("/engine.io/");
    SioNamespace echo = (connection, nsp, auth) -> EchoSocket.join(connection, nsp, auth);
    socketIo =
        new EioServer(
            context,
            eio,
            null,
            null,
            origin -> true,
            t ->
                new SioConnection(
                    context.vertx(),
                    t,
                    nsp -> nsp.equals("/") || nsp.equals("/custom") ? echo : null,
                    LIMITS));
    socketIo.mount("/socket.io/");
    context
        .metrics()
        .gauge(
            "herald_siotest_parked_polls",
            "Long polls waiting for packets, on both endpoints",
            () -> engine.parkedPolls() + socketIo.parkedPolls());
  }

  @Override
  public Future<Void> stop() {
    engine.shutdown();
    socketIo.shutdown();
    return Future.succeededFuture();
  }

  /**
   * The Engine.IO suite's server: every message, text or binary, comes back as it was, on the
   * current transport.
   */
  private static final class Echo implements EioListener {
    private EioTransport transport;

    Echo(EioTransport transport) {
      this.transport = transport;
    }

    @Override
    public void message(String data) {
      transport.send("4" + data);
    }

    @Override
    public void binary(byte[] data) {
      transport.sendBinary(data);
    }

    @Override
    public void upgraded(EioTransport next, long lastSeq) {
      transport = next;
    }

    @Override
    public void closed() {}
  }
}
