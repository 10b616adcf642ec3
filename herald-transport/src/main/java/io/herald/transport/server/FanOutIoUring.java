package io.herald.transport.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.vertx.core.impl.transports.IoUringTransport;
import io.vertx.core.transport.Transport;

/**
 * Vert.x's io_uring transport with rings sized for a fan-out pass. Netty's default submission ring
 * holds 128 entries, so a loop writing to a few hundred sockets in one pass submits in many pieces;
 * at 1,000 publishes/s to 1,000 clients it fell behind (827,519 deliveries/s, p99 950 ms) where a
 * 4,096-entry ring kept up with 972,207/s (docs/benchmarks/history.md, "io_uring"). The rings cost
 * about 0.5 MB per event loop.
 */
final class FanOutIoUring extends IoUringTransport {
  static final int SUBMISSION_ENTRIES = 4096;
  static final int COMPLETION_ENTRIES = 16384;

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return IoUringIoHandler.newFactory(
        new IoUringIoHandlerConfig().setRingSize(SUBMISSION_ENTRIES).setCqSize(COMPLETION_ENTRIES));
  }

  /** Vert.x's public face of a transport; the record's accessors are the interface's methods. */
  private record Named(
      String name,
      boolean available,
      Throwable unavailabilityCause,
      io.vertx.core.spi.transport.Transport implementation)
      implements Transport {}

  /** This transport, available exactly when Vert.x's own io_uring transport is. */
  static Transport transport() {
    return new Named(
        Transport.IO_URING.name(),
        Transport.IO_URING.available(),
        Transport.IO_URING.unavailabilityCause(),
        new FanOutIoUring());
  }
}
