package io.herald.protocol.envelope;

/** The machine-readable {@code code} of an error message or an HTTP error body. */
public enum ErrorCode {
  INVALID_JSON("invalid_json"),
  INVALID_MESSAGE("invalid_message"),
  UNKNOWN_TYPE("unknown_type"),
  PAYLOAD_TOO_LARGE("payload_too_large"),
  UNAUTHORIZED("unauthorized"),
  FORBIDDEN("forbidden"),
  NOT_FOUND("not_found"),
  UNAVAILABLE("unavailable"),
  INTERNAL("internal_error");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  /** The code as it appears on the wire. */
  public String wire() {
    return wire;
  }
}
