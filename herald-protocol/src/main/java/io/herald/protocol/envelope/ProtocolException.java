package io.herald.protocol.envelope;

/**
 * A client sent something the protocol does not allow. The message is fixed per cause so clients
 * and tests can match it; the transport decides in one place whether it becomes an {@code error}
 * message, a close code or an HTTP 400.
 *
 * @see ErrorCode
 */
public final class ProtocolException extends Exception {
  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
