package io.herald.app;

import io.herald.config.Env;
import io.herald.service.pushhub.PushHubConfig;
import io.herald.service.reportlistener.ReportListenerConfig;
import io.herald.service.telemetry.TelemetryConfig;
import io.herald.service.websocket.WebsocketConfig;
import io.herald.service.writer.WriterConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Which variables belong to which service, found by letting each part read an empty environment:
 * start-up reads every service's variables (a typo anywhere is caught), but {@code herald config
 * push-hub} should show push-hub's and the shared ones, not telemetry's.
 */
final class ServiceVariables {
  private ServiceVariables() {}

  /** The variables {@code reader} reads, with nothing set. */
  private static Set<String> readBy(Consumer<Env> reader) {
    Env env = Env.of(Map.of());
    reader.accept(env);
    return env.reads().stream().map(Env.Read::name).collect(Collectors.toSet());
  }

  private static Set<String> own(ServiceName s) {
    return switch (s) {
      case PUSH_HUB ->
          readBy(
              e -> {
                PushHubConfig.from(e);
                WarmupConfig.from(e);
              });
      case REPORT_LISTENER ->
          readBy(
              e -> {
                e.optional("DB_HOST");
                ReportListenerConfig.from(e);
              });
      case TELEMETRY -> readBy(TelemetryConfig::from);
      case WRITER ->
          readBy(
              e -> {
                e.optional("RABBITMQ_URL");
                WriterConfig.from(e);
              });
      case WEBSOCKET -> readBy(WebsocketConfig::from);
      case ALL, SIO_TESTSERVER -> Set.of();
    };
  }

  /**
   * The variables to leave out of {@code service}'s table: those only other services read. Under
   * {@code all} none; what the shared part reads is always kept.
   */
  static Set<String> othersOnly(ServiceName service) {
    if (service == ServiceName.ALL) return Set.of();
    Set<String> keep = new HashSet<>(readBy(e -> AppConfig.base(e, service)));
    keep.addAll(own(service));
    Set<String> others = new HashSet<>();
    for (ServiceName s : ServiceName.values()) if (s != service) others.addAll(own(s));
    others.removeAll(keep);
    return others;
  }
}
