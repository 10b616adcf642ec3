package io.herald.transport.http;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse proxies whose {@code X-Forwarded-For} Herald believes (HERALD_TRUSTED_PROXIES:
 * addresses and CIDR ranges). A request from one of them comes from the last address in that header
 * that is not itself a trusted proxy (proxies append, so anything left of it may be what the client
 * made up); from anyone else, from its peer. Addresses are literals: no name is ever looked up.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());
  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = ranges;
  }

  /**
   * @throws IllegalArgumentException naming the first entry that is neither an address nor a CIDR
   *     range
   */
  public static TrustedProxies of(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String e : entries) ranges.add(Range.parse(e.trim()));
    return new TrustedProxies(List.copyOf(ranges));
  }

  /** The client's address as text, or null when the peer is unknown. */
  public String client(HttpServerRequest req) {
    return client(
        req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
        req.headers().getAll("X-Forwarded-For"));
  }

  /**
   * As {@link #client(HttpServerRequest)}, given the peer's address and the X-Forwarded-For headers
   * in order.
   */
  String client(String peer, List<String> forwardedFor) {
    if (peer == null || !trusted(peer)) return normal(peer);
    String client = normal(peer);
    for (int h = forwardedFor.size() - 1; h >= 0; h--) {
      String[] parts = forwardedFor.get(h).split(",");
      for (int i = parts.length - 1; i >= 0; i--) {
        String a = strip(parts[i].trim());
        if (literal(a) == null)
          return client; // garbage: stop at the last address that can be believed
        a = normal(a);
        client = a;
        if (!trusted(a)) return a;
      }
    }
    return client;
  }

  /**
   * Whether the request says it was forwarded (X-Forwarded-For, Forwarded or X-Real-IP), trusted
   * proxy or not. Such a request is not a direct local client, whatever its peer's address (a local
   * proxy makes every client look like loopback, and a header can name any address).
   */
  public static boolean forwarded(HttpServerRequest req) {
    return req.headers().contains("X-Forwarded-For")
        || req.headers().contains("Forwarded")
        || req.headers().contains("X-Real-IP");
  }

  boolean trusted(String address) {
    InetAddress a = literal(address);
    if (a == null) return false;
    for (Range r : ranges) if (r.contains(a)) return true;
    return false;
  }

  /** {@code [v6]:port} and {@code v4:port} as proxies may write them, without the port. */
  private static String strip(String a) {
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end < 0 ? a : a.substring(1, end);
    }
    int colon = a.indexOf(':');
    return colon > 0 && a.indexOf(':', colon + 1) < 0 ? a.substring(0, colon) : a;
  }

  /**
   * One spelling per address ({@code ::ffff:1.2.3.4} is 1.2.3.4, {@code ::1} is {@code
   * 0:0:0:0:0:0:0:1}); else as given.
   */
  private static String normal(String a) {
    InetAddress literal = a == null ? null : literal(a);
    return literal == null ? a : literal.getHostAddress();
  }

  /** The address written {@code a}, or null when it is not an IP literal (never a name lookup). */
  public static InetAddress literal(String a) {
    try {
      return a.isEmpty() ? null : InetAddress.ofLiteral(a);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** An address with a prefix length (the whole address when none is given). */
  private record Range(byte[] network, int prefix) {
    static Range parse(String entry) {
      int slash = entry.indexOf('/');
      InetAddress a = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (a == null)
        throw new IllegalArgumentException(
            "'" + entry + "' is neither an IP address nor a CIDR range");
      int bits = a.getAddress().length * 8, prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bits)
          throw new IllegalArgumentException(
              "'" + entry + "' has a prefix length outside 0-" + bits);
      }
      return new Range(a.getAddress(), prefix);
    }

    boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) return false;
      int full = prefix / 8, rest = prefix % 8;
      for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
      if (rest == 0) return true;
      int mask = 0xff << (8 - rest) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }
  }
}
