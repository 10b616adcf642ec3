package io.herald.transport.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.config.Env;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.Set;

/**
 * Verifies HMAC-signed JWTs (HS256/384/512 with the shared secret), as a Spring Boot (jjwt, Spring
 * Security) or Node (jsonwebtoken) application issues them, and returns their claims. Any other
 * algorithm, {@code none} included, is refused before the signature is looked at, so a token cannot
 * choose how it is checked. {@code exp} and {@code nbf} are checked with a small leeway.
 */
public final class JwtVerifier {
  private static final Set<JWSAlgorithm> ALLOWED =
      Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

  /**
   * Why a token was refused; the message is safe to return (it never echoes the token or the
   * secret).
   */
  public static final class Rejected extends Exception {
    public Rejected(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * JWT_SECRET as bytes (UTF-8, or base64-decoded when HERALD_JWT_SECRET_BASE64=true), empty when
   * unset. Read by every service that checks tokens, so they agree on the bytes under {@code herald
   * all}.
   */
  public static byte[] secret(Env env) {
    boolean base64 = env.bool("HERALD_JWT_SECRET_BASE64", false);
    byte[] secret =
        env.optional("JWT_SECRET")
            .map(
                s -> {
                  if (!base64) return s.getBytes(StandardCharsets.UTF_8);
                  try {
                    return Base64.getDecoder().decode(s);
                  } catch (IllegalArgumentException e) {
                    env.error("JWT_SECRET is not valid base64 (HERALD_JWT_SECRET_BASE64=true)");
                    return new byte[0];
                  }
                })
            .orElse(new byte[0]);
    if (secret.length > 0 && secret.length < 32)
      env.error("JWT_SECRET must be at least 32 bytes (256 bits, the HS256 minimum)");
    return secret;
  }

  /** HERALD_JWT_LEEWAY: clock skew allowed on {@code exp} and {@code nbf} (30 s). */
  public static Duration leeway(Env env) {
    return env.duration("HERALD_JWT_LEEWAY", Duration.ofSeconds(30));
  }

  /**
   * The user a token names: its {@code userId} claim, else {@code sub}; null when neither is there
   * or blank.
   */
  public static String userId(JWTClaimsSet claims) {
    Object id = claims.getClaim("userId");
    String user = id != null ? id.toString() : claims.getSubject();
    return user == null || user.isBlank() ? null : user;
  }

  private final MACVerifier verifier;
  private final Duration leeway;
  private final InstantSource clock;

  /**
   * @throws IllegalArgumentException when the secret is shorter than HS256's 256 bits
   */
  public JwtVerifier(byte[] secret, Duration leeway, InstantSource clock) {
    try {
      this.verifier = new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException(
          "JWT_SECRET must be at least 32 bytes (256 bits, the HS256 minimum)");
    }
    this.leeway = leeway;
    this.clock = clock;
  }

  /** The token's claims once its algorithm, signature, {@code exp} and {@code nbf} are accepted. */
  public JWTClaimsSet verify(String token) throws Rejected {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException
        | RuntimeException
            e) { // Nimbus throws NullPointerException for a header of JSON null (fuzzing found it)
      throw new Rejected("malformed token");
    }
    if (!ALLOWED.contains(jwt.getHeader().getAlgorithm()))
      throw new Rejected("token algorithm not accepted (HS256, HS384 or HS512 only)");
    try {
      if (!jwt.verify(verifier)) throw new Rejected("bad signature");
    } catch (JOSEException e) {
      throw new Rejected(
          "bad signature"); // also: the secret is too short for the token's algorithm
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw new Rejected("malformed claims");
    }
    long now = clock.millis(), skew = leeway.toMillis();
    Date exp = claims.getExpirationTime(), nbf = claims.getNotBeforeTime();
    if (exp != null && now > exp.getTime() + skew) throw new Rejected("token expired");
    if (nbf != null && now < nbf.getTime() - skew) throw new Rejected("token not valid yet");
    return claims;
  }
}
