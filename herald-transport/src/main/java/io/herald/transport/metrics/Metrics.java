package io.herald.transport.metrics;

import io.herald.core.event.Frame;
import io.herald.core.hub.FanOutObserver;
import io.herald.core.outbox.CloseReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Herald's Prometheus metrics. Names follow {@code herald_<component>_<what>_<unit>}. Thread-safe.
 * Per-message costs are kept to one counter increment; latency is measured once per event loop per
 * event (see {@link FanOutObserver}), never per subscriber.
 */
public final class Metrics implements FanOutObserver {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter published;
  private final Timer publishToWrite;
  private final AtomicLong outboxDepth = new AtomicLong();

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    messagesIn =
        Counter.builder("herald_messages_in")
            .description("Messages received from clients")
            .register(registry);
    messagesOut =
        Counter.builder("herald_messages_out")
            .description("Event messages handed to client sockets")
            .register(registry);
    published =
        Counter.builder("herald_events_published")
            .description("Events accepted by the hub")
            .register(registry);
    publishToWrite =
        Timer.builder("herald_publish_to_write")
            .description(
                "From the hub accepting an event to its fan-out task "
                    + "having written it to every subscriber of one event loop")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    Gauge.builder("herald_outbox_depth", outboxDepth, AtomicLong::get)
        .description("Messages queued in connection outboxes, waiting for slow sockets")
        .register(registry);
  }

  /**
   * A counter a service owns, such as {@code herald_writer_consumed{queue}}; tags are name, value
   * pairs.
   */
  public Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  /** A distribution a service owns (batch sizes and the like). */
  public DistributionSummary summary(String name, String description) {
    return DistributionSummary.builder(name).description(description).register(registry);
  }

  /** A latency histogram a component owns (buckets from 10 µs to 10 s). */
  public Timer timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /**
   * A counter whose value is read at scrape time from {@code value} (a count kept elsewhere); tags
   * are name, value pairs.
   */
  public void functionCounter(String name, String description, LongSupplier value, String... tags) {
    FunctionCounter.builder(name, value, LongSupplierCount::read)
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private static final class LongSupplierCount {
    static double read(LongSupplier s) {
      return s.getAsLong();
    }
  }

  /** Registers a gauge read at scrape time. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void messageIn() {
    messagesIn.increment();
  }

  public void published() {
    published.increment();
  }

  /**
   * A connection closed for {@code reason}, counted under its reason text (a normal closure, 1000,
   * is not counted).
   */
  public void disconnect(CloseReason reason) {
    if (reason.code() != 1000) disconnect(reason.reason().replace(' ', '_'));
  }

  /**
   * A connection closed for a reason worth counting (slow consumer, timeout, protocol error,
   * shutdown).
   */
  public void disconnect(String reason) {
    registry.counter("herald_disconnects", "reason", reason).increment();
  }

  /** A message was not delivered, by policy (volatile message, full outbox under drop policies). */
  public void dropped(String reason) {
    registry.counter("herald_outbox_dropped", "reason", reason).increment();
  }

  public void outboxDelta(long delta) {
    outboxDepth.addAndGet(delta);
  }

  @Override
  public void fannedOut(Frame frame, int subscribers) {
    if (subscribers == 0) return;
    messagesOut.increment(subscribers);
    publishToWrite.record(System.nanoTime() - frame.acceptedNanos(), TimeUnit.NANOSECONDS);
  }

  /** Event messages handed to client sockets since start ({@code herald_messages_out}). */
  public long delivered() {
    return (long) messagesOut.count();
  }

  /**
   * From the hub accepting an event to its write ({@code herald_publish_to_write}), for readers of
   * its histogram.
   */
  public Timer publishToWrite() {
    return publishToWrite;
  }

  /** Messages queued in connection outboxes now ({@code herald_outbox_depth}). */
  public long outboxDepth() {
    return outboxDepth.get();
  }

  /**
   * The counters named {@code name} (as registered, without {@code _total}), summed by the value of
   * their tag {@code tag}, as /metrics reports them; empty before the first one exists. For readers
   * such as the admin page.
   */
  public Map<String, Long> countsBy(String name, String tag) {
    Map<String, Long> out = new TreeMap<>();
    for (Meter m : registry.find(name).meters()) {
      double n =
          m instanceof Counter c ? c.count() : m instanceof FunctionCounter f ? f.count() : 0;
      out.merge(String.valueOf(m.getId().getTag(tag)), (long) n, Long::sum);
    }
    return out;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
