package io.herald.store.redis;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * REDIS_URL as Herald accepts it: what Lettuce reads ({@code redis://}, {@code rediss://}, {@code
 * redis-socket://}, {@code redis-sentinel://h1:26379,h2:26379/0?sentinelMasterId=NAME} or {@code
 * ...#NAME}), and for Sentinel also {@code ?master=NAME}, the spelling most Redis clients and
 * Herald's docs use. A Redis Cluster is {@code redis-cluster://[[user]:password@]h1:7000,h2:7001/}
 * ({@code rediss-cluster://} with TLS): Lettuce has no URL for several cluster seeds, so each
 * becomes a {@code redis://} URL of its own with the same credentials and query. No message here
 * quotes the URL: it may hold a password.
 */
final class RedisUrl {
  private static final Pattern MASTER =
      Pattern.compile("[?&]" + RedisURI.PARAMETER_NAME_SENTINEL_MASTER_ID + "=[^&#]|#.");
  private static final String CLUSTER = "redis-cluster://";
  private static final String CLUSTER_TLS = "rediss-cluster://";

  private RedisUrl() {}

  static RedisURI parse(String url) {
    String u = url.strip();
    if (cluster(u))
      throw new IllegalArgumentException(
          "REDIS_URL: a redis-cluster URL is for HERALD_ENGINE=redis only");
    if (u.startsWith("redis-sentinel")) {
      u = u.replaceFirst("([?&])master=", "$1" + RedisURI.PARAMETER_NAME_SENTINEL_MASTER_ID + "=");
      if (!MASTER.matcher(u).find()) {
        throw new IllegalArgumentException(
            "REDIS_URL: a redis-sentinel URL needs the master's name (?master=NAME)");
      }
    }
    return RedisURI.create(u);
  }

  static boolean cluster(String url) {
    String u = url.strip();
    return u.startsWith(CLUSTER) || u.startsWith(CLUSTER_TLS);
  }

  /**
   * The seed nodes of a cluster URL: the client learns every other node of the cluster from the
   * first that answers.
   */
  static List<RedisURI> seeds(String url) {
    String u = url.strip();
    boolean tls = u.startsWith(CLUSTER_TLS);
    String rest = u.substring(tls ? CLUSTER_TLS.length() : CLUSTER.length());
    int end = rest.length();
    for (char c : new char[] {'/', '?'})
      if (rest.indexOf(c) >= 0) end = Math.min(end, rest.indexOf(c));
    String authority = rest.substring(0, end);
    String tail = rest.substring(end);
    String path = tail.contains("?") ? tail.substring(0, tail.indexOf('?')) : tail;
    if (!path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
      throw new IllegalArgumentException("REDIS_URL: a Redis Cluster has database 0 only");
    }
    String query = tail.substring(path.length());
    int at = authority.lastIndexOf('@');
    String credentials = authority.substring(0, at + 1);
    List<RedisURI> seeds = new ArrayList<>();
    for (String host : authority.substring(at + 1).split(",", -1)) {
      if (!host.matches("([^:\\s\\[\\]]+|\\[[0-9a-fA-F:]+\\]):\\d{1,5}")) {
        throw new IllegalArgumentException(
            "REDIS_URL: a redis-cluster URL lists its nodes as host:port, comma-separated");
      }
      seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + credentials + host + query));
    }
    return seeds;
  }
}
