package io.herald.bench.load;

/**
 * A progress line on stderr at most once per second (and once at completion), so long runs show
 * they are alive.
 */
public final class Progress {
  private final String prefix;
  private long last;
  private String finished;

  public Progress(String prefix) {
    this.prefix = prefix;
  }

  public void tick(String what, long done, long total) {
    long now = System.nanoTime();
    boolean complete = done >= total;
    if (complete ? what.equals(finished) : now - last < 1_000_000_000L) return;
    last = now;
    finished = complete ? what : null;
    System.err.printf(
        "%s %s %d/%d (%.0f%%)%n", prefix, what, done, total, 100.0 * done / Math.max(1, total));
  }

  public void line(String text) {
    System.err.println(prefix + " " + text);
  }
}
