package io.loadchaos.gate;

import io.loadchaos.check.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The outcome of comparing a run with a baseline: one row per metric. */
public record GateResult(String simulation, String baselineRun, String run, List<Row> rows) {

  /**
   * OK within tolerance, REGRESSED beyond it, MISSING in the run (e.g. a fault phase that did not
   * happen: not comparable, fails), NEW in the run only (reported, not judged).
   */
  public enum Status { OK, REGRESSED, MISSING, NEW }

  /** {@code limit} is the worst value still accepted; {@code current} is null when the run lacks the metric. */
  public record Row(String metric, Baseline.Kind kind, Double baseline, Double current, Double limit, Status status) {

    String change() {
      if (baseline == null || current == null || !Double.isFinite(current)) return "";
      if (baseline == 0) return current == 0 ? "0%" : "";
      return String.format(Locale.ROOT, "%+.1f%%", (current - baseline) / Math.abs(baseline) * 100);
    }

    String required() {
      if (limit == null) return "";
      return (kind.higherIsBetter ? ">= " : "<= ") + num(limit) + unit();
    }

    String unit() {
      return kind.unit.isEmpty() ? "" : " " + kind.unit;
    }
  }

  public boolean passed() {
    return rows.stream().noneMatch(r -> r.status() == Status.REGRESSED || r.status() == Status.MISSING);
  }

  public List<Row> regressions() {
    return rows.stream().filter(r -> r.status() == Status.REGRESSED || r.status() == Status.MISSING).toList();
  }

  /** The diff table the CLI prints. */
  public String table() {
    String[] head = {"metric", "baseline", "run", "change", "required", "status"};
    List<String[]> lines = new ArrayList<>();
    lines.add(head);
    for (Row r : rows) {
      lines.add(new String[] {r.metric(), r.baseline() == null ? "-" : num(r.baseline()) + r.unit(),
          r.current() == null ? "-" : num(r.current()) + r.unit(), r.change(), r.required(),
          r.status().name().toLowerCase(Locale.ROOT)});
    }
    int[] w = new int[head.length];
    for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      for (int i = 0; i < l.length; i++) {
        sb.append(i == 0 ? "" : "  ").append(l[i]).append(" ".repeat(i == l.length - 1 ? 0 : w[i] - l[i].length()));
      }
      sb.append(System.lineSeparator());
    }
    List<Row> bad = regressions();
    sb.append(bad.isEmpty()
        ? "GATE PASSED: " + rows.stream().filter(r -> r.status() == Status.OK).count() + " metrics within tolerance of baseline run " + baselineRun
        : "GATE FAILED: " + bad.size() + " of " + rows.size() + " metrics regressed against baseline run " + baselineRun);
    return sb.toString();
  }

  /** One verdict per compared metric, for a run's verdict table (new metrics are not judged). */
  public List<Verdict> verdicts() {
    List<Verdict> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.status() == Status.NEW) continue;
      String name = "gate " + r.metric();
      String detail = "baseline " + (r.baseline() == null ? "-" : num(r.baseline()) + r.unit()) + " from run " + baselineRun
          + (r.change().isEmpty() ? "" : ", change " + r.change());
      if (r.status() == Status.MISSING) {
        out.add(Verdict.fail(name, "missing", r.required(), detail + "; the run has no such metric (phase or fault absent)"));
      } else {
        String measured = r.current() == null || !Double.isFinite(r.current()) ? "not reached" : num(r.current()) + r.unit();
        out.add(Verdict.of(name, r.status() == Status.OK, measured, r.required(), detail));
      }
    }
    return out;
  }

  static String num(double v) {
    return io.loadchaos.report.Numbers.fmt(v);
  }
}
