package io.herald.store;

import io.herald.config.Env;
import java.util.regex.Pattern;

/**
 * Every name a deployment writes on a shared Redis or NATS: keys, pub/sub channels, streams,
 * subjects and key-value buckets. Each one is built here, from {@code HERALD_ENGINE_PREFIX}, so
 * deployments that share a server never read or write each other's data, and a new key cannot
 * forget the prefix.
 *
 * <p>Why the prefix is letters, digits and {@code -} only: then the first {@code :} of a Redis key
 * and the first {@code _} or {@code .} of a NATS name end the prefix, so no name of one deployment
 * can also be one of another's. A component (telemetry's own log) is {@code prefix:component} on
 * Redis and {@code prefix-component} on NATS, which keeps the names deployments had before the
 * prefix applied to it; a prefix ending in {@code -<component>} is refused for that reason.
 *
 * @param prefix HERALD_ENGINE_PREFIX (default {@code herald})
 * @param component empty for the deployment's channels, or the name of a part with an engine of its
 *     own
 */
public record Namespace(String prefix, String component) {
  // The patterns come first: DEFAULT's constructor checks against them while the class initialises.
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
  private static final Pattern COMPONENT = Pattern.compile("[a-z]*");

  /**
   * Components with an engine of their own; a prefix may not end in {@code -<component>} (see
   * above).
   */
  static final String TELEMETRY = "telemetry";

  public static final String DEFAULT_PREFIX = "herald";
  public static final Namespace DEFAULT = new Namespace(DEFAULT_PREFIX, "");

  public Namespace {
    String why = problem(prefix);
    if (why != null) throw new IllegalArgumentException(why);
    if (!COMPONENT.matcher(component).matches())
      throw new IllegalArgumentException("bad component: " + component);
  }

  /**
   * The deployment's namespace: {@code HERALD_ENGINE_PREFIX}, checked (a bad one is a configuration
   * error).
   */
  public static Namespace from(Env env) {
    String prefix = env.string("HERALD_ENGINE_PREFIX", DEFAULT_PREFIX);
    String why = problem(prefix);
    if (why == null) return new Namespace(prefix, "");
    env.error("HERALD_ENGINE_PREFIX=" + prefix + ": " + why);
    return DEFAULT;
  }

  /** Null when {@code prefix} can name a deployment, else why not. */
  static String problem(String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      return "expected 1 to 64 letters, digits or '-', starting with a letter or digit";
    }
    if (prefix.endsWith("-" + TELEMETRY))
      return "a prefix may not end in -" + TELEMETRY + " (telemetry's own names end so)";
    return null;
  }

  /**
   * Telemetry's log: an engine of its own with its own retention, beside the deployment's channels.
   */
  public Namespace telemetry() {
    return of(TELEMETRY);
  }

  private Namespace of(String name) {
    if (!component.isEmpty()) throw new IllegalStateException("a component has no components");
    return new Namespace(prefix, name);
  }

  // Redis

  /** A key of the deployment's own: {@code prefix[:component]:part:part...}. */
  public String redisKey(String... parts) {
    StringBuilder b = new StringBuilder(redisBase());
    for (String p : parts) b.append(':').append(p);
    return b.toString();
  }

  /**
   * A channel's key of {@code kind} ({@code m}, {@code s}, {@code live}): {@code
   * prefix:{channel}:kind}; the braces are Redis Cluster's hash tag, so all of a channel's keys
   * live on one shard.
   */
  public String redisChannelKey(String channel, String kind) {
    return redisBase() + ":{" + channel + "}:" + kind;
  }

  /**
   * The channel a key of {@code kind} belongs to, or null when it is not one of this namespace's.
   */
  public String redisChannelOf(String key, String kind) {
    String head = redisBase() + ":{";
    String tail = "}:" + kind;
    if (!key.startsWith(head)
        || !key.endsWith(tail)
        || key.length() < head.length() + tail.length()) return null;
    return key.substring(head.length(), key.length() - tail.length());
  }

  private String redisBase() {
    return component.isEmpty() ? prefix : prefix + ":" + component;
  }

  // NATS

  /** The channel's stream: {@code <base>_<channel>}, the channel as a {@link #token}. */
  public String natsStream(String channel) {
    return natsBase() + "_" + token(channel);
  }

  /** The one subject the channel's stream holds: {@code <base>.ch.<channel>}. */
  public String natsSubject(String channel) {
    return natsBase() + ".ch." + token(channel);
  }

  /**
   * A key-value bucket of the deployment's: {@code <base>_<name>} (NATS names its stream {@code
   * KV_<bucket>}).
   */
  public String natsBucket(String name) {
    return natsBase() + "_" + token(name);
  }

  private String natsBase() {
    return component.isEmpty() ? token(prefix) : token(prefix) + "-" + component;
  }

  /**
   * A name NATS accepts both as a stream name and as one subject token: letters, digits and {@code
   * -} as they are, any other character as {@code _<hex>_}, so two channels never share a stream.
   */
  public static String token(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')
        b.append(c);
      else b.append('_').append(Integer.toHexString(c)).append('_');
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return component.isEmpty() ? prefix : prefix + " (" + component + ")";
  }
}
