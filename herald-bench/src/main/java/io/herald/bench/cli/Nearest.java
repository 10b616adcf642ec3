package io.herald.bench.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The valid name closest to a mistyped one (edit distance), offered in the refusal: "did you mean
 * fanout?".
 */
public final class Nearest {
  private Nearest() {}

  /**
   * The closest of {@code names}, when it is close enough to be what was meant (at most a third of
   * it differs).
   */
  public static Optional<String> of(String typed, Collection<String> names) {
    return names.stream()
        .min(Comparator.comparingInt(n -> distance(typed, n)))
        .filter(n -> distance(typed, n) <= Math.max(2, n.length() / 3));
  }

  /** "unknown scenario 'fanuot' (did you mean fanout?); known: a, b, c" */
  public static String unknown(String what, String typed, Collection<String> names) {
    return "unknown "
        + what
        + " '"
        + typed
        + "'"
        + of(typed, names).map(n -> " (did you mean " + n + "?)").orElse("")
        + "; known: "
        + String.join(", ", names);
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int same = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + same);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
