package io.herald.transport.server;

import io.vertx.core.transport.Transport;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which Netty transport the event loops run on (HERALD_TRANSPORT). {@link #AUTO} takes epoll where
 * the native library loads (Linux x86_64), else the JDK's NIO. {@link #IO_URING} is there to be
 * chosen, not taken by default: it submits all the socket writes of a loop's fan-out pass with one
 * system call (epoll makes one {@code write(2)} each), which measured less CPU per delivery and a
 * shorter tail up to about 200,000 deliveries a second on this project's 2-core machine, but from
 * 300,000 on its tail grew well past epoll's, and at 1,000,000 it fell behind
 * (docs/benchmarks/history.md, "io_uring"). A default must hold its tail at saturation.
 */
public enum NetTransport {
  AUTO,
  IO_URING,
  EPOLL,
  NIO;

  /** The names HERALD_TRANSPORT accepts, as written there: the constants in lower case. */
  public static final List<String> NAMES =
      Arrays.stream(values()).map(NetTransport::wireName).toList();

  public static NetTransport parse(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The Vert.x transport to build on: this one if the machine offers it, else (for {@link #AUTO})
   * the best one it does. An explicit choice the machine cannot honour is an error that names the
   * reason, not a silent fallback.
   */
  Transport resolve() {
    return switch (this) {
      case AUTO -> Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
      case IO_URING -> require(FanOutIoUring.transport());
      case EPOLL -> require(Transport.EPOLL);
      case NIO -> Transport.NIO;
    };
  }

  private Transport require(Transport t) {
    if (t.available()) return t;
    Throwable cause = t.unavailabilityCause();
    throw new IllegalStateException(
        "HERALD_TRANSPORT="
            + wireName()
            + " is not available on this machine"
            + (cause == null ? "" : ": " + cause.getMessage())
            + "; use auto to take the best one that is");
  }
}
