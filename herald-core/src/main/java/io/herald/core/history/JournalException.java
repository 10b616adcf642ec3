package io.herald.core.history;

/**
 * A {@link Journal} could not keep an event (a full or failing disk): the event was refused, not
 * delivered.
 */
public final class JournalException extends RuntimeException {
  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
