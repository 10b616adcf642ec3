package io.herald.transport.health;

import java.util.Map;

/**
 * @param up whether the component works now
 * @param details extra facts shown in the health body (counts, last error text without secrets)
 */
public record HealthStatus(boolean up, Map<String, Object> details) {
  public HealthStatus {
    details = Map.copyOf(details);
  }

  public static HealthStatus up(Map<String, Object> details) {
    return new HealthStatus(true, details);
  }

  public static HealthStatus down(String reason) {
    return new HealthStatus(false, Map.of("error", reason));
  }
}
