package io.herald.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./herald chaos [--faults kill-restart,restart-storm,stalled-consumer] [--clients 200] [--storm-clients 10000]
 * [--rate 50] [--seconds 20] [--soak-seconds 1800] [--churn-clients 100] [--out reliability-results]}; {@code soak}
 * is a fault too, run only when named: runs each fault script against a fresh Herald push-hub
 * and prints one table row per fault; writes results.json and summary.md to the output folder. Exits 1 when any
 * fault lost or doubled an event (or missed its promised signal).
 */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    if (o.containsKey("render-soak")) {  // redraw soak.svg from an earlier run's soak.csv
      Path dir = Path.of(o.get("render-soak"));
      Files.writeString(dir.resolve("soak.svg"), Soak.chart(Soak.read(dir.resolve("soak.csv"))));
      return;
    }
    Path root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
    ChaosConfig config = new ChaosConfig(List.of(o.getOrDefault("faults", String.join(",", Faults.ALL)).split(",")),
        Integer.parseInt(o.getOrDefault("clients", "200")), Integer.parseInt(o.getOrDefault("storm-clients", "10000")),
        Double.parseDouble(o.getOrDefault("rate", "50")), Double.parseDouble(o.getOrDefault("seconds", "20")),
        Double.parseDouble(o.getOrDefault("soak-seconds", "1800")), Integer.parseInt(o.getOrDefault("churn-clients", "100")),
        root, root.resolve(o.getOrDefault("out", "reliability-results")));
    Files.createDirectories(config.out());
    Faults faults = new Faults(config);
    List<Tally> results = new ArrayList<>();
    for (String f : config.faults()) {
      System.err.println("[chaos] " + f + ": starting");
      results.add(faults.run(f));
      write(config, args, results);
    }
    System.out.print(markdown(results));
    System.exit(results.stream().allMatch(t -> !t.verdict().equals("FAIL")) ? 0 : 1);
  }

  private static void write(ChaosConfig config, String[] args, List<Tally> results) throws Exception {
    Map<String, Object> doc = Map.of("command", "./herald chaos " + String.join(" ", args), "finished", Instant.now().toString(),
        "results", results);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(config.out().resolve("results.json").toFile(), doc);
    Files.writeString(config.out().resolve("summary.md"), "Command: `./herald chaos " + String.join(" ", args) + "`  \nFinished: "
        + Instant.now() + "\n\n" + markdown(results));
  }

  static String markdown(List<Tally> results) {
    StringBuilder b = new StringBuilder("| fault | clients | published | accepted | owed | received | lost | duplicated | out of order | reconnects | signal | verdict | note |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Tally t : results) {
      b.append("| ").append(String.join(" | ", t.fault(), s(t.clients()), s(t.published()), s(t.accepted()), s(t.expected()),
          s(t.received()), s(t.lost()), s(t.duplicated()), s(t.reordered()), s(t.reconnects()), t.signal().isEmpty() ? "-" : t.signal(),
          t.verdict(), t.note())).append(" |\n");
    }
    return b.toString();
  }

  private static String s(long v) {
    return String.format("%,d", v);
  }
}
