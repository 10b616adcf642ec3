package io.herald.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Hand-written SVG charts: no plotting library on the benchmark's classpath. */
public final class Charts {
  private static final String[] COLORS = {"#1f6feb", "#d1242f", "#2da44e", "#8250df"};

  /** One colour per target in every chart. */
  private static final Map<String, String> TARGET_COLORS =
      Map.of(
          "herald",
          "#1f6feb",
          "go-gorilla",
          "#d1242f",
          "node-ws",
          "#2da44e",
          "herald-sio",
          "#1f6feb",
          "node-socketio",
          "#2da44e",
          "c-floor",
          "#6e7781",
          "herald-journal",
          "#54aeff",
          "herald-uring",
          "#8250df",
          "herald-warm",
          "#9a6700");

  private static String color(String target, int i) {
    return TARGET_COLORS.getOrDefault(target, COLORS[i % COLORS.length]);
  }

  private static final int W = 720, H = 420, L = 70, R = 160, T = 40, B = 50;

  private Charts() {}

  /**
   * p99 latency (log scale) against delivered messages/s, one line per target; the 50 ms line is
   * the fan-out limit.
   */
  static String fanout(Results r, String scenario, String title) {
    return p99(
        r,
        scenario,
        title + ": p99 publish-to-receipt latency vs delivered messages/s",
        "delivered messages/s",
        StepResult::deliveredPerSec,
        50);
  }

  /**
   * p99 latency (log scale) against connected clients at the steady rate; the 5 ms line is the
   * steady target.
   */
  static String steady(Results r, String scenario, String title) {
    return p99(
        r,
        scenario,
        title + ": p99 publish-to-receipt latency vs clients",
        "clients",
        s -> s.clients(),
        5);
  }

  private static String p99(
      Results r,
      String scenario,
      String title,
      String xLabel,
      ToDoubleFunction<StepResult> xOf,
      double limitMs) {
    Map<String, List<StepResult>> byTarget =
        r.steps().stream()
            .filter(s -> s.scenario().equals(scenario))
            .collect(Collectors.groupingBy(StepResult::target, TreeMap::new, Collectors.toList()));
    double maxX =
        byTarget.values().stream().flatMap(List::stream).mapToDouble(xOf).max().orElse(1) * 1.05;
    double minY = Math.log10(0.1), maxY = Math.log10(10_000); // 0.1 ms .. 10 s
    StringBuilder b = header(title);
    axes(b, xLabel, "p99 latency (ms, log)");
    for (int i = 0; i <= 4; i++) {
      double x = maxX * i / 4;
      b.append(text(L + (W - L - R) * i / 4.0, H - B + 18, fmt(x), "middle"));
    }
    for (double ms : new double[] {0.1, 1, limitMs, 10, 100, 1000, 10_000}) {
      double y = yOf(Math.log10(ms), minY, maxY);
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='%s' stroke-dasharray='3,3'/>",
              L,
              W - R,
              y,
              y,
              ms == limitMs ? "#d1242f" : "#ddd"));
      b.append(text(L - 6, y + 4, (ms < 1 ? "0.1" : fmt(ms)), "end"));
    }
    int c = 0;
    for (var e : byTarget.entrySet()) {
      String color = color(e.getKey(), c++);
      StringBuilder pts = new StringBuilder();
      for (StepResult s : e.getValue()) {
        double x = L + (W - L - R) * xOf.applyAsDouble(s) / maxX;
        double y = yOf(Math.log10(Math.max(0.1, s.p99Micros() / 1000.0)), minY, maxY);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        b.append(
            String.format(
                Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>", x, y, color));
      }
      b.append("<polyline fill='none' stroke-width='2' stroke='")
          .append(color)
          .append("' points='")
          .append(pts)
          .append("'/>");
      b.append(legend(c, color, e.getKey()));
    }
    return b.append("</svg>\n").toString();
  }

  /** RSS growth per idle connection, one bar per target. */
  static String idle(Results r) {
    double max = r.idle().stream().mapToDouble(IdleResult::rssPerConnection).max().orElse(1) * 1.15;
    StringBuilder b =
        header("Idle connections: RSS growth per connection (bytes, lower is better)");
    axes(b, "", "bytes per connection");
    int n = r.idle().size();
    double slot = (W - L - R) / (double) Math.max(1, n);
    for (int i = 0; i < n; i++) {
      IdleResult x = r.idle().get(i);
      double h = (H - T - B) * x.rssPerConnection() / max;
      double left = L + slot * i + slot * 0.2;
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>",
              left,
              H - B - h,
              slot * 0.6,
              h,
              color(x.target(), i)));
      b.append(
          text(
              left + slot * 0.3,
              H - B - h - 6,
              String.format(Locale.ROOT, "%.0f", x.rssPerConnection()),
              "middle"));
      b.append(text(left + slot * 0.3, H - B + 18, x.target() + " (" + x.held() + ")", "middle"));
    }
    return b.append("</svg>\n").toString();
  }

  /**
   * Lines over a shared x axis starting at 0: each entry a name and its (x, y) points, y from 0 up.
   */
  public static String lines(
      String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
    double maxX = 1, maxY = 1;
    for (List<double[]> pts : series.values()) {
      for (double[] p : pts) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    maxY *= 1.15;
    StringBuilder b = header(title);
    axes(b, xLabel, yLabel);
    for (int t = 0; t <= 4; t++) { // y ticks
      double v = maxY * t / 4;
      b.append(text(L - 6, yOf(v, 0, maxY) + 4, fmt(v), "end"));
      double x = L + (W - L - R) * t / 4.0;
      b.append(text(x, H - B + 16, fmt(maxX * t / 4), "middle"));
    }
    int c = 0;
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      String color = color(e.getKey(), c);
      StringBuilder pts = new StringBuilder();
      for (double[] p : e.getValue()) {
        pts.append(
            String.format(
                Locale.ROOT, "%.1f,%.1f ", L + (W - L - R) * p[0] / maxX, yOf(p[1], 0, maxY)));
      }
      b.append("<polyline fill='none' stroke-width='2' stroke='")
          .append(color)
          .append("' points='")
          .append(pts)
          .append("'/>");
      b.append(legend(c++, color, e.getKey()));
    }
    return b.append("</svg>\n").toString();
  }

  private static StringBuilder header(String title) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>"
                + "<rect width='100%%' height='100%%' fill='white'/>%s",
            W,
            H,
            text(W / 2.0, 22, title, "middle")));
  }

  private static void axes(StringBuilder b, String xLabel, String yLabel) {
    b.append(
        String.format(
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>", L, H - B, W - R, H - B));
    b.append(
        String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>", L, T, L, H - B));
    b.append(text((L + W - R) / 2.0, H - 10, xLabel, "middle"));
    b.append(
        String.format(
            Locale.ROOT,
            "<text x='16' y='%.1f' transform='rotate(-90 16 %.1f)' text-anchor='middle'>%s</text>",
            (T + H - B) / 2.0,
            (T + H - B) / 2.0,
            yLabel));
  }

  private static String legend(int i, String color, String name) {
    return String.format(
        Locale.ROOT,
        "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>%s",
        W - R + 15,
        T + 20 * i,
        color,
        text(W - R + 32, T + 20 * i + 10, name, "start"));
  }

  private static double yOf(double v, double min, double max) {
    return H - B - (H - T - B) * (v - min) / (max - min);
  }

  private static String text(double x, double y, String s, String anchor) {
    return String.format(
        Locale.ROOT, "<text x='%.1f' y='%.1f' text-anchor='%s'>%s</text>", x, y, anchor, s);
  }

  private static String fmt(double v) {
    if (v < 1000) return String.format(Locale.ROOT, "%.0f", v);
    return v % 1000 == 0 || v >= 100_000
        ? String.format(Locale.ROOT, "%.0fk", v / 1000)
        : String.format(Locale.ROOT, "%.1fk", v / 1000);
  }
}
