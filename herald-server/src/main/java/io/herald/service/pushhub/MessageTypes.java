package io.herald.service.pushhub;

/** The seed's server-to-client message types that carry application data. */
final class MessageTypes {
  static final String NEW_ANOMALY = "new_anomaly";
  static final String LOG_UPDATE = "log_update";
  static final String STATS_UPDATE = "stats_update";
  static final String SYSTEM_ALERT = "system_alert";

  private MessageTypes() {}
}
