package io.herald.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed reads of environment variables that collect every error instead of stopping at the first, so start-up
 * can fail once naming every bad variable. Only the app reads {@link System#getenv}; components get records.
 * Not thread-safe: used during start-up only.
 */
public final class Env {
  /** Variables with this prefix are Herald's own: an unknown one is a typo, reported as an error. */
  static final String PREFIX = "HERALD_";

  private final Map<String, String> vars;
  private final List<String> errors = new ArrayList<>();
  private final Set<String> read = ConcurrentHashMap.newKeySet();

  private Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  public static Env of(Map<String, String> vars) {
    return new Env(vars);
  }

  /** The process environment over the {@code .env} file of the working directory, when there is one. */
  public static Env system() {
    Map<String, String> vars = new java.util.HashMap<>(DotEnv.read(java.nio.file.Path.of(".env")));
    vars.putAll(System.getenv());
    return new Env(vars);
  }

  private Optional<String> raw(String name) {
    read.add(name);
    String v = vars.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String name, String def) {
    return raw(name).orElse(def);
  }

  /** Like {@link #string}, but a variable set to the empty string stays empty (an empty password is a value). */
  public String stringOrEmpty(String name, String def) {
    read.add(name);
    String v = vars.get(name);
    return v == null ? def : v;
  }

  /** A variable with no default; empty when unset or blank. */
  public Optional<String> optional(String name) {
    return raw(name);
  }

  public int integer(String name, int def, int min, int max) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    error(name + "=" + v.get() + ": expected a whole number from " + min + " to " + max);
    return def;
  }

  public boolean bool(String name, boolean def) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    switch (v.get().toLowerCase()) {
      case "true", "1", "yes", "on": return true;
      case "false", "0", "no", "off": return false;
      default:
        error(name + "=" + v.get() + ": expected true or false");
        return def;
    }
  }

  /** A duration in Go syntax ({@code 500ms}, {@code 2s}, {@code 1m30s}, {@code 1.5h}), as the seeds use. */
  public Duration duration(String name, Duration def) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    try {
      return GoDuration.parse(v.get());
    } catch (IllegalArgumentException e) {
      error(name + "=" + v.get() + ": " + e.getMessage());
      return def;
    }
  }

  /** A size in bytes: a number with an optional unit B, KiB, MiB, GiB (also KB, MB, GB as powers of 1024). */
  public long bytes(String name, long def) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    try {
      return ByteSize.parse(v.get());
    } catch (IllegalArgumentException e) {
      error(name + "=" + v.get() + ": " + e.getMessage());
      return def;
    }
  }

  /** A comma-separated list, items trimmed, empty items dropped. */
  public List<String> list(String name, List<String> def) {
    return raw(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()).orElse(def);
  }

  /** One of {@code allowed}, compared without case; returns the allowed spelling. */
  public String choice(String name, String def, List<String> allowed) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    for (String a : allowed) if (a.equalsIgnoreCase(v.get())) return a;
    error(name + "=" + v.get() + ": expected one of " + String.join(", ", allowed));
    return def;
  }

  /** Records an error found by a component's own checks. */
  public void error(String message) {
    if (!errors.contains(message)) errors.add(message);  // services that share a variable check it once each
  }

  /** Throws once with every error so far, plus every unknown {@code HERALD_*} variable. */
  public void validate() throws ConfigException {
    List<String> all = new ArrayList<>(errors);
    Set<String> unknown = new TreeSet<>();
    for (String k : vars.keySet()) if (k.startsWith(PREFIX) && !read.contains(k) && !IGNORED.contains(k)) unknown.add(k);
    for (String k : unknown) all.add(k + ": unknown variable");
    if (!all.isEmpty()) throw new ConfigException(all);
  }

  /** Read by scripts, not by the server. */
  private static final Set<String> IGNORED = Set.of("HERALD_JAVA_OPTS");
}
