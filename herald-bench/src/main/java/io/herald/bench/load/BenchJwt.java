package io.herald.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HS256 tokens for the telemetry scenarios, as a Spring application would mint them (no JWT library needed). */
public final class BenchJwt {
  public static final String SECRET = "herald-bench-secret-at-least-thirty-two-bytes";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private BenchJwt() {}

  public static String token(String user, boolean admin) {
    long exp = System.currentTimeMillis() / 1000 + 3600;
    String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = B64.encodeToString(("{\"sub\":\"" + user + "\",\"roles\":[\"" + (admin ? "ADMIN" : "USER") + "\"],\"exp\":" + exp + "}")
        .getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signature = B64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
      return header + "." + claims + "." + signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
