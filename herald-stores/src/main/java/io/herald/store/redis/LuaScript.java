package io.herald.store.redis;

import io.herald.util.Digest;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script called by its SHA-1 (EVALSHA), so its text does not travel with every call; a Redis
 * that does not know it yet (a restart, SCRIPT FLUSH) gets the text once (EVAL loads it).
 */
public record LuaScript(String text, String sha) {
  public LuaScript(String text) {
    this(text, Digest.hex("SHA-1", text));
  }

  /**
   * @param c one server's commands or a cluster's (EVALSHA and EVAL go to the node of the keys'
   *     slot)
   */
  public <T> CompletionStage<T> call(
      RedisClusterAsyncCommands<String, String> c,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    return c.<T>evalsha(sha, type, keys, args)
        .exceptionallyCompose(
            e -> {
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              return cause instanceof RedisNoScriptException
                  ? c.<T>eval(text, type, keys, args)
                  : CompletableFuture.failedFuture(cause);
            });
  }
}
