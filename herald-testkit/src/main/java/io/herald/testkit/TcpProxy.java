package io.herald.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A load balancer as small as it gets: connections to its port go to the node it points at now. A
 * test points it at another node when one is killed, as a health-checking balancer would; open
 * connections stay where they are.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile int target;

  /**
   * While set, nothing is forwarded either way and the sockets stay open: a silent network
   * partition.
   */
  private volatile boolean partitioned;

  public TcpProxy(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  public void pointAt(int port) {
    target = port;
  }

  /**
   * Cuts the path silently, as a partition does: no byte passes either way and no connection is
   * closed, so neither side learns of it until its own timeouts; new connections are accepted and
   * hang the same way. What was sent meanwhile waits in the socket buffers and flows on {@link
   * #heal}.
   */
  public void partition() {
    partitioned = true;
  }

  public void heal() {
    partitioned = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> connect(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void connect(Socket client) {
    try {
      while (partitioned) Thread.sleep(5);
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
      open.add(client);
      open.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream));
      pump(upstream, client);
    } catch (IOException e) {
      close(client); // the node is gone: the client sees a refused connection and retries
    } catch (InterruptedException e) {
      close(client);
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Copies until either side ends, then closes both: a node killed drops its clients' connections.
   */
  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      byte[] buf = new byte[16 * 1024];
      while (true) {
        while (partitioned) Thread.sleep(5);
        int n = in.read(buf);
        if (n < 0) break;
        while (partitioned) Thread.sleep(5); // read before the cut: held until it heals
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // one side went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close(from);
      close(to);
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) close(s);
  }
}
