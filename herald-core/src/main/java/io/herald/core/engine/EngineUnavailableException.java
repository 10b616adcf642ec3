package io.herald.core.engine;

/**
 * The engine cannot reach its store now: the caller answers 503 (or retries), and nothing was
 * published.
 */
public final class EngineUnavailableException extends RuntimeException {
  public EngineUnavailableException(String message) {
    super(message);
  }
}
