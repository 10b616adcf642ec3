package io.herald.app;

import io.herald.config.Env;
import java.util.List;

/**
 * {@code herald config <service>}: every variable the service reads at start, its effective value,
 * and where that came from (environment, .env, default), secrets masked, in columns a person can
 * scan.
 */
final class ConfigTable {
  private ConfigTable() {}

  static String render(List<Env.Read> reads) {
    int name = "VARIABLE".length(), value = "VALUE".length();
    for (Env.Read r : reads) {
      name = Math.max(name, r.name().length());
      value = Math.max(value, Math.min(60, shown(r).length()));
    }
    StringBuilder b = new StringBuilder();
    String row = "%-" + name + "s  %-" + value + "s  %s%n";
    b.append(String.format(row, "VARIABLE", "VALUE", "SOURCE"));
    for (Env.Read r : reads) b.append(String.format(row, r.name(), shown(r), r.source().label));
    return b.toString();
  }

  /** The effective value: what was set, or the default it fell back to. */
  static String shown(Env.Read r) {
    String v = r.value().orElse(r.defaultValue());
    return v.equals("(unset)") || v.equals("(empty)") ? v : Secrets.mask(r.name(), v);
  }
}
