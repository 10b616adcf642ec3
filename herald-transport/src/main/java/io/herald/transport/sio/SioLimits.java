package io.herald.transport.sio;

import java.time.Duration;

/**
 * What one Socket.IO connection may do.
 *
 * @param connectTimeout an Engine.IO session with no namespace joined this long is closed (at the
 *     start, and again after the client left its last namespace)
 * @param rateMax packets a client may send per {@code rateWindow}; the rest are dropped
 * @param rateWindow the fixed window packets are counted in
 */
public record SioLimits(Duration connectTimeout, int rateMax, Duration rateWindow) {
  public SioLimits {
    if (connectTimeout.toMillis() < 1 || rateWindow.toMillis() < 1 || rateMax < 1)
      throw new IllegalArgumentException("Socket.IO limits must be positive");
  }
}
