package io.herald.app;

import java.util.regex.Pattern;

/**
 * What {@code herald config} never prints: the value of a secret (keys, passwords, tokens, JWT
 * secrets) and the password inside a URL ({@code amqp://user:***@host}). Only whether it is set is
 * shown.
 */
final class Secrets {
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(SECRET|PASSWORD|API_KEY|ADMIN_KEY|TOKEN|PRIVATE).*");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^@/\\s]+@");

  private Secrets() {}

  static String mask(String name, String value) {
    if (SECRET_NAME.matcher(name).matches()) return value.isEmpty() ? "(empty)" : "***";
    return URL_PASSWORD.matcher(value).replaceAll("$1***@");
  }
}
