package io.loadchaos.gate;

import io.loadchaos.check.Verdict;
import io.loadchaos.report.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of comparing candidate runs with baseline runs (or B runs with A runs, pair by pair):
 * one row per metric. {@code notComparable} is set (and no row judged) when the runs' identities differ.
 */
public record GateResult(String simulation, String baselineLabel, String candidateLabel, String notComparable,
    List<String> notes, List<Row> rows) {

  /**
   * OK: the interval excludes a regression of the minimum effect; IMPROVED / REGRESSED: the whole
   * interval is beyond it in the good / bad direction; UNKNOWN: too few runs or the interval straddles
   * the threshold; MISSING: the baseline has the metric and the candidate not (e.g. a fault phase
   * that did not happen: not comparable, fails); NEW: candidate only (reported, not judged).
   */
  public enum Status { OK, IMPROVED, REGRESSED, UNKNOWN, MISSING, NEW }

  /** The gate as a whole. */
  public enum Outcome { PASSED, REGRESSED, UNKNOWN }

  /**
   * {@code baseline}/{@code current} are the medians of the two sides (A and B in paired mode),
   * {@code interval} the ratio's (null when not computed), {@code runs} the sample sizes as text.
   */
  public record Row(String metric, Baseline.Kind kind, String runs, Double baseline, Double current,
      Bootstrap.Interval interval, double effect, Status status, String reason) {

    String change() {
      if (interval != null) return Decision.pct(interval.estimate() - 1);
      if (baseline == null || current == null || baseline == 0 || !Double.isFinite(current)) return "";
      return Decision.pct(current / baseline - 1);
    }

    String range() {
      return interval == null ? "" : "[" + Decision.pct(interval.lo() - 1) + ", " + Decision.pct(interval.hi() - 1) + "]";
    }

    String unit() {
      return kind.unit.isEmpty() ? "" : " " + kind.unit;
    }

    /** {@code write p50 [steady] +31.0% [+24.0%, +38.0%] regressed}. */
    public String summary() {
      return metric + " " + (change().isEmpty() ? "" : change() + " ") + (range().isEmpty() ? "" : range() + " ")
          + status.name().toLowerCase(Locale.ROOT) + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
  }

  public Outcome outcome() {
    if (notComparable != null) return Outcome.UNKNOWN;
    if (rows.stream().anyMatch(r -> r.status() == Status.REGRESSED || r.status() == Status.MISSING)) return Outcome.REGRESSED;
    if (rows.stream().anyMatch(r -> r.status() == Status.UNKNOWN)) return Outcome.UNKNOWN;
    if (rows.stream().noneMatch(r -> r.status() == Status.OK || r.status() == Status.IMPROVED)) return Outcome.UNKNOWN;
    return Outcome.PASSED;
  }

  public boolean passed() {
    return outcome() == Outcome.PASSED;
  }

  public List<Row> regressions() {
    return rows.stream().filter(r -> r.status() == Status.REGRESSED || r.status() == Status.MISSING).toList();
  }

  /** The table the CLI prints, then the gate's outcome. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    for (String n : notes) sb.append("note: ").append(n).append(System.lineSeparator());
    if (notComparable != null) {
      return sb.append("GATE UNKNOWN: ").append(candidateLabel).append(" is not comparable with ").append(baselineLabel)
          .append(": ").append(notComparable).toString();
    }
    String level = rows.stream().filter(r -> r.interval() != null).findFirst()
        .map(r -> String.format(Locale.ROOT, "%.0f%%", r.interval().confidence() * 100)).orElse("");
    boolean paired = "A".equals(baselineLabel) && "B".equals(candidateLabel);
    String[] head = {"metric", "runs", paired ? "A median" : "baseline", paired ? "B median" : "candidate", paired ? "B/A" : "change",
        "interval " + level, "min effect", "status"};
    List<String[]> lines = new ArrayList<>();
    lines.add(head);
    for (Row r : rows) {
      lines.add(new String[] {r.metric(), r.runs(), r.baseline() == null ? "-" : num(r.baseline()) + r.unit(),
          r.current() == null ? "-" : num(r.current()) + r.unit(), r.change(), r.range(),
          r.status() == Status.NEW ? "" : Decision.pct(r.effect()).substring(1),
          r.status().name().toLowerCase(Locale.ROOT) + (r.reason().isEmpty() ? "" : ": " + r.reason())});
    }
    sb.append(align(lines));
    long judged = rows.stream().filter(r -> r.status() != Status.NEW).count();
    switch (outcome()) {
      case PASSED -> sb.append("GATE PASSED: ").append(judged).append(" metrics ok against ").append(baselineLabel);
      case REGRESSED -> sb.append("GATE FAILED: ").append(regressions().size()).append(" of ").append(judged)
          .append(" metrics regressed against ").append(baselineLabel);
      case UNKNOWN -> sb.append("GATE UNKNOWN: ").append(rows.stream().filter(r -> r.status() == Status.UNKNOWN).count())
          .append(" of ").append(judged).append(" metrics undecided against ").append(baselineLabel);
    }
    return sb.toString();
  }

  static String align(List<String[]> lines) {
    int[] w = new int[lines.get(0).length];
    for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      for (int i = 0; i < l.length; i++) {
        sb.append(i == 0 ? "" : "  ").append(l[i]).append(" ".repeat(i == l.length - 1 ? 0 : w[i] - l[i].length()));
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }

  /** One verdict per judged metric, for a run's verdict table; one UNKNOWN when the runs are not comparable. */
  public List<Verdict> verdicts() {
    if (notComparable != null) {
      return List.of(Verdict.unknown("regression gate", "not comparable with " + baselineLabel + ": " + notComparable));
    }
    List<Verdict> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.status() == Status.NEW) continue;
      String name = "gate " + r.metric();
      String threshold = "no " + (r.kind().higherIsBetter ? "drop" : "rise") + " beyond " + Decision.pct(r.effect()).substring(1);
      String measured = (r.change().isEmpty() ? "" : r.change() + " ") + r.range();
      String detail = r.runs() + " against " + baselineLabel + "; median " + (r.baseline() == null ? "-" : num(r.baseline()) + r.unit())
          + " -> " + (r.current() == null ? "-" : num(r.current()) + r.unit()) + "; " + r.status().name().toLowerCase(Locale.ROOT)
          + (r.reason().isEmpty() ? "" : ": " + r.reason());
      out.add(switch (r.status()) {
        case OK, IMPROVED -> Verdict.pass(name, measured.trim(), threshold, detail);
        case REGRESSED -> Verdict.fail(name, measured.trim(), threshold, detail);
        case MISSING -> Verdict.fail(name, "missing", threshold, detail);
        default -> Verdict.unknown(name, (measured.isBlank() ? "" : measured.trim() + "; ") + detail);
      });
    }
    if (out.isEmpty()) out.add(Verdict.unknown("regression gate", "no metric of the run is in " + baselineLabel));
    return out;
  }

  static String num(double v) {
    return Numbers.fmt(v);
  }
}
