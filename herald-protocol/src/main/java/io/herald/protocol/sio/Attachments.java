package io.herald.protocol.sio;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Socket.IO's binary attachments: in a BINARY_EVENT or BINARY_ACK each binary value is replaced by
 * {@code {"_placeholder":true,"num":N}} and sent as the N-th binary message after the packet. In
 * Herald a binary value inside arguments is a Jackson {@link BinaryNode}.
 */
public final class Attachments {
  /** A JSON reader that refuses text after the value ({@code 42["a"]junk}). */
  static final ObjectReader STRICT =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Attachments() {}

  /**
   * Arguments with their binary values taken out: {@code json} holds placeholders, {@code binaries}
   * the values in order.
   */
  public record Split(String json, List<byte[]> binaries) {}

  /**
   * Puts each binary message in place of its placeholder, in {@code args} itself (a placeholder out
   * of range is refused).
   */
  public static ArrayNode fill(ArrayNode args, List<byte[]> binaries) throws ProtocolException {
    walk(
        args,
        n -> {
          if (!n.isObject() || !n.path("_placeholder").asBoolean(false)) return null;
          JsonNode num = n.get("num");
          if (num == null
              || !num.canConvertToInt()
              || num.asInt() < 0
              || num.asInt() >= binaries.size()) {
            throw new ProtocolException(
                ErrorCode.INVALID_MESSAGE, "a placeholder names an attachment that does not exist");
          }
          return F.binaryNode(binaries.get(num.asInt()));
        });
    return args;
  }

  /** What replaces a node; null to keep it and look inside. */
  @FunctionalInterface
  private interface Replace {
    JsonNode apply(JsonNode n) throws ProtocolException;
  }

  /**
   * {@code n} with {@code replace} applied to it or, where it keeps a container, inside it;
   * containers change in place.
   */
  private static JsonNode walk(JsonNode n, Replace replace) throws ProtocolException {
    JsonNode r = replace.apply(n);
    if (r != null) return r;
    if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) a.set(i, walk(a.get(i), replace));
    } else if (n instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        e.setValue(walk(e.getValue(), replace));
      }
    }
    return n;
  }

  /**
   * {@code args} as JSON text with placeholders for its binary values, which come out in order.
   * {@code args} is not changed.
   */
  public static Split split(JsonNode args) {
    if (!hasBinary(args)) return new Split(args.toString(), List.of());
    List<byte[]> out = new ArrayList<>();
    JsonNode copy;
    try {
      copy =
          walk(
              args.deepCopy(),
              n -> {
                if (!(n instanceof BinaryNode b)) return null;
                ObjectNode p = F.objectNode().put("_placeholder", true).put("num", out.size());
                out.add(b.binaryValue());
                return p;
              });
    } catch (ProtocolException e) {
      throw new IllegalStateException(e); // the placeholder maker throws nothing
    }
    return new Split(copy.toString(), out);
  }

  /** Whether any value inside {@code n} is binary. */
  public static boolean hasBinary(JsonNode n) {
    if (n.isBinary()) return true;
    if (n.isContainerNode()) for (JsonNode c : n) if (hasBinary(c)) return true;
    return false;
  }
}
