package dev.tailboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one run of {@code bench/all.sh} (the JSON lines the scenarios appended) into the side by
 * side results: a markdown table with the ratio of Tailboard to each peer, the same figures as JSON
 * and CSV, and an SVG chart of bars drawn here (no chart library). With a third argument, the table
 * replaces what stands between {@code <!-- bench:results -->} and {@code <!-- /bench:results -->}
 * in that markdown file.
 *
 * <p>Usage: {@code BenchReport RESULTS.jsonl OUT_DIR [DOC.md]}
 */
public final class BenchReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SERVERS = {"tailboard", "jetty", "node"};
  private static final String[] NAMES = {"Tailboard", "bare Jetty peer", "Node ws peer"};
  private static final String[] COLOURS = {"#2b6cb0", "#718096", "#38a169"};

  /** One figure of one scenario: where to find it, how to print it, which way is better. */
  record Metric(String scenario, String key, String label, String unit, boolean lowerIsBetter) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric("fanout", "deliveredPct", "fan-out: lines delivered", "%", false),
          new Metric("fanout", "throughput", "fan-out: line deliveries/s", "/s", false),
          new Metric("fanout", "publishSeconds", "fan-out: time to publish (paced)", "s", true),
          new Metric(
              "fanout", "deliverSeconds", "fan-out: time to the last line everywhere", "s", true),
          new Metric("fanout", "p50", "fan-out: latency p50", "ms", true),
          new Metric("fanout", "p99", "fan-out: latency p99", "ms", true),
          new Metric("fanout", "max", "fan-out: latency max", "ms", true),
          new Metric("fanout", "cpuMicrosPerDelivery", "fan-out: server CPU per line", "µs", true),
          new Metric("fanout", "heapMiB", "fan-out: server heap after GC", "MiB", true),
          new Metric("fanout", "rssMiB", "fan-out: server RSS", "MiB", true),
          new Metric("rooms", "deliveredPct", "rooms: chats delivered", "%", false),
          new Metric("rooms", "throughput", "rooms: chat deliveries/s", "/s", false),
          new Metric("rooms", "p50", "rooms: latency p50", "ms", true),
          new Metric("rooms", "p99", "rooms: latency p99", "ms", true),
          new Metric("rooms", "max", "rooms: latency max", "ms", true),
          new Metric("rooms", "cpuMicrosPerDelivery", "rooms: server CPU per delivery", "µs", true),
          new Metric("rooms", "heapPerConnKiB", "rooms: heap per joined WebSocket", "KiB", true),
          new Metric("idle", "sseHeld", "idle: SSE streams held", "", false),
          new Metric("idle", "wsHeld", "idle: WebSockets held", "", false),
          new Metric("idle", "heapMiB", "idle: server heap after GC, all held", "MiB", true),
          new Metric("idle", "heapPerConnKiB", "idle: heap per connection", "KiB", true),
          new Metric("idle", "rssMiB", "idle: server RSS, all held", "MiB", true),
          new Metric("replay", "median", "replay: time to the last line", "ms", true),
          new Metric("replay", "throughput", "replay: lines/s", "/s", false),
          new Metric("stalled", "p99Quiet", "stalled: healthy p99, quiet", "ms", true),
          new Metric(
              "stalled", "p99Stalled", "stalled: healthy p99 with stalled readers", "ms", true),
          new Metric("stalled", "p99Ratio", "stalled: healthy p99 with ÷ quiet", "×", true),
          new Metric(
              "stalled", "deliveredPct", "stalled: healthy lines delivered, with them", "%", false),
          new Metric("stalled", "lost", "stalled: healthy lines lost, both phases", "", true),
          new Metric(
              "stalled", "heldAtEnd", "stalled: stalled readers still open at end", "", false),
          new Metric("stalled", "threadsQuiet", "stalled: server threads, quiet", "", true),
          new Metric("stalled", "threadsStalled", "stalled: server threads with them", "", true),
          new Metric(
              "stalled", "heapQuietMiB", "stalled: server heap after GC, quiet", "MiB", true),
          new Metric(
              "stalled", "heapStalledMiB", "stalled: server heap after GC with them", "MiB", true),
          new Metric("stalled", "rssStalledMiB", "stalled: server RSS with them", "MiB", true));

  /** The bars of the chart: one panel each. */
  private static final List<String> CHART =
      List.of(
          "fanout/p99",
          "fanout/cpuMicrosPerDelivery",
          "rooms/p99",
          "idle/heapMiB",
          "idle/rssMiB",
          "replay/median",
          "stalled/p99Ratio",
          "stalled/threadsStalled",
          "stalled/heapStalledMiB");

  public static void main(String[] args) throws IOException {
    Path results = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Map<String, Map<String, JsonNode>> byScenario = new LinkedHashMap<>();
    ArrayNode all = JSON.createArrayNode();
    for (String line : Files.readAllLines(results)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode row = JSON.readTree(line);
      all.add(row);
      byScenario
          .computeIfAbsent(row.get("scenario").asText(), s -> new LinkedHashMap<>())
          .put(row.get("server").asText(), withDerived(row));
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("results.json").toFile(), all);
    String table = table(byScenario);
    Files.writeString(out.resolve("results.md"), table);
    Files.writeString(out.resolve("results.csv"), csv(byScenario));
    Files.writeString(out.resolve("results.svg"), svg(byScenario));
    if (args.length > 2) {
      Path doc = Path.of(args[2]);
      String text = Files.readString(doc);
      String open = "<!-- bench:results -->\n";
      String close = "<!-- /bench:results -->";
      int from = text.indexOf(open);
      int to = text.indexOf(close);
      if (from >= 0 && to > from) {
        Files.writeString(
            doc, text.substring(0, from + open.length()) + table + text.substring(to));
      }
    }
    System.out.println(table);
  }

  private static JsonNode withDerived(JsonNode row) {
    var copy = row.deepCopy();
    if (row.has("deliveries") && row.has("expected")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) copy)
          .put(
              "deliveredPct",
              100.0
                  * row.get("deliveries").asDouble()
                  / Math.max(1, row.get("expected").asDouble()));
    }
    return copy;
  }

  private static Double value(Map<String, Map<String, JsonNode>> data, Metric m, String server) {
    JsonNode row = data.getOrDefault(m.scenario(), Map.of()).get(server);
    if (row == null || !row.has(m.key()) || row.get(m.key()).asDouble() < 0) {
      return null;
    }
    return row.get(m.key()).asDouble();
  }

  static String format(Double v, String unit) {
    if (v == null) {
      return "—";
    }
    String number =
        Math.abs(v) >= 1000 || (unit.isEmpty() && v == Math.rint(v))
            ? String.format(Locale.ROOT, "%,.0f", v)
            : Math.abs(v) >= 100
                ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10
                    ? String.format(Locale.ROOT, "%.1f", v)
                    : String.format(Locale.ROOT, "%.2f", v);
    return unit.isEmpty() || unit.equals("/s")
        ? number
        : unit.equals("×") ? number + unit : number + " " + unit;
  }

  private static String ratio(Double t, Double peer) {
    return t == null || peer == null || peer == 0
        ? "—"
        : String.format(Locale.ROOT, "%.2f×", t / peer);
  }

  private static String table(Map<String, Map<String, JsonNode>> data) {
    StringBuilder b = new StringBuilder();
    b.append("| scenario: figure | better | ")
        .append(String.join(" | ", NAMES))
        .append(" | Tailboard ÷ Jetty | Tailboard ÷ Node |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Metric m : METRICS) {
      Double[] v = new Double[SERVERS.length];
      for (int i = 0; i < SERVERS.length; i++) {
        v[i] = value(data, m, SERVERS[i]);
      }
      if (v[0] == null && v[1] == null && v[2] == null) {
        continue;
      }
      b.append("| ").append(m.label()).append(" | ").append(m.lowerIsBetter() ? "lower" : "higher");
      for (Double x : v) {
        b.append(" | ").append(format(x, m.unit()));
      }
      b.append(" | ").append(ratio(v[0], v[1])).append(" | ").append(ratio(v[0], v[2]));
      b.append(" |\n");
    }
    return b.toString();
  }

  private static String csv(Map<String, Map<String, JsonNode>> data) {
    StringBuilder b = new StringBuilder("scenario,figure,unit,tailboard,jetty,node\n");
    for (Metric m : METRICS) {
      b.append(m.scenario()).append(',').append(m.key()).append(',').append(m.unit());
      for (String s : SERVERS) {
        Double v = value(data, m, s);
        b.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.3f", v));
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Small multiples: one panel per figure, a bar per server, each panel on its own scale. */
  private static String svg(Map<String, Map<String, JsonNode>> data) {
    int panelW = 260;
    int panelH = 190;
    int cols = 3;
    List<Metric> shown = new ArrayList<>();
    for (String id : CHART) {
      METRICS.stream()
          .filter(m -> (m.scenario() + "/" + m.key()).equals(id))
          .findFirst()
          .ifPresent(shown::add);
    }
    int rows = (shown.size() + cols - 1) / cols;
    int width = cols * panelW;
    int height = rows * panelH + 50;
    StringBuilder s = new StringBuilder();
    s.append(
            String.format(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0"
                    + " %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
                width, height, width, height))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for (int i = 0; i < SERVERS.length; i++) {
      int x = 10 + i * 150;
      s.append(
          String.format(
              "<rect x=\"%d\" y=\"12\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"22\">%s</text>\n",
              x, COLOURS[i], x + 16, NAMES[i]));
    }
    for (int p = 0; p < shown.size(); p++) {
      Metric m = shown.get(p);
      int ox = (p % cols) * panelW;
      int oy = 40 + (p / cols) * panelH;
      double max = 0;
      Double[] v = new Double[SERVERS.length];
      for (int i = 0; i < SERVERS.length; i++) {
        v[i] = value(data, m, SERVERS[i]);
        max = Math.max(max, v[i] == null ? 0 : v[i]);
      }
      s.append(
          String.format(
              "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>"
                  + "<text x=\"%d\" y=\"%d\">%s, %s is better</text>\n",
              ox + 10,
              oy + 14,
              escape(m.label()),
              ox + 10,
              oy + 28,
              m.unit(),
              m.lowerIsBetter() ? "lower" : "higher"));
      int baseY = oy + panelH - 30;
      int barsH = panelH - 84;
      for (int i = 0; i < SERVERS.length; i++) {
        int x = ox + 20 + i * 75;
        int h = v[i] == null || max == 0 ? 0 : (int) Math.round(barsH * v[i] / max);
        s.append(
            String.format(
                "<rect x=\"%d\" y=\"%d\" width=\"55\" height=\"%d\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                x, baseY - h, h, COLOURS[i], x + 27, baseY - h - 4, format(v[i], "")));
      }
      s.append(
          String.format(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
              ox + 10, baseY, ox + panelW - 20, baseY));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;");
  }

  private BenchReport() {}
}
