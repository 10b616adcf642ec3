package io.herald.store;

import io.herald.config.Env;
import io.herald.store.redis.Redis;
import java.util.Locale;
import java.util.Set;

/**
 * REDIS_URL, read in this one place by every component that uses Redis: the engine, telemetry's
 * store, writer's counters. Each passes its seed's default (they differ: the seeds were written for
 * different deployments), and a value that is not a Redis URL stops start-up with the reason, never
 * the value (it may hold a password).
 */
public final class RedisSetting {
  /**
   * What the URL is for: the engine takes every form; a store is one server or a Sentinel set,
   * never a cluster.
   */
  public enum Use {
    ENGINE,
    STORE
  }

  private RedisSetting() {}

  /** REDIS_URL or {@code seedDefault}, checked for {@code use}. */
  public static String read(Env env, String seedDefault, Use use) {
    String url = env.string("REDIS_URL", seedDefault);
    String why = use == Use.ENGINE ? engineProblem(url) : storeProblem(url);
    if (why != null) env.error(why);
    return url;
  }

  private static String engineProblem(String url) {
    try {
      Redis.sentinel(url); // parses every form, a cluster's seeds too, refusing a bad one
      return null;
    } catch (IllegalArgumentException e) {
      String why = e.getMessage();
      return why != null && why.startsWith("REDIS_URL") ? why : "REDIS_URL: not a Redis URL";
    }
  }

  /**
   * By its scheme only: a store's client parses the rest when it connects. Not Lettuce's parser
   * here, which would load Lettuce, and with it the logging, before the log format is configured.
   */
  private static String storeProblem(String url) {
    int at = url.indexOf("://");
    String scheme = at < 0 ? "" : url.substring(0, at).strip().toLowerCase(Locale.ROOT);
    if (scheme.endsWith("-cluster")) {
      return "REDIS_URL: a redis-cluster URL is for the engine (HERALD_ENGINE=redis) only";
    }
    return STORE_SCHEMES.contains(scheme)
        ? null
        : "REDIS_URL: not a Redis URL (redis://, rediss://, redis-socket:// or redis-sentinel://)";
  }

  private static final Set<String> STORE_SCHEMES =
      Set.of("redis", "rediss", "redis-socket", "redis-sentinel", "rediss-sentinel");
}
