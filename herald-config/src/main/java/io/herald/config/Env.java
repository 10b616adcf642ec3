package io.herald.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed reads of environment variables that collect every error instead of stopping at the first,
 * so start-up can fail once naming every bad variable. Only the app reads {@link System#getenv};
 * components get records. Not thread-safe: used during start-up only.
 */
public final class Env {
  /**
   * Variables with this prefix are Herald's own: an unknown one is a typo, reported as an error.
   */
  static final String PREFIX = "HERALD_";

  private final Map<String, String> vars;

  /**
   * The variables whose value came from the {@code .env} file (the environment did not set them).
   */
  private final Set<String> fromDotEnv;

  private final List<String> errors = new ArrayList<>();

  /** In the order first read, so {@code herald config} lists them as the services read them. */
  private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());

  /** The default each read fell back to, as text ("(unset)" for a variable without one). */
  private final Map<String, String> defaults = new ConcurrentHashMap<>();

  private Env(Map<String, String> vars, Set<String> fromDotEnv) {
    this.vars = Map.copyOf(vars);
    this.fromDotEnv = Set.copyOf(fromDotEnv);
  }

  public static Env of(Map<String, String> vars) {
    return new Env(vars, Set.of());
  }

  /**
   * The process environment over the {@code .env} file of the working directory, when there is one.
   */
  public static Env system() {
    return of(System.getenv(), DotEnv.read(Path.of(".env")));
  }

  /** {@code environment} over {@code dotEnv}: a variable set in both is the environment's. */
  static Env of(Map<String, String> environment, Map<String, String> dotEnv) {
    Map<String, String> vars = new HashMap<>(dotEnv);
    vars.putAll(environment);
    Set<String> fromFile = new HashSet<>(dotEnv.keySet());
    fromFile.removeAll(environment.keySet());
    return new Env(vars, fromFile);
  }

  /** Where a variable's effective value came from. */
  public enum Source {
    ENVIRONMENT("environment"),
    DOTENV(".env"),
    DEFAULT("default");

    public final String label;

    Source(String label) {
      this.label = label;
    }
  }

  /**
   * One variable as it was read: its value (empty when it was unset or blank and the default
   * applied), the default, and where the effective value came from.
   */
  public record Read(String name, Optional<String> value, String defaultValue, Source source) {}

  /** Every variable read so far, in the order first read: what {@code herald config} shows. */
  public List<Read> reads() {
    List<Read> out = new ArrayList<>();
    synchronized (read) {
      for (String name : read) {
        String v = vars.get(name);
        boolean set = v != null && (!v.isBlank() || emptyIsValue.contains(name));
        Source source =
            !set ? Source.DEFAULT : fromDotEnv.contains(name) ? Source.DOTENV : Source.ENVIRONMENT;
        out.add(
            new Read(
                name,
                set ? Optional.of(v.strip()) : Optional.empty(),
                defaults.getOrDefault(name, "(unset)"),
                source));
      }
    }
    return out;
  }

  /**
   * Variables read with {@link #stringOrEmpty}: set to the empty string, they are set (an empty
   * password).
   */
  private final Set<String> emptyIsValue = ConcurrentHashMap.newKeySet();

  private void noteDefault(String name, String def) {
    defaults.putIfAbsent(name, def);
  }

  private Optional<String> raw(String name) {
    read.add(name);
    String v = vars.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String name, String def) {
    noteDefault(name, def);
    return raw(name).orElse(def);
  }

  /**
   * Like {@link #string}, but a variable set to the empty string stays empty (an empty password is
   * a value).
   */
  public String stringOrEmpty(String name, String def) {
    noteDefault(name, def);
    emptyIsValue.add(name);
    read.add(name);
    String v = vars.get(name);
    return v == null ? def : v;
  }

  /** A variable with no default; empty when unset or blank. */
  public Optional<String> optional(String name) {
    return raw(name);
  }

  public int integer(String name, int def, int min, int max) {
    noteDefault(name, Integer.toString(def));
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
    noteDefault(name, Boolean.toString(def));
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    switch (v.get().toLowerCase()) {
      case "true", "1", "yes", "on":
        return true;
      case "false", "0", "no", "off":
        return false;
      default:
        error(name + "=" + v.get() + ": expected true or false");
        return def;
    }
  }

  /**
   * A duration in Go syntax ({@code 500ms}, {@code 2s}, {@code 1m30s}, {@code 1.5h}), as the seeds
   * use.
   */
  public Duration duration(String name, Duration def) {
    noteDefault(name, GoDuration.format(def));
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    try {
      return GoDuration.parse(v.get());
    } catch (IllegalArgumentException e) {
      error(name + "=" + v.get() + ": " + e.getMessage());
      return def;
    }
  }

  /**
   * A size in bytes: a number with an optional unit B, KiB, MiB, GiB (also KB, MB, GB as powers of
   * 1024).
   */
  public long bytes(String name, long def) {
    noteDefault(name, ByteSize.format(def));
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
    noteDefault(name, def.isEmpty() ? "(empty)" : String.join(",", def));
    return raw(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(def);
  }

  /** One of {@code allowed}, compared without case; returns the allowed spelling. */
  public String choice(String name, String def, List<String> allowed) {
    noteDefault(name, def);
    Optional<String> v = raw(name);
    if (v.isEmpty()) return def;
    for (String a : allowed) if (a.equalsIgnoreCase(v.get())) return a;
    error(name + "=" + v.get() + ": expected one of " + String.join(", ", allowed));
    return def;
  }

  /** Records an error found by a component's own checks. */
  public void error(String message) {
    if (!errors.contains(message))
      errors.add(message); // services that share a variable check it once each
  }

  /** Throws once with every error so far, plus every unknown {@code HERALD_*} variable. */
  public void validate() throws ConfigException {
    List<String> all = new ArrayList<>(errors);
    Set<String> unknown = new TreeSet<>();
    for (String k : vars.keySet())
      if (k.startsWith(PREFIX) && !read.contains(k) && !IGNORED.contains(k)) unknown.add(k);
    for (String k : unknown) all.add(k + ": unknown variable");
    if (!all.isEmpty()) throw new ConfigException(all);
  }

  /** Read by the launchers (./herald, the release's bin/herald), not by the server. */
  private static final Set<String> IGNORED = Set.of("HERALD_JAVA_OPTS", "HERALD_STATE_DIR");
}
