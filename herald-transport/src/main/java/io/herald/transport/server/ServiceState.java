package io.herald.transport.server;

import io.herald.transport.health.HealthCheck;
import io.herald.transport.health.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The lifecycle every service keeps, written once: whether it runs, since when, and its entries on
 * GET /health (its own, "starting" before {@link Service#start} and "stopped" from {@link
 * Service#stop} on, so a draining node reports down; and one entry per dependency). A service makes
 * it in {@link Service#mount} and calls {@link #started()} and {@link #stopped()}.
 */
public final class ServiceState {
  private enum Phase {
    STARTING,
    RUNNING,
    STOPPED
  }

  private final ServerContext context;
  private volatile Phase phase = Phase.STARTING;
  private volatile Instant startedAt;

  private ServiceState(ServerContext context) {
    this.context = context;
  }

  /**
   * Registers the service's own health entry: up with {@code details} while it runs, down
   * otherwise.
   */
  public static ServiceState mount(
      String service, ServerContext context, Supplier<Map<String, Object>> details) {
    ServiceState state = new ServiceState(context);
    context
        .health()
        .register(
            HealthCheck.of(
                service,
                "service",
                () ->
                    switch (state.phase) {
                      case RUNNING -> HealthStatus.up(details.get());
                      case STARTING -> HealthStatus.down("starting");
                      case STOPPED -> HealthStatus.down("stopped");
                    }));
    return state;
  }

  /** A database, broker or store the service needs: its own entry on GET /health. */
  public ServiceState dependsOn(String name, Supplier<HealthStatus> status) {
    context.health().register(HealthCheck.of(name, "dependency", status));
    return this;
  }

  public void started() {
    startedAt = context.clock().instant();
    phase = Phase.RUNNING;
  }

  public void stopped() {
    phase = Phase.STOPPED;
  }

  public boolean running() {
    return phase == Phase.RUNNING;
  }

  /** When {@link #started()} was called; null before. */
  public Instant startedAt() {
    return startedAt;
  }

  public long uptimeSeconds() {
    Instant s = startedAt;
    return s == null ? 0 : Duration.between(s, context.clock().instant()).toSeconds();
  }
}
