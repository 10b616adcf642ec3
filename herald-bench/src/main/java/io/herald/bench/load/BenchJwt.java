package io.herald.bench.load;

import io.herald.testkit.Jwts;

/**
 * The telemetry scenarios' secret and their users' tokens, minted as the tests mint theirs (the
 * testkit's Jwts).
 */
public final class BenchJwt {
  public static final String SECRET = "herald-bench-secret-at-least-thirty-two-bytes";

  private BenchJwt() {}

  public static String token(String user, boolean admin) {
    return Jwts.telemetry(SECRET, user, admin);
  }
}
