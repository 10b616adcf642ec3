package io.herald.transport.sio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One namespace's server side: it decides whether a client may join, and serves the client that
 * did.
 */
@FunctionalInterface
public interface SioNamespace {
  /**
   * A client asks to join with {@code auth} (its CONNECT payload, an empty object when it sent
   * none). Returns the joined socket, which has sent the CONNECT answer itself; or null when
   * refused, after sending a CONNECT_ERROR.
   */
  SioHandler connect(SioConnection connection, String nsp, JsonNode auth);

  /**
   * Work to finish before {@link #connect} can decide, such as fetching a recoverable session
   * another node kept: the connection holds the namespace's packets meanwhile. Called on the
   * connection's loop; completes at once by default. A failure is not a refusal: {@link #connect}
   * decides as it would without it.
   */
  default CompletionStage<Void> prepare(JsonNode auth) {
    return CompletableFuture.completedFuture(null);
  }
}
