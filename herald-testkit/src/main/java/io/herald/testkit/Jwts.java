package io.herald.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-signed JWTs as the applications in front of Herald mint them (a Spring Boot service, a Node
 * API), for the services that verify them (telemetry, websocket). The JDK's HMAC only, so that the
 * load generator needs no JWT library either; a test checks them with the same verifier the server
 * uses.
 */
public final class Jwts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {}

  /**
   * A token signed with {@code secret} (its UTF-8 bytes) by {@code alg}: HS256, HS384 or HS512.
   * {@code claims} are written as JSON in their map's order; dates are numbers of seconds, as JWT
   * wants them (for example {@code JWTClaimsSet.toJSONObject()}).
   */
  public static String sign(String alg, String secret, Map<String, ?> claims) {
    String mac =
        switch (alg) {
          case "HS256" -> "HmacSHA256";
          case "HS384" -> "HmacSHA384";
          case "HS512" -> "HmacSHA512";
          default -> throw new IllegalArgumentException("not an HMAC algorithm: " + alg);
        };
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", alg);
    header.put("typ", "JWT");
    String signed = part(header) + "." + part(claims);
    try {
      Mac m = Mac.getInstance(mac);
      m.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac));
      return signed
          + "."
          + B64.encodeToString(m.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * HS256 with {@code sub}, {@code roles} and an expiry an hour away: telemetry's user or admin.
   */
  public static String telemetry(String secret, String user, boolean admin) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", user);
    claims.put("roles", List.of(admin ? "ADMIN" : "USER"));
    claims.put("exp", System.currentTimeMillis() / 1000 + 3600);
    return sign("HS256", secret, claims);
  }

  private static String part(Map<String, ?> json) {
    try {
      return B64.encodeToString(JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("claims that are not JSON: " + json, e);
    }
  }
}
