package io.herald.protocol.sio;

import io.herald.protocol.json.Json;

/**
 * What a Socket.IO v5 server sends, already wrapped in an Engine.IO message ({@code 4} prefix), ready for a
 * WebSocket frame or a polling body. Arguments are JSON text the caller has validated.
 */
public final class SioEncoder {
  private SioEncoder() {}

  /** {@code 40{"sid":..,"pid":..}}: the namespace is joined. {@code pid} (recovery id) may be null. */
  public static String connected(String sid, String pid) {
    return "40{\"sid\":" + Json.quote(sid) + (pid == null ? "" : ",\"pid\":" + Json.quote(pid)) + "}";
  }

  /** {@code 44{"message":..}}: the namespace refused the client. */
  public static String connectError(String nsp, String message) {
    return "44" + prefix(nsp) + "{\"message\":" + Json.quote(message) + "}";
  }

  /** {@code 42["name",args...]}; {@code argsJson} is comma-separated JSON values, may be empty. */
  public static String event(String name, String argsJson) {
    return "42[" + Json.quote(name) + (argsJson.isEmpty() ? "" : "," + argsJson) + "]";
  }

  /** {@code 43<id>[args...]}: the answer to a client emit that asked for one. */
  public static String ack(long id, String argsJson) {
    return "43" + id + "[" + argsJson + "]";
  }

  private static String prefix(String nsp) {
    return nsp.equals("/") ? "" : nsp + ",";
  }
}
