package io.loadchaos.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.WriteRejections;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * report.html: one self-contained page per run (inline CSS, SVG and a few lines of script; a
 * Content-Security-Policy forbids every fetch), readable offline and attachable to a CI job.
 */
public final class HtmlReport {
  public static final String FILE = "report.html";
  private static final String[] PALETTE = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
      "#bcbd22", "#7f7f7f", "#ff7f0e", "#d62728"};

  private HtmlReport() {}

  public static Path write(Path runDir, RunResult r) throws IOException {
    Path file = runDir.resolve(FILE);
    ResultsJson.writeAtomically(file, render(runDir, r).getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** The page; {@code runDir} is only used to make the link to Gatling's report relative. */
  public static String render(Path runDir, RunResult r) {
    Map<String, Object> chartData = new LinkedHashMap<>();
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; ")
        .append("script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(Html.esc("loadchaos " + r.simulation() + " " + r.runId())).append("</title>")
        .append("<style>").append(CSS).append("</style></head>\n<body data-ready=\"false\">\n");
    header(sb, runDir, r);
    verdicts(sb, r.verdicts());
    timeline(sb, r, chartData);
    faults(sb, r);
    phases(sb, r);
    rejectedWrites(sb, r.rejectedWrites());
    findings(sb, r.verdicts());
    shards(sb, r);
    capacity(sb, r, chartData);
    config(sb, r);
    sb.append("<script type=\"application/json\" id=\"chart-data\">").append(json(chartData)).append("</script>\n");
    sb.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return sb.toString();
  }

  // ---- sections ----

  private static void header(StringBuilder sb, Path runDir, RunResult r) {
    boolean passed = r.passed();
    sb.append("<header><h1>").append(Html.esc(r.simulation())).append(" <span class=\"badge ")
        .append(passed ? "pass" : "fail").append("\">").append(passed ? "PASSED" : "FAILED").append("</span></h1>");
    sb.append("<p class=\"meta\">run <code>").append(Html.esc(r.runId())).append("</code> · target ")
        .append(Html.esc(r.target())).append(" · started ").append(Html.esc(r.startedAt())).append(" · ")
        .append(Html.esc(fmt(r.durationSeconds()))).append(" s");
    Object ds = r.dataset() == null ? null : r.dataset().get("name");
    if (ds != null) sb.append(" · dataset ").append(Html.esc(ds));
    sb.append("</p><p class=\"meta\">Gatling report: ");
    String g = r.gatlingReport() == null ? "" : r.gatlingReport().trim();
    if (g.isEmpty()) {
      sb.append("<span class=\"muted\">not recorded for this run</span>");
    } else {
      sb.append("<a id=\"gatling-link\" href=\"").append(Html.esc(gatlingHref(runDir, g))).append("\">")
          .append(Html.esc(g)).append("</a>");
    }
    sb.append("</p><nav><a href=\"#verdicts\">verdicts</a> <a href=\"#timeline\">timeline</a> <a href=\"#faults\">faults</a> ")
        .append("<a href=\"#phases\">phases</a> <a href=\"#rejected\">rejected writes</a> <a href=\"#findings\">read-back &amp; replicas</a> <a href=\"#shards\">shards</a> ");
    if (r.capacity() != null) sb.append("<a href=\"#capacity\">capacity</a> ");
    sb.append("<a href=\"#config\">config</a></nav></header>\n");
  }

  /** A link that works from the run folder: relative when both are on disk, the report's index.html for a folder. */
  static String gatlingHref(Path runDir, String report) {
    if (report.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) return report;
    Path p = Path.of(report);
    if (Files.isDirectory(p) || !report.endsWith(".html")) p = p.resolve("index.html");
    if (runDir != null && p.isAbsolute()) {
      try {
        p = runDir.toAbsolutePath().normalize().relativize(p.normalize());
      } catch (IllegalArgumentException e) {
        return p.toUri().toString();
      }
    }
    return p.toString().replace('\\', '/');
  }

  private static void verdicts(StringBuilder sb, List<Verdict> vs) {
    long bad = vs.stream().filter(v -> !v.passed()).count();
    sb.append("<section id=\"verdicts\"><h2>Verdicts <small>").append(vs.size() - bad).append(" passed, ").append(bad)
        .append(" failed or unknown</small></h2><table class=\"verdicts\"><thead><tr><th>status</th><th>verdict</th>")
        .append("<th>measured</th><th>required</th><th>detail</th></tr></thead><tbody>");
    for (Verdict v : vs) {
      String cls = v.status().name().toLowerCase(Locale.ROOT);
      sb.append("<tr class=\"").append(cls).append("\"><td class=\"status\">").append(v.status()).append("</td><td>")
          .append(Html.esc(v.name())).append("</td><td class=\"num\">").append(Html.esc(v.measured())).append("</td><td>")
          .append(Html.esc(v.threshold())).append("</td><td><div class=\"detail\">").append(Html.esc(v.detail())).append("</div>");
      examples(sb, v, 5);
      sb.append("</td></tr>");
    }
    if (vs.isEmpty()) sb.append("<tr class=\"unknown\"><td colspan=\"5\">the run produced no verdicts</td></tr>");
    sb.append("</tbody></table></section>\n");
  }

  private static void examples(StringBuilder sb, Verdict v, int limit) {
    if (v.examples() == null) return;
    v.examples().forEach((kind, list) -> {
      sb.append("<details><summary>").append(Html.esc(kind)).append(": ").append(list.size()).append(" example")
          .append(list.size() == 1 ? "" : "s").append("</summary><ul class=\"examples\">");
      list.stream().limit(limit).forEach(e -> sb.append("<li><code>").append(Html.esc(e)).append("</code></li>"));
      if (list.size() > limit) sb.append("<li class=\"muted\">… ").append(list.size() - limit).append(" more</li>");
      sb.append("</ul></details>");
    });
  }

  private static void timeline(StringBuilder sb, RunResult r, Map<String, Object> data) {
    sb.append("<section id=\"timeline\"><h2>Timeline</h2><p class=\"muted\">Per second since the run started ")
        .append("(operations counted in the second they started). Fault windows are shaded red, recovery yellow. ")
        .append("Move the mouse over a chart to read values.</p>");
    List<PhaseAnalysis.Second> writes = r.perSecond() == null ? List.of() : r.perSecond().getOrDefault("write", List.of());
    double end = timelineEnd(r);
    List<SvgChart.Band> bands = bands(r, end);
    if (writes.isEmpty()) {
      sb.append("<p class=\"muted\">no writes were recorded</p>");
    } else {
      int n = writes.size();
      double[] x = new double[n];
      double[] okPts = new double[n];
      double[] errRate = new double[n];
      double[] failRate = new double[n];
      double[] p50 = new double[n];
      double[] p99 = new double[n];
      for (int i = 0; i < n; i++) {
        PhaseAnalysis.Second s = writes.get(i);
        long all = s.ok() + s.fail() + s.info();
        x[i] = s.second();
        okPts[i] = s.okPoints();
        errRate[i] = all == 0 ? Double.NaN : (double) (s.fail() + s.info()) / all;
        failRate[i] = all == 0 ? Double.NaN : (double) s.fail() / all;
        p50[i] = all == 0 ? Double.NaN : s.p50Ms();
        p99[i] = all == 0 ? Double.NaN : s.p99Ms();
      }
      chart(sb, data, new SvgChart("chart-throughput", "Write throughput: ok points per second", "second", "points/s")
          .xRange(0, end).xShift(0.5).add(new SvgChart.Series("ok points/s", "#1f77b4", x, okPts, false, false)), bands);
      chart(sb, data, new SvgChart("chart-errors", "Write error rate: (fail + info) / writes started", "second", "share")
          .xRange(0, end).xShift(0.5).add(new SvgChart.Series("error rate", "#d62728", x, errRate, false, false))
          .add(new SvgChart.Series("fail only", "#7f0000", x, failRate, false, false)), bands);
      chart(sb, data, new SvgChart("chart-latency", "Write latency per batch (all attempts)", "second", "ms")
          .xRange(0, end).xShift(0.5).add(new SvgChart.Series("p50", "#2ca02c", x, p50, false, false))
          .add(new SvgChart.Series("p99", "#ff7f0e", x, p99, false, false)), bands);
    }
    // queries, when the run sent any
    SvgChart q = new SvgChart("chart-queries", "Query latency p99 (ms) and queries started per second", "second", "ms")
        .xRange(0, end).xShift(0.5).rightAxis("queries/s");
    boolean anyQuery = false;
    int color = 0;
    if (r.perSecond() != null) {
      for (var e : r.perSecond().entrySet()) {
        if (e.getKey().equals("write")) continue;
        List<PhaseAnalysis.Second> qs = e.getValue();
        if (qs.stream().allMatch(s -> s.ok() + s.fail() + s.info() == 0)) continue;
        anyQuery = true;
        int n = qs.size();
        double[] x = new double[n];
        double[] p99 = new double[n];
        double[] rate = new double[n];
        for (int i = 0; i < n; i++) {
          PhaseAnalysis.Second s = qs.get(i);
          long all = s.ok() + s.fail() + s.info();
          x[i] = s.second();
          p99[i] = all == 0 ? Double.NaN : s.p99Ms();
          rate[i] = all;
        }
        q.add(new SvgChart.Series(e.getKey() + " p99", PALETTE[color++ % PALETTE.length], x, p99, false, false));
        q.add(new SvgChart.Series(e.getKey() + " /s", PALETTE[color++ % PALETTE.length], x, rate, true, false));
      }
    }
    if (anyQuery) chart(sb, data, q, bands);
    sb.append("</section>\n");
  }

  private static void chart(StringBuilder sb, Map<String, Object> data, SvgChart c, List<SvgChart.Band> bands) {
    bands.forEach(c::band);
    sb.append(c.render());
    data.put(c.id(), c.readoutData());
  }

  /** Seconds the timeline spans: the load, and any fault or shard change after it. */
  private static double timelineEnd(RunResult r) {
    double end = 1;
    if (r.perSecond() != null) for (var l : r.perSecond().values()) end = Math.max(end, l.size());
    if (r.faults() != null) {
      for (FaultEvent f : r.faults()) end = Math.max(end, Math.max(f.startMicros(), f.endMicros()) / 1e6);
    }
    if (r.shardStates() != null) for (var s : r.shardStates()) end = Math.max(end, micros(s.get("t_us")) / 1e6);
    return Math.ceil(end);
  }

  private static List<SvgChart.Band> bands(RunResult r, double end) {
    List<SvgChart.Band> out = new ArrayList<>();
    if (r.faults() != null) {
      for (FaultEvent f : r.faults()) {
        double to = f.active() ? end : f.endMicros() / 1e6;
        out.add(new SvgChart.Band(f.startMicros() / 1e6, Math.max(to, f.startMicros() / 1e6 + 0.2),
            f.name() + " (" + f.action() + " " + f.target() + ")", "fault"));
      }
    }
    if (r.segments() != null) {
      for (PhaseAnalysis.Segment s : r.segments()) {
        if (s.phase().equals("recovery")) out.add(new SvgChart.Band(s.fromSecond(), s.toSecondExclusive(), "recovery", "recovery"));
      }
    }
    return out;
  }

  private static void faults(StringBuilder sb, RunResult r) {
    sb.append("<section id=\"faults\"><h2>Faults</h2>");
    List<FaultEvent> fs = r.faults() == null ? List.of() : r.faults();
    if (fs.isEmpty()) {
      sb.append("<p class=\"muted\">no faults were injected: the whole run is one steady phase</p>");
    } else {
      sb.append("<table><thead><tr><th>fault</th><th>action</th><th>target</th><th>start s</th><th>healed s</th>")
          .append("<th>recovered after s</th><th>node serves after s</th><th>node caught up after s</th><th>ok</th>")
          .append("<th>proof</th><th>detail</th></tr></thead><tbody>");
      Map<String, PhaseAnalysis.Recovery> rec = new LinkedHashMap<>();
      if (r.recoveries() != null) r.recoveries().forEach(x -> rec.putIfAbsent(x.fault(), x));
      for (FaultEvent f : fs) {
        PhaseAnalysis.Recovery x = rec.get(f.name());
        String recovered = x == null ? "" : x.seconds() == null ? (f.active() ? "still active" : "not recovered") : fmt(x.seconds());
        sb.append("<tr><td>").append(Html.esc(f.name())).append("</td><td>").append(Html.esc(f.action())).append("</td><td>")
            .append(Html.esc(f.target())).append("</td><td class=\"num\">").append(fmt(f.startMicros() / 1e6))
            .append("</td><td class=\"num\">").append(f.active() ? "active" : fmt(f.endMicros() / 1e6))
            .append("</td><td class=\"num\">").append(Html.esc(recovered)).append("</td>")
            .append(nodeRecovery(f, FaultEvent.NodeRecovery::serve)).append(nodeRecovery(f, FaultEvent.NodeRecovery::catchUp))
            .append("<td>").append(f.ok() ? "yes" : "no")
            .append("</td><td>").append(Html.esc(f.proof())).append("</td><td>").append(Html.esc(f.detail())).append("</td></tr>");
      }
      sb.append("</tbody></table>");
    }
    sb.append("</section>\n");
  }

  /** One cell: per node it hit, the measured seconds (or why not), the detail as its tooltip. */
  private static String nodeRecovery(FaultEvent f, Function<FaultEvent.NodeRecovery, FaultEvent.Measure> which) {
    if (f.recovery().isEmpty()) return "<td></td>";
    List<String> cells = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (FaultEvent.NodeRecovery n : f.recovery()) {
      FaultEvent.Measure m = which.apply(n);
      String v = m.seconds() != null ? fmt(m.seconds()) : m.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      cells.add((f.recovery().size() > 1 ? "node " + n.node() + ": " : "") + v);
      details.add("node " + n.node() + ": " + m.detail());
    }
    return "<td class=\"num\" title=\"" + Html.esc(String.join("; ", details)) + "\">" + Html.esc(String.join(", ", cells)) + "</td>";
  }

  private static void phases(StringBuilder sb, RunResult r) {
    sb.append("<section id=\"phases\"><h2>Phases</h2>");
    if (r.phases() == null || r.phases().isEmpty()) {
      sb.append("<p class=\"muted\">no phase statistics</p>");
    } else {
      sb.append("<table class=\"phases\"><thead><tr><th>operation</th><th>phase</th><th>seconds</th><th>started</th>")
          .append("<th>ok</th><th>fail</th><th>info</th><th>availability</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th>")
          .append("<th>ok points/s</th><th>not ok by HTTP status</th></tr></thead><tbody>");
      r.phases().forEach((kind, byPhase) -> byPhase.values().forEach(p -> {
        if (p.ops() == 0 && !kind.equals("write")) return;
        sb.append("<tr><td>").append(Html.esc(kind)).append("</td><td>").append(Html.esc(p.phase())).append("</td>");
        for (Object v : new Object[] {p.seconds(), p.ops(), p.ok(), p.fail(), p.info()}) {
          sb.append("<td class=\"num\">").append(v).append("</td>");
        }
        for (double v : new double[] {p.availability(), p.p50Ms(), p.p95Ms(), p.p99Ms(), p.okPointsPerSecond()}) {
          sb.append("<td class=\"num\">").append(Html.esc(fmt(v))).append("</td>");
        }
        sb.append("<td class=\"statuses\">").append(Html.esc(p.notOkSummary())).append("</td></tr>");
      }));
      sb.append("</tbody></table>");
    }
    sb.append("</section>\n");
  }

  /** Why writes were not ok: attempts per HTTP status with the first distinct bodies, and the hint. */
  private static void rejectedWrites(StringBuilder sb, WriteRejections.Summary rw) {
    sb.append("<section id=\"rejected\"><h2>Rejected writes</h2>");
    if (rw == null) {
      sb.append("<p class=\"muted\">not recorded for this run</p></section>\n");
      return;
    }
    if (rw.hint() != null) sb.append("<p class=\"hint\"><strong>hint:</strong> ").append(Html.esc(rw.hint())).append("</p>");
    List<WriteRejections.Status> statuses = rw.statuses() == null ? List.of() : rw.statuses();
    if (statuses.isEmpty()) {
      sb.append("<p class=\"muted\">every write attempt was ok</p></section>\n");
      return;
    }
    sb.append("<p class=\"muted\">write attempts that were not ok (a batch retried on another node counts once per attempt), ")
        .append("by HTTP status; the first ").append(WriteRejections.MAX_BODIES).append(" distinct response bodies, ")
        .append("abbreviated to ").append(WriteRejections.MAX_BODY_CHARS).append(" characters</p>")
        .append("<table class=\"rejected\"><thead><tr><th>HTTP status</th><th>attempts</th><th>fail</th><th>info</th>")
        .append("<th>response bodies</th></tr></thead><tbody>");
    for (WriteRejections.Status st : statuses) {
      sb.append("<tr><td>").append(Html.esc(st.label())).append("</td><td class=\"num\">").append(st.attempts())
          .append("</td><td class=\"num\">").append(st.fail()).append("</td><td class=\"num\">").append(st.info())
          .append("</td><td>");
      List<String> bodies = st.bodies() == null ? List.of() : st.bodies();
      if (bodies.isEmpty()) sb.append("<span class=\"muted\">no body</span>");
      else {
        sb.append("<ul class=\"examples\">");
        bodies.forEach(b -> sb.append("<li><code>").append(Html.esc(b)).append("</code></li>"));
        sb.append("</ul>");
      }
      sb.append("</td></tr>");
    }
    sb.append("</tbody></table></section>\n");
  }

  private static void findings(StringBuilder sb, List<Verdict> vs) {
    sb.append("<section id=\"findings\"><h2>Read-back and replica findings</h2>");
    List<Verdict> rel = vs.stream().filter(v -> v.name().startsWith("read-back") || v.name().startsWith("replica")).toList();
    if (rel.isEmpty()) {
      sb.append("<p class=\"muted\">this run had no read-back or replica checks</p>");
    }
    for (Verdict v : rel) {
      sb.append("<div class=\"finding ").append(v.status().name().toLowerCase(Locale.ROOT)).append("\"><h3>")
          .append(Html.esc(v.name())).append(": ").append(Html.esc(v.measured()))
          .append(v.threshold().isEmpty() ? "" : " <small>(required " + Html.esc(v.threshold()) + ")</small>")
          .append(" <span class=\"badge ").append(v.passed() ? "pass" : "fail").append("\">").append(v.status())
          .append("</span></h3><p>").append(Html.esc(v.detail())).append("</p>");
      examples(sb, v, Integer.MAX_VALUE);
      sb.append("</div>");
    }
    sb.append("</section>\n");
  }

  private static void shards(StringBuilder sb, RunResult r) {
    sb.append("<section id=\"shards\"><h2>Shard states</h2>");
    List<Map<String, Object>> states = r.shardStates() == null ? List.of() : r.shardStates();
    if (states.isEmpty()) {
      sb.append("<p class=\"muted\">no shard state changes were recorded (no rebalance or cluster operation in this run)</p></section>\n");
      return;
    }
    double end = timelineEnd(r);
    Map<String, List<Map<String, Object>>> byShard = new TreeMap<>();
    for (var s : states) byShard.computeIfAbsent(s.get("table") + " / " + s.get("shard"), k -> new ArrayList<>()).add(s);
    Map<String, String> colorOf = new LinkedHashMap<>();
    int rowH = 22;
    int left = 180;
    int width = SvgChart.WIDTH - left - 20;
    int height = 30 + rowH * byShard.size();
    sb.append("<svg class=\"shard-timeline\" id=\"shard-timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(SvgChart.WIDTH).append(' ').append(height).append("\">");
    int row = 0;
    for (var e : byShard.entrySet()) {
      List<Map<String, Object>> changes = new ArrayList<>(e.getValue());
      changes.sort(Comparator.comparingLong(s -> micros(s.get("t_us"))));
      double y = 8 + row * rowH;
      sb.append("<text x=\"").append(left - 6).append("\" y=\"").append(SvgChart.num(y + 14)).append("\" text-anchor=\"end\">")
          .append(Html.esc(e.getKey())).append("</text>");
      for (int i = 0; i < changes.size(); i++) {
        Map<String, Object> c = changes.get(i);
        double from = micros(c.get("t_us")) / 1e6;
        double to = i + 1 < changes.size() ? micros(changes.get(i + 1).get("t_us")) / 1e6 : end;
        String status = String.valueOf(c.get("status"));
        String color = colorOf.computeIfAbsent(status, k -> PALETTE[colorOf.size() % PALETTE.length]);
        double px = left + from / end * width;
        double pw = Math.max(2, (to - from) / end * width);
        String label = status + " " + c.get("node_ids");
        sb.append("<g class=\"shard-state\"><title>").append(Html.esc(label + " from " + fmt(from) + " s")).append("</title>")
            .append("<rect x=\"").append(SvgChart.num(px)).append("\" y=\"").append(SvgChart.num(y)).append("\" width=\"")
            .append(SvgChart.num(pw)).append("\" height=\"").append(rowH - 4).append("\" fill=\"").append(color).append("\"/>");
        if (pw > 7 * label.length()) {
          sb.append("<text class=\"on-bar\" x=\"").append(SvgChart.num(px + 3)).append("\" y=\"").append(SvgChart.num(y + 13))
              .append("\">").append(Html.esc(label)).append("</text>");
        }
        sb.append("</g>");
      }
      row++;
    }
    double axisY = 8 + row * rowH + 14;
    for (int i = 0; i <= 8; i++) {
      sb.append("<text x=\"").append(SvgChart.num(left + width * i / 8.0)).append("\" y=\"").append(SvgChart.num(axisY))
          .append("\" text-anchor=\"middle\">").append(Html.esc(fmt(Math.round(end * i / 8.0)))).append("</text>");
    }
    sb.append("</svg><p class=\"legend-line\">");
    colorOf.forEach((status, color) -> sb.append("<span class=\"swatch\" style=\"background:").append(color).append("\"></span>")
        .append(Html.esc(status)).append(' '));
    sb.append("(seconds since the run started)</p><details><summary>").append(states.size())
        .append(" state changes</summary><table><thead><tr><th>t s</th><th>table</th><th>shard</th><th>status</th>")
        .append("<th>nodes</th></tr></thead><tbody>");
    for (var s : states) {
      sb.append("<tr><td class=\"num\">").append(fmt(micros(s.get("t_us")) / 1e6)).append("</td><td>").append(Html.esc(s.get("table")))
          .append("</td><td>").append(Html.esc(s.get("shard"))).append("</td><td>").append(Html.esc(s.get("status")))
          .append("</td><td>").append(Html.esc(s.get("node_ids"))).append("</td></tr>");
    }
    sb.append("</tbody></table></details></section>\n");
  }

  private static void capacity(StringBuilder sb, RunResult r, Map<String, Object> data) {
    CapacityAnalysis.Result c = CapacityAnalysis.Result.fromMap(r.capacity());
    if (c == null) return;
    if (r.capacity().get("knee") instanceof Map<?, ?> knee) {
      searchCapacity(sb, r.capacity(), knee, c, data);
      return;
    }
    CapacityAnalysis.Step knee = c.knee();
    sb.append("<section id=\"capacity\"><h2>Capacity</h2><p class=\"knee\">knee: <strong>")
        .append(knee == null ? "none: no step met the SLOs" : Html.esc(fmt(knee.okPointsPerSecond()) + " ok points/s"))
        .append("</strong>").append(knee == null ? "" : Html.esc(" at step " + (knee.level() + 1) + " of " + c.steps().size()
            + " (offered " + fmt(knee.offeredPointsPerSecond()) + " points/s)"))
        .append(" · SLOs per step: availability ≥ ").append(Html.esc(fmt(c.criteria().minAvailability())))
        .append(", p99 ≤ ").append(Html.esc(fmt(c.criteria().maxP99Ms()))).append(" ms</p>");
    int n = c.steps().size();
    SvgChart chart = capacityChart(c.steps(), c.criteria().maxP99Ms());
    if (knee != null) {
      double first = c.steps().get(0).offeredPointsPerSecond();
      double span = n > 1 ? c.steps().get(n - 1).offeredPointsPerSecond() - first : Math.max(1, first);
      double w = span / Math.max(1, n - 1) * 0.2;
      chart.band(new SvgChart.Band(knee.offeredPointsPerSecond() - w, knee.offeredPointsPerSecond() + w, "knee", "knee"));
    }
    sb.append(chart.render());
    data.put(chart.id(), chart.readoutData());
    sb.append("<table><thead><tr><th>step</th><th>seconds</th><th>offered points/s</th><th>ok points/s</th><th>writes</th>")
        .append("<th>availability</th><th>p99 ms</th><th>SLOs</th></tr></thead><tbody>");
    for (CapacityAnalysis.Step s : c.steps()) {
      sb.append("<tr class=\"").append(s.met() ? "pass" : "fail").append("\"><td class=\"num\">").append(s.level() + 1)
          .append("</td><td class=\"num\">").append(s.fromSecond()).append("–").append(s.toSecondExclusive())
          .append("</td><td class=\"num\">").append(Html.esc(fmt(s.offeredPointsPerSecond())))
          .append("</td><td class=\"num\">").append(Html.esc(fmt(s.okPointsPerSecond())))
          .append("</td><td class=\"num\">").append(s.ops()).append("</td><td class=\"num\">").append(Html.esc(fmt(s.availability())))
          .append("</td><td class=\"num\">").append(Html.esc(fmt(s.p99Ms()))).append("</td><td>")
          .append(s.met() ? "met" : Html.esc("missed: " + s.why())).append("</td></tr>");
    }
    sb.append("</tbody></table></section>\n");
  }

  /** p99 (with its SLO) and error rate per step, by offered points/s; {@code steps} in offered-rate order, not empty. */
  private static SvgChart capacityChart(List<CapacityAnalysis.Step> steps, double maxP99Ms) {
    int n = steps.size();
    double[] x = new double[n];
    double[] p99 = new double[n];
    double[] err = new double[n];
    double[] limit = new double[n];
    for (int i = 0; i < n; i++) {
      CapacityAnalysis.Step s = steps.get(i);
      x[i] = s.offeredPointsPerSecond();
      p99[i] = s.ops() == 0 ? Double.NaN : s.p99Ms();
      err[i] = s.errorRate();
      limit[i] = maxP99Ms;
    }
    double span = n > 1 ? x[n - 1] - x[0] : Math.max(1, x[0]);
    return new SvgChart("chart-capacity", "Capacity: p99 and error rate per step, by offered points/s",
        "offered points/s", "p99 ms").rightAxis("error rate")
        .xRange(Math.max(0, x[0] - span * 0.05), x[n - 1] + span * 0.05)
        .add(new SvgChart.Series("p99", "#ff7f0e", x, p99, false, true))
        .add(new SvgChart.Series("p99 SLO", "#7f7f7f", x, limit, false, false))
        .add(new SvgChart.Series("error rate", "#d62728", x, err, true, true));
  }

  /** A knee search (CapacitySimulation): its end and bracket, p99 and errors by offered rate, and the steps in the order run. */
  private static void searchCapacity(StringBuilder sb, Map<String, Object> raw, Map<?, ?> knee, CapacityAnalysis.Result c,
      Map<String, Object> data) {
    sb.append("<section id=\"capacity\"><h2>Capacity</h2><p class=\"knee\"><strong>").append(Html.esc(knee.get("summary")))
        .append("</strong> · SLOs per step: availability ≥ ").append(Html.esc(fmt(c.criteria().minAvailability())))
        .append(", p99 ≤ ").append(Html.esc(fmt(c.criteria().maxP99Ms()))).append(" ms</p>");
    List<?> rows = raw.get("steps") instanceof List<?> l ? l : List.of();
    List<CapacityAnalysis.Step> byRate = new ArrayList<>(c.steps());
    byRate.sort(Comparator.comparingDouble(CapacityAnalysis.Step::offeredPointsPerSecond));
    int n = byRate.size();
    if (n > 0) {
      SvgChart chart = capacityChart(byRate, c.criteria().maxP99Ms());
      if (knee.get("low") instanceof Number lo && knee.get("high") instanceof Number hi) {
        chart.band(new SvgChart.Band(lo.doubleValue(), hi.doubleValue(), "bracket", "knee"));
      }
      sb.append(chart.render());
      data.put(chart.id(), chart.readoutData());
    }
    sb.append("<table><thead><tr><th>step</th><th>phase</th><th>seconds</th><th>offered points/s</th><th>ok points/s</th>")
        .append("<th>writes</th><th>availability</th><th>p99 ms</th><th>late (all busy / injector)</th><th>dropped</th>")
        .append("<th>injector CPU cores</th><th>outcome</th></tr></thead><tbody>");
    for (Object o : rows) {
      if (!(o instanceof Map<?, ?> s)) continue;
      boolean met = Boolean.TRUE.equals(s.get("met"));
      long injectorLate = num(s.get("startsLateInjector")) + num(s.get("startsWokeLate"));
      sb.append("<tr class=\"").append(met ? "pass" : "fail").append("\"><td class=\"num\">").append(num(s.get("level")) + 1)
          .append("</td><td>").append(Html.esc(s.get("phase"))).append("</td><td class=\"num\">").append(num(s.get("fromSecond")))
          .append("–").append(num(s.get("toSecondExclusive"))).append("</td><td class=\"num\">")
          .append(Html.esc(fmt(dbl(s.get("offeredPointsPerSecond"))))).append("</td><td class=\"num\">")
          .append(Html.esc(fmt(dbl(s.get("okPointsPerSecond"))))).append("</td><td class=\"num\">").append(num(s.get("ops")))
          .append("</td><td class=\"num\">").append(Html.esc(fmt(dbl(s.get("availability"))))).append("</td><td class=\"num\">")
          .append(Html.esc(fmt(dbl(s.get("p99Ms"))))).append("</td><td class=\"num\">").append(num(s.get("startsLateAllBusy")))
          .append(" / ").append(injectorLate).append("</td><td class=\"num\">").append(num(s.get("startsDropped")))
          .append("</td><td class=\"num\">").append(Html.esc(fmt(dbl(s.get("injectorCpuCores"))))).append("</td><td>")
          .append(met ? "met" : Html.esc(String.valueOf(s.get("verdict")).toLowerCase(Locale.ROOT).replace('_', '-')
              + ": " + s.get("why"))).append("</td></tr>");
    }
    sb.append("</tbody></table></section>\n");
  }

  private static double dbl(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static long num(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  private static void config(StringBuilder sb, RunResult r) {
    sb.append("<section id=\"config\"><h2>Configuration</h2><p class=\"muted\">secrets are redacted</p><table><tbody>");
    if (r.config() != null) {
      r.config().forEach((k, v) -> sb.append("<tr><td><code>").append(Html.esc(k)).append("</code></td><td>")
          .append(Html.esc(v)).append("</td></tr>"));
    }
    if (r.dataset() != null) {
      r.dataset().forEach((k, v) -> sb.append("<tr><td><code>dataset.").append(Html.esc(k)).append("</code></td><td>")
          .append(Html.esc(v)).append("</td></tr>"));
    }
    sb.append("</tbody></table></section>\n");
  }

  // ---- helpers ----

  private static long micros(Object o) {
    if (o instanceof Number n) return n.longValue();
    try {
      return Long.parseLong(String.valueOf(o));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** JSON for a script element: "<" escaped so no string can close the element. */
  private static String json(Object o) {
    try {
      return ResultsJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(o).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart data not serialisable", e);
    }
  }

  static String fmt(double v) {
    return CapacityAnalysis.fmt(v);
  }

  private static final String CSS = """
      body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1000px;padding:16px;color:#222}
      h1{margin:0 0 4px}h2{border-bottom:1px solid #ddd;padding-bottom:2px;margin-top:28px}h2 small{font-weight:normal;color:#666}
      .meta{margin:2px 0;color:#444}.muted{color:#777}nav a{margin-right:10px}
      .badge{font-size:12px;padding:2px 8px;border-radius:10px;color:#fff;vertical-align:middle}
      .badge.pass{background:#2e7d32}.badge.fail{background:#c62828}
      table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
      th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      tr.pass td.status,tr.pass td:first-child{background:#c8e6c9}tr.fail td.status,tr.fail td:first-child{background:#ffcdd2}
      tr.unknown td.status{background:#ffab91}tr.skipped td.status{background:#e0e0e0}
      tr.fail,tr.unknown{background:#fff5f5}.detail{white-space:pre-wrap}
      .examples{margin:2px 0;padding-left:18px}.examples code{font-size:12px;word-break:break-all}
      .finding{border-left:4px solid #2e7d32;padding:2px 10px;margin:8px 0}.finding.fail,.finding.unknown{border-color:#c62828}
      .finding h3{margin:4px 0;font-size:15px}
      figure.chart-box{margin:10px 0}figcaption{font-weight:600}
      svg.chart,svg.shard-timeline{width:100%;height:auto;font-size:11px;background:#fff}
      svg .frame{fill:none;stroke:#999}svg .grid{stroke:#eee}svg text{fill:#333}
      svg .band.fault rect{fill:#f44336;fill-opacity:.15}svg .band.recovery rect{fill:#ffc107;fill-opacity:.2}
      svg .band.knee rect{fill:#2e7d32;fill-opacity:.2}svg .band text{font-size:10px;fill:#800}
      svg .cursor{stroke:#555;stroke-dasharray:3 3}svg text.on-bar{fill:#fff;font-size:10px}
      .readout{font-size:12px;color:#333;min-height:1.4em;font-variant-numeric:tabular-nums}
      .hint{background:#fff8e1;border-left:4px solid #ffa000;padding:4px 10px}
      .swatch{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px}.knee{font-size:16px}
      """;

  /** Hover readout for the charts; marks the page ready once every chart is wired. */
  private static final String SCRIPT = """
      (function () {
        'use strict';
        var data = JSON.parse(document.getElementById('chart-data').textContent);
        function fmt(v) {
          if (typeof v !== 'number') return String(v);
          if (Number.isInteger(v)) return String(v);
          return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
        }
        var wired = 0;
        document.querySelectorAll('svg.chart').forEach(function (svg) {
          var d = data[svg.id];
          var readout = document.querySelector('.readout[data-for="' + svg.id + '"]');
          var cursor = svg.querySelector('line.cursor');
          if (!d || !readout || !cursor) return;
          var x0 = Number(svg.dataset.x0), x1 = Number(svg.dataset.x1);
          var left = Number(svg.dataset.left), width = Number(svg.dataset.width), shift = Number(svg.dataset.shift);
          svg.addEventListener('mousemove', function (ev) {
            var pt = svg.createSVGPoint();
            pt.x = ev.clientX;
            pt.y = ev.clientY;
            var ctm = svg.getScreenCTM();
            if (!ctm) return;
            var p = pt.matrixTransform(ctm.inverse());
            var xv = x0 + (p.x - left) / width * (x1 - x0) - shift;
            var best = -1, bestDist = Infinity;
            for (var i = 0; i < d.x.length; i++) {
              var dist = Math.abs(d.x[i] - xv);
              if (dist < bestDist) { bestDist = dist; best = i; }
            }
            if (best < 0) return;
            var px = left + (d.x[best] + shift - x0) / (x1 - x0) * width;
            cursor.setAttribute('x1', px);
            cursor.setAttribute('x2', px);
            var parts = [d.xLabel + ' ' + fmt(d.x[best])];
            Object.keys(d.y).forEach(function (k) { parts.push(k + ' ' + fmt(d.y[k][best])); });
            readout.textContent = parts.join(' \\u00b7 ');
          });
          wired++;
        });
        document.body.dataset.charts = String(document.querySelectorAll('svg.chart path.series').length);
        document.body.dataset.wired = String(wired);
        document.body.dataset.ready = 'true';
      })();
      """;
}
