package io.herald.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code .env} file as the seeds use it: {@code KEY=VALUE} lines, {@code #} comments, an optional
 * {@code export } prefix, values optionally in single or double quotes. Variables already in the
 * environment win over the file.
 */
final class DotEnv {
  private DotEnv() {}

  static Map<String, String> read(Path file) {
    Map<String, String> vars = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) return vars;
    try {
      for (String line : Files.readAllLines(file)) parse(line.strip(), vars);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return vars;
  }

  static void parse(String line, Map<String, String> into) {
    if (line.isEmpty() || line.startsWith("#")) return;
    if (line.startsWith("export ")) line = line.substring(7).strip();
    int eq = line.indexOf('=');
    if (eq <= 0) return;
    String key = line.substring(0, eq).strip(), value = line.substring(eq + 1).strip();
    if (value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      value = value.substring(1, value.length() - 1);
    } else {
      int hash = value.indexOf(" #"); // a trailing comment after an unquoted value
      if (hash >= 0) value = value.substring(0, hash).strip();
    }
    into.put(key, value);
  }
}
