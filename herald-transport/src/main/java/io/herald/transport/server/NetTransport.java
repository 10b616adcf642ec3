package io.herald.transport.server;

import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * Which Netty transport the event loops run on (HERALD_TRANSPORT). {@link #AUTO} takes io_uring where the kernel
 * offers it, then epoll, then the JDK's NIO: io_uring submits every socket write a loop makes in one pass of its
 * fan-out with one system call, where epoll makes one {@code write(2)} per socket, and a fan-out is nearly all
 * socket writes (BENCHMARKS.md, "io_uring"). A container whose seccomp profile refuses io_uring, or an older
 * kernel, gets epoll without a word from the operator.
 */
public enum NetTransport {
  AUTO, IO_URING, EPOLL, NIO;

  /** The names HERALD_TRANSPORT accepts, as written there. */
  public static final List<String> NAMES = List.of("auto", "io_uring", "epoll", "nio");

  public static NetTransport parse(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The Vert.x transport to build on: this one if the machine offers it, else (for {@link #AUTO}) the best one it
   * does. An explicit choice the machine cannot honour is an error that names the reason, not a silent fallback.
   */
  Transport resolve() {
    return switch (this) {
      case AUTO -> Transport.IO_URING.available() ? Transport.IO_URING
          : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
      case IO_URING -> require(Transport.IO_URING);
      case EPOLL -> require(Transport.EPOLL);
      case NIO -> Transport.NIO;
    };
  }

  private Transport require(Transport t) {
    if (t.available()) return t;
    Throwable cause = t.unavailabilityCause();
    throw new IllegalStateException("HERALD_TRANSPORT=" + wireName() + " is not available on this machine"
        + (cause == null ? "" : ": " + cause.getMessage()) + "; use auto to take the best one that is");
  }
}
