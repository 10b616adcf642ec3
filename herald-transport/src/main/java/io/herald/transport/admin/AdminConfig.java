package io.herald.transport.admin;

import io.herald.config.Env;
import io.herald.transport.http.ApiKey;
import java.util.Optional;

/**
 * The operator's page.
 *
 * @param key HERALD_ADMIN_KEY: the page and its API exist only when it is set, and the API needs it
 *     as {@code Authorization: Bearer <key>}; held as an {@link ApiKey}, so that no {@code
 *     toString} prints it
 */
public record AdminConfig(ApiKey key) {
  /** No key: no page (GET /admin answers 404). */
  public static final AdminConfig OFF = new AdminConfig(new ApiKey(Optional.empty()));

  public boolean enabled() {
    return key.configured();
  }

  public static AdminConfig from(Env env) {
    Optional<String> key = env.optional("HERALD_ADMIN_KEY");
    if (key.isPresent() && key.get().length() < 16) {
      // A short key falls to guessing: the page shows every channel and room name the node serves.
      env.error(
          "HERALD_ADMIN_KEY must be at least 16 characters (for example: openssl rand -hex 16)");
      return OFF;
    }
    return new AdminConfig(new ApiKey(key));
  }
}
