package io.herald.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.herald.transport.server.AcceptErrors;
import io.herald.transport.server.AdmissionConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Netty logs a stack trace for every accept(2) that fails with "Too many open files", about once a
 * second per listener while a flood lasts, which buries everything else. This filter counts them
 * instead ({@code herald_connections_refused_total{reason="accept_error"}}) and logs one line with
 * the count, at most once per {@link #INTERVAL_NANOS}. Other messages pass untouched.
 */
public final class AcceptErrorFilter extends TurboFilter {
  static final long INTERVAL_NANOS = 10_000_000_000L;
  private static final org.slf4j.Logger LOG =
      LoggerFactory.getLogger("io.herald.transport.server.Admission");
  private final AtomicLong lastReport = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  private final AtomicLong reported = new AtomicLong();

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (t == null || !tooManyFiles(t)) return FilterReply.NEUTRAL;
    AcceptErrors.record();
    long now = System.nanoTime();
    long last = lastReport.get();
    if (now - last >= INTERVAL_NANOS && lastReport.compareAndSet(last, now)) {
      long total = AcceptErrors.count();
      long since = total - reported.getAndSet(total);
      LOG.warn(
          "accept failed {} time(s) since the last report: too many open files (the process's open-file limit is {}; "
              + "HERALD_MAX_CONNECTIONS keeps client connections below it: lower it, or raise the limit)",
          since,
          AdmissionConfig.DEFAULT.fdLimit());
    }
    return FilterReply.DENY;
  }

  private static boolean tooManyFiles(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && m.contains("Too many open files")) return true;
    }
    return false;
  }
}
