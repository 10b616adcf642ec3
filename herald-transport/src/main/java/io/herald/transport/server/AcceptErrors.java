package io.herald.transport.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections the kernel could not hand over because the process was out of file descriptors
 * (accept(2) failing with EMFILE). The budget keeps Herald below the limit, so this counts only
 * what it could not prevent (another part of the process holding descriptors, a limit too small for
 * the reserve). Netty reports each failure through its logger; the app's log filter counts them
 * here instead of printing a stack trace each time.
 */
public final class AcceptErrors {
  private static final AtomicLong COUNT = new AtomicLong();

  private AcceptErrors() {}

  public static void record() {
    COUNT.incrementAndGet();
  }

  public static long count() {
    return COUNT.get();
  }
}
