package io.herald.protocol.sio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.herald.protocol.json.Json;
import java.util.List;

/**
 * What a Socket.IO v5 server sends, already wrapped in an Engine.IO message ({@code 4} prefix),
 * ready for a WebSocket frame or a polling body. Arguments are JSON text the caller has validated.
 */
public final class SioEncoder {
  private SioEncoder() {}

  /** A packet and the binary messages that follow it (none for a plain one). */
  public record Encoded(String text, List<byte[]> attachments) {}

  /**
   * {@code 40{"sid":..,"pid":..}}: the main namespace is joined. {@code pid} (recovery id) may be
   * null.
   */
  public static String connected(String sid, String pid) {
    return connected("/", sid, pid);
  }

  /**
   * {@code 40[<nsp>,]{"sid":..,"pid":..}}: the namespace is joined. {@code pid} (recovery id) may
   * be null.
   */
  public static String connected(String nsp, String sid, String pid) {
    return "40"
        + prefix(nsp)
        + "{\"sid\":"
        + Json.quote(sid)
        + (pid == null ? "" : ",\"pid\":" + Json.quote(pid))
        + "}";
  }

  /** {@code 44{"message":..}}: the namespace refused the client. */
  public static String connectError(String nsp, String message) {
    return "44" + prefix(nsp) + "{\"message\":" + Json.quote(message) + "}";
  }

  /** {@code 42["name",args...]}; {@code argsJson} is comma-separated JSON values, may be empty. */
  public static String event(String name, String argsJson) {
    return event("/", name, argsJson);
  }

  /**
   * {@code 42[<nsp>,]["name",args...]}; {@code argsJson} is comma-separated JSON values, may be
   * empty.
   */
  public static String event(String nsp, String name, String argsJson) {
    return "42"
        + prefix(nsp)
        + "["
        + Json.quote(name)
        + (argsJson.isEmpty() ? "" : "," + argsJson)
        + "]";
  }

  /** {@code 43<id>[args...]}: the answer to a client emit that asked for one. */
  public static String ack(long id, String argsJson) {
    return "43" + id + "[" + argsJson + "]";
  }

  /**
   * An event whose arguments may hold binary values: a BINARY_EVENT with its attachments when they
   * do.
   */
  public static Encoded event(String nsp, String name, ArrayNode args) {
    ArrayNode all = args.deepCopy();
    all.insert(0, name);
    return packet('2', nsp, -1, all);
  }

  /**
   * An ack whose arguments may hold binary values: a BINARY_ACK with its attachments when they do.
   */
  public static Encoded ack(String nsp, long id, ArrayNode args) {
    return packet('3', nsp, id, args);
  }

  private static Encoded packet(char type, String nsp, long id, ArrayNode args) {
    Attachments.Split s = Attachments.split(args);
    int n = s.binaries().size();
    // BINARY_EVENT is EVENT + 3, BINARY_ACK is ACK + 3; the attachment count comes before the
    // namespace.
    String head = n == 0 ? "4" + type : "4" + (char) (type + 3) + n + "-";
    return new Encoded(
        head + prefix(nsp) + (id >= 0 ? String.valueOf(id) : "") + s.json(), s.binaries());
  }

  private static String prefix(String nsp) {
    return nsp.equals("/") ? "" : nsp + ",";
  }
}
