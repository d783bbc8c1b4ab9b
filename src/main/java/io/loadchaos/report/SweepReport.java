package io.loadchaos.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One report for a capacity sweep: a table and an inline-SVG chart of the knee (with its bracket)
 * against the swept dimension, from each run's results.json. Written as sweep.json and sweep.html.
 */
public final class SweepReport {
  public static final String HTML = "sweep.html";
  public static final String JSON = "sweep.json";

  private SweepReport() {}

  /**
   * One value of the dimension. {@code end} as results.json's {@code capacity.knee.end}; {@code knee}
   * null unless KNEE; {@code error}: why there is no result (the run did not write one).
   */
  public record Row(String label, String value, String runDir, String end, Double knee, Double low, Double high,
      Double precision, String summary, String verdict, String error) {}

  /** The row of one run folder (the one holding results.json), or a row with the error when there is none. */
  public static Row row(String label, String value, Path runFolder) {
    if (runFolder == null) return new Row(label, value, null, null, null, null, null, null, null, null, "no run folder was written");
    try {
      RunResult r = ResultsJson.read(runFolder);
      Map<String, Object> cap = r.capacity();
      if (cap == null || !(cap.get("knee") instanceof Map<?, ?> k)) {
        return new Row(label, value, runFolder.toString(), null, null, null, null, null, null, null,
            "results.json has no capacity.knee (not a capacity search run?)");
      }
      String verdict = r.verdicts() == null ? null : r.verdicts().stream().filter(v -> v.name().equals("capacity knee"))
          .map(v -> v.status().name()).findFirst().orElse(null);
      return new Row(label, value, runFolder.toString(), String.valueOf(k.get("end")), dbl(k.get("pointsPerSecond")),
          dbl(k.get("low")), dbl(k.get("high")), dbl(k.get("precision")), String.valueOf(k.get("summary")), verdict, null);
    } catch (IOException e) {
      return new Row(label, value, runFolder.toString(), null, null, null, null, null, null, null, e.getMessage());
    }
  }

  private static Double dbl(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }

  public static Path write(Path dir, String name, String dimension, List<Row> rows) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("dimension", dimension);
    json.put("rows", rows);
    ResultsJson.writeAtomically(dir.resolve(JSON), ResultsJson.mapper().writeValueAsBytes(json));
    Path html = dir.resolve(HTML);
    ResultsJson.writeAtomically(html, render(name, dimension, rows).getBytes(StandardCharsets.UTF_8));
    return html;
  }

  /** Console lines: {@code RF=1: knee 410k points/s [410k, 450k]} per value. */
  public static List<String> consoleLines(List<Row> rows) {
    return rows.stream().map(r -> r.label() + ": " + (r.error() != null ? "no result: " + r.error() : r.summary())).toList();
  }

  static String render(String name, String dimension, List<Row> rows) {
    StringBuilder sb = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<title>capacity sweep ").append(Html.esc(name)).append("</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:16px;color:#222}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px}td.num{text-align:right}")
        .append("tr.knee td{background:#e8f5e9}tr.other td{background:#fff3e0}")
        .append("</style></head><body><h1>Capacity sweep: ").append(Html.esc(name)).append("</h1><p>knee against <code>")
        .append(Html.esc(dimension)).append("</code>; bars: the knee (offered points/s, highest step that met the SLOs);")
        .append(" whiskers: the bracket up to the lowest step that missed; grey: no knee, the bar is a lower bound</p>");
    sb.append(chart(rows));
    sb.append("<table><thead><tr><th>").append(Html.esc(dimension)).append("</th><th>knee points/s</th><th>bracket</th>")
        .append("<th>precision</th><th>verdict</th><th>result</th><th>run</th></tr></thead><tbody>");
    for (Row r : rows) {
      sb.append("<tr class=\"").append(r.knee() != null ? "knee" : "other").append("\"><td>").append(Html.esc(r.label()))
          .append("</td><td class=\"num\">").append(r.knee() == null ? "—" : Html.esc(Numbers.fmt(r.knee())))
          .append("</td><td class=\"num\">").append(Html.esc("[" + num(r.low()) + ", " + num(r.high()) + "]"))
          .append("</td><td class=\"num\">").append(r.precision() == null ? "" : Math.round(r.precision() * 100) + "%")
          .append("</td><td>").append(Html.esc(r.verdict() == null ? "" : r.verdict())).append("</td><td>")
          .append(Html.esc(r.error() != null ? "no result: " + r.error() : r.summary())).append("</td><td><code>")
          .append(Html.esc(r.runDir() == null ? "" : r.runDir())).append("</code></td></tr>");
    }
    return sb.append("</tbody></table></body></html>\n").toString();
  }

  private static String num(Double v) {
    return v == null ? "?" : Numbers.fmt(v);
  }

  /** Bars of the knee (or the lower bound, grey) per value, whiskers up to the bracket's upper bound. */
  static String chart(List<Row> rows) {
    int w = 960;
    int h = 300;
    int left = 70;
    int bottom = 40;
    int top = 20;
    double max = 1;
    for (Row r : rows) {
      if (r.high() != null) max = Math.max(max, r.high());
      if (r.low() != null) max = Math.max(max, r.low());
    }
    max *= 1.1;
    double plotH = h - top - bottom;
    StringBuilder sb = new StringBuilder("<svg class=\"sweep\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(w).append(' ').append(h).append("\" width=\"").append(w).append("\" height=\"").append(h).append("\">");
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      double y = top + plotH - plotH * i / 4;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, w - 10, y, y))
          .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>",
              left - 6, y + 4, Html.esc(rate(v))));
    }
    int n = Math.max(1, rows.size());
    double slot = (double) (w - left - 10) / n;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      double cx = left + slot * (i + 0.5);
      double bw = Math.min(80, slot * 0.6);
      Double bar = r.knee() != null ? r.knee() : r.low();
      if (bar != null) {
        double y = top + plotH - plotH * bar / max;
        sb.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                + "<title>%s</title></rect>", r.knee() != null ? "knee" : "bound", cx - bw / 2, y, bw, top + plotH - y,
            r.knee() != null ? "#2e7d32" : "#9e9e9e", Html.esc(r.label() + ": " + r.summary())))
            .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%s</text>",
                cx, y - 4, Html.esc((r.knee() != null ? "" : ">= ") + rate(bar))));
      }
      if (r.low() != null && r.high() != null) {
        double y1 = top + plotH - plotH * r.low() / max;
        double y2 = top + plotH - plotH * r.high() / max;
        sb.append(String.format(Locale.ROOT, "<path class=\"bracket\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1f\" stroke=\"#222\" fill=\"none\"/>",
            cx + bw / 4, y1, y2, cx + bw / 4 - 6, y2, cx + bw / 4 + 6));
      }
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>",
          cx, h - bottom + 16, Html.esc(r.label())));
    }
    return sb.append("</svg>").toString();
  }

  private static String rate(double v) {
    if (v >= 1_000_000) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    if (v >= 1000) return Math.round(v / 1000) + "k";
    return String.valueOf(Math.round(v));
  }
}
