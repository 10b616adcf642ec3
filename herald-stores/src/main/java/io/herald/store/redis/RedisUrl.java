package io.herald.store.redis;

import io.lettuce.core.RedisURI;
import java.util.regex.Pattern;

/**
 * REDIS_URL as Herald accepts it: what Lettuce reads ({@code redis://}, {@code rediss://}, {@code redis-socket://},
 * {@code redis-sentinel://h1:26379,h2:26379/0?sentinelMasterId=NAME} or {@code ...#NAME}), and for Sentinel also
 * {@code ?master=NAME}, the spelling most Redis clients and Herald's docs use.
 */
final class RedisUrl {
  private static final Pattern MASTER = Pattern.compile("[?&]" + RedisURI.PARAMETER_NAME_SENTINEL_MASTER_ID + "=[^&#]|#.");

  private RedisUrl() {}

  static RedisURI parse(String url) {
    String u = url.strip();
    if (u.startsWith("redis-sentinel")) {
      u = u.replaceFirst("([?&])master=", "$1" + RedisURI.PARAMETER_NAME_SENTINEL_MASTER_ID + "=");
      if (!MASTER.matcher(u).find()) {
        throw new IllegalArgumentException("REDIS_URL: a redis-sentinel URL needs the master's name (?master=NAME)");
      }
    }
    return RedisURI.create(u);
  }
}
