package io.herald.service;

import io.herald.core.engine.EngineFactory;
import io.herald.core.hub.HubConfig;
import io.herald.store.Stores;
import io.herald.testkit.Ports;
import io.herald.transport.http.TrustedProxies;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import io.herald.transport.server.Service;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A real Herald in the test's JVM running one service on a loopback port, started: the one shape
 * every service's fixture starts (telemetry, websocket, the protocol-test profile, report-listener,
 * writer). The settings are the tests' small ones; a fixture changes what its service needs. In the
 * test's JVM rather than a {@code HeraldNode} process, so that a test can reach into the service
 * and its hub.
 */
public final class ServiceServer implements AutoCloseable {
  private final HeraldServer server;
  private final int port;

  private ServiceServer(HeraldServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** The settings for {@code service}; {@link Builder#start()} starts it. */
  public static Builder of(Service service) {
    return new Builder(service);
  }

  public int port() {
    return port;
  }

  public HeraldServer server() {
    return server;
  }

  /** Stops it and waits: its port is free again when this returns. */
  @Override
  public void close() {
    server.stop().await();
  }

  /**
   * Defaults: 127.0.0.1, a free port, 2 event loops, 4 KiB bodies, 2 s shutdown, no trusted
   * proxies, the default hub.
   */
  public static final class Builder {
    private final Service service;
    private String host = "127.0.0.1";
    private int port = -1;
    private int loops = 2;
    private long maxBody = 4096;
    private Duration shutdown = Duration.ofSeconds(2);
    private TrustedProxies proxies = TrustedProxies.NONE;
    private HubConfig hub = HubConfig.DEFAULT;
    private Consumer<HeraldServer> beforeStart = s -> {};
    private EngineFactory engines = Stores.local();

    private Builder(Service service) {
      this.service = service;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** A port of the test's choice: a server restarted where its clients reconnect. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder loops(int loops) {
      this.loops = loops;
      return this;
    }

    public Builder maxBody(long bytes) {
      this.maxBody = bytes;
      return this;
    }

    public Builder shutdown(Duration timeout) {
      this.shutdown = timeout;
      return this;
    }

    public Builder proxies(TrustedProxies proxies) {
      this.proxies = proxies;
      return this;
    }

    public Builder hub(HubConfig hub) {
      this.hub = hub;
      return this;
    }

    /**
     * The journal and engine (default: this process's, memory only): a shared one for a node of a
     * cluster.
     */
    public Builder engines(EngineFactory engines) {
      this.engines = engines;
      return this;
    }

    /**
     * Runs before the server starts: a subscriber on its hub that must see everything from the
     * first event.
     */
    public Builder beforeStart(Consumer<HeraldServer> step) {
      this.beforeStart = step;
      return this;
    }

    public ServiceServer start() {
      int p = port < 0 ? Ports.free() : port;
      HeraldServer s =
          new HeraldServer(
              new ServerConfig(host, p, loops, maxBody, shutdown).withTrustedProxies(proxies),
              hub,
              engines,
              List.of(service));
      beforeStart.accept(s);
      s.start().await();
      return new ServiceServer(s, p);
    }
  }
}
