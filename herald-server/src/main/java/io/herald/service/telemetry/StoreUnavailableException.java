package io.herald.service.telemetry;

/** The event store cannot be reached right now; the request gets a 503 and may be retried. */
final class StoreUnavailableException extends RuntimeException {
  StoreUnavailableException(String message) {
    super(message, null, false, false);
  }
}
