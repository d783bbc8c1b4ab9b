package io.loadchaos.gate;

import io.loadchaos.check.Verdict;
import io.loadchaos.gate.GateResult.Row;
import io.loadchaos.gate.GateResult.Status;
import io.loadchaos.report.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The regression gate: per metric, a bootstrap interval of the ratio of medians candidate/baseline
 * (or of the median of paired ratios B/A) judged against a minimum effect ({@link Decision}).
 */
public final class Gate {
  private Gate() {}

  /** Fewer runs than this on the baseline side (or fewer pairs) give no statistical verdict. */
  public static final int MIN_RUNS = 3;
  public static final double DEFAULT_CONFIDENCE = 0.95;
  public static final double DEFAULT_EFFECT = 0.05;
  /** Availability sits at 1: a 0.5% drop (about the old absolute 0.005) already matters. */
  public static final double AVAILABILITY_EFFECT = 0.005;
  /**
   * CPU per point is the gate's quiet metric: clean pairs of the gate's workload differ by a 4-5%
   * standard deviation (docs/reports.md), and with 3 pairs a bootstrap lower bound is the smallest
   * pair, so 3% is what lets a 10% slowdown clear it in most trials while a clean pair rarely does.
   */
  public static final double CPU_PER_POINT_EFFECT = 0.03;

  /**
   * How the gate decides. {@code effects} are per kind label from the command line (they win over a
   * baseline file's), {@code defaultEffect} replaces the built-in 5% (0.5% availability, 3% cpu-per-point; null = built-in), {@code kinds}
   * limits the judged kinds (empty = all).
   */
  public record Settings(double confidence, int resamples, long seed, Map<String, Double> effects, Double defaultEffect,
      Set<String> kinds) {
    public static Settings defaults() {
      return new Settings(DEFAULT_CONFIDENCE, Bootstrap.RESAMPLES, Bootstrap.SEED, Map.of(), null, Set.of());
    }

    /** CLI kind=X, then the baseline file's minEffect, then CLI X, then the built-in value. */
    double effect(Baseline.Kind k, BaselineSet file) {
      if (effects.containsKey(k.label())) return effects.get(k.label());
      double builtIn = defaultEffect != null ? defaultEffect : builtInEffect(k);
      return file == null ? builtIn : file.minEffect(k, builtIn);
    }

    static double builtInEffect(Baseline.Kind k) {
      return switch (k) {
        case AVAILABILITY -> AVAILABILITY_EFFECT;
        case CPU_PER_POINT -> CPU_PER_POINT_EFFECT;
        default -> DEFAULT_EFFECT;
      };
    }

    boolean judges(Baseline.Kind k) {
      return kinds.isEmpty() || kinds.contains(k.label());
    }
  }

  /** Compares candidate runs with a baseline set. */
  public static GateResult compare(BaselineSet base, List<RunResult> candidates, Settings s, String baselineLabel) {
    if (candidates.isEmpty()) throw new IllegalArgumentException("no candidate run");
    String candLabel = candidates.size() == 1 ? "run " + candidates.get(0).runId() : candidates.size() + " candidate runs";
    String label = baselineLabel + " (" + base.runs().size() + (base.runs().size() == 1 ? " run)" : " runs)");
    List<String> notes = new ArrayList<>();
    RunIdentity first = RunIdentity.of(candidates.get(0));
    for (RunResult c : candidates) {
      RunIdentity id = RunIdentity.of(c);
      if (!base.simulation().equals(c.simulation())) {
        return refuse(c.simulation(), label, candLabel, notes, "simulation: '" + base.simulation() + "' in the baseline, '"
            + c.simulation() + "' in run " + c.runId());
      }
      List<String> diff = first.differences(id, "run " + candidates.get(0).runId(), "run " + c.runId());
      if (!diff.isEmpty()) return refuse(c.simulation(), label, candLabel, notes, String.join("; ", diff));
    }
    RunIdentity mine = base.identity();
    List<BaselineSet.Entry> usable = base.runs();
    if (mine != null) {
      List<String> diff = mine.differences(first, "the baseline", "run " + candidates.get(0).runId());
      if (!diff.isEmpty()) return refuse(base.simulation(), label, candLabel, notes, String.join("; ", diff));
      usable = base.runs().stream().filter(e -> e.identity() != null).toList();
      int migrated = base.runs().size() - usable.size();
      if (migrated > 0) notes.add(migrated + " baseline run(s) without a recorded identity (migrated) left out");
    }

    Map<String, List<Double>> baseValues = new LinkedHashMap<>();
    Map<String, Baseline.Metric> info = new LinkedHashMap<>();
    for (BaselineSet.Entry e : usable) {
      for (Baseline.Metric m : e.metrics()) {
        if (!s.judges(m.kind())) continue;
        info.putIfAbsent(m.key(), m);
        baseValues.computeIfAbsent(m.key(), k -> new ArrayList<>());
        // a fault the run never recovered from cannot be a reference point
        if (Double.isFinite(m.value())) baseValues.get(m.key()).add(m.value());
      }
    }
    Map<String, List<Double>> candValues = new LinkedHashMap<>();
    for (RunResult c : candidates) {
      for (Baseline.Metric m : Baseline.metricsOf(c)) {
        if (!s.judges(m.kind())) continue;
        info.putIfAbsent(m.key(), m);
        candValues.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.value());
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Baseline.Metric> e : info.entrySet()) {
      Baseline.Metric m = e.getValue();
      double effect = effectOf(m.kind(), s.effect(m.kind(), base), candidates);
      List<Double> b = baseValues.get(e.getKey());
      List<Double> c = candValues.getOrDefault(e.getKey(), List.of());
      String runs = (b == null ? 0 : b.size()) + " vs " + c.size();
      Double bMed = b == null || b.isEmpty() ? null : Bootstrap.median(array(b));
      Double cMed = c.isEmpty() ? null : Bootstrap.median(array(c));
      if (b == null) {
        rows.add(new Row(m.name(), m.kind(), runs, null, cMed, null, effect, Status.NEW, ""));
      } else if (c.isEmpty()) {
        rows.add(new Row(m.name(), m.kind(), runs, bMed, null, null, effect, Status.MISSING,
            "the candidate has no such metric (phase or fault absent)"));
      } else if (b.size() < MIN_RUNS) {
        rows.add(new Row(m.name(), m.kind(), runs, bMed, cMed, null, effect, Status.UNKNOWN,
            "baseline has " + b.size() + (b.size() == 1 ? " run" : " runs") + "; needs >= " + MIN_RUNS));
      } else if (!(bMed > 0)) {
        rows.add(new Row(m.name(), m.kind(), runs, bMed, cMed, null, effect, Status.UNKNOWN, "baseline median is 0: no ratio"));
      } else {
        Bootstrap.Interval iv = Bootstrap.ratioOfMedians(array(b), array(c), s.confidence(), s.resamples(), s.seed());
        Decision.Judgement j = Decision.judge(m.kind().higherIsBetter, iv, effect, Decision.unpaired(b.size(), c.size()), "runs of each");
        rows.add(new Row(m.name(), m.kind(), runs, bMed, cMed, iv, effect, j.status(), j.reason()));
      }
    }
    return new GateResult(base.simulation(), label, candLabel, null, notes, rows);
  }

  /**
   * Paired A/B: pair i is (a[i], b[i]), run one after the other; per metric the ratios b/a of the
   * pairs, and the interval of their median.
   */
  public static GateResult paired(List<RunResult> a, List<RunResult> b, Settings s) {
    if (a.size() != b.size() || a.isEmpty()) throw new IllegalArgumentException("need as many A runs as B runs, got " + a.size() + " and " + b.size());
    String sim = a.get(0).simulation();
    RunIdentity first = RunIdentity.of(a.get(0));
    for (int i = 0; i < a.size(); i++) {
      for (RunResult r : List.of(a.get(i), b.get(i))) {
        List<String> diff = first.differences(RunIdentity.of(r), "run " + a.get(0).runId(), "run " + r.runId());
        if (!diff.isEmpty()) return refuse(sim, "A", "B", List.of(), String.join("; ", diff));
      }
    }
    List<Map<String, Baseline.Metric>> am = new ArrayList<>();
    List<Map<String, Baseline.Metric>> bm = new ArrayList<>();
    Map<String, Baseline.Metric> info = new LinkedHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      am.add(byKey(a.get(i), s, info));
      bm.add(byKey(b.get(i), s, info));
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Baseline.Metric> e : info.entrySet()) {
      Baseline.Metric m = e.getValue();
      double effect = effectOf(m.kind(), s.effect(m.kind(), null), both(a, b));
      List<Double> ratios = new ArrayList<>();
      List<Double> as = new ArrayList<>();
      List<Double> bs = new ArrayList<>();
      int inA = 0;
      int inB = 0;
      for (int i = 0; i < a.size(); i++) {
        Baseline.Metric x = am.get(i).get(e.getKey());
        Baseline.Metric y = bm.get(i).get(e.getKey());
        if (x != null) inA++;
        if (y != null) inB++;
        if (x != null && Double.isFinite(x.value())) as.add(x.value());
        if (y != null) bs.add(y.value());
        // a pair counts when A has a finite, positive value (B may be "never")
        if (x != null && y != null && Double.isFinite(x.value()) && x.value() > 0) ratios.add(Bootstrap.ratio(y.value(), x.value()));
      }
      Double aMed = as.isEmpty() ? null : Bootstrap.median(array(as));
      Double bMed = bs.isEmpty() ? null : Bootstrap.median(array(bs));
      String runs = ratios.size() + (ratios.size() == 1 ? " pair" : " pairs");
      if (inA == 0) {
        rows.add(new Row(m.name(), m.kind(), runs, null, bMed, null, effect, Status.NEW, ""));
      } else if (inB == 0) {
        rows.add(new Row(m.name(), m.kind(), runs, aMed, null, null, effect, Status.MISSING, "B has no such metric (phase or fault absent)"));
      } else if (ratios.size() < MIN_RUNS) {
        rows.add(new Row(m.name(), m.kind(), runs, aMed, bMed, null, effect, Status.UNKNOWN,
            ratios.size() + " comparable pairs; needs >= " + MIN_RUNS));
      } else {
        Bootstrap.Interval iv = Bootstrap.medianOf(array(ratios), s.confidence(), s.resamples(), s.seed());
        Decision.Judgement j = Decision.judge(m.kind().higherIsBetter, iv, effect, Decision.paired(ratios.size()), "pairs");
        rows.add(new Row(m.name(), m.kind(), runs, aMed, bMed, iv, effect, j.status(), j.reason()));
      }
    }
    return new GateResult(sim, "A", "B", null, List.of(), rows);
  }

  /**
   * A knee is known only to within its bracket ({@code capacity.knee.precision}): a change smaller
   * than the widest bracket among the runs compared cannot be told from the search's own step, so
   * that is the knee's minimum effect when it is larger than the configured one.
   */
  static double effectOf(Baseline.Kind kind, double effect, List<RunResult> runs) {
    if (kind != Baseline.Kind.CAPACITY_KNEE) return effect;
    double widest = 0;
    for (RunResult r : runs) {
      Object knee = r.capacity() == null ? null : r.capacity().get("knee");
      if (knee instanceof Map<?, ?> k && "KNEE".equals(k.get("end")) && k.get("precision") instanceof Number p) {
        widest = Math.max(widest, p.doubleValue());
      }
    }
    return Math.max(effect, widest);
  }

  private static List<RunResult> both(List<RunResult> a, List<RunResult> b) {
    List<RunResult> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static Map<String, Baseline.Metric> byKey(RunResult r, Settings s, Map<String, Baseline.Metric> info) {
    Map<String, Baseline.Metric> out = new LinkedHashMap<>();
    for (Baseline.Metric m : Baseline.metricsOf(r)) {
      if (!s.judges(m.kind())) continue;
      out.put(m.key(), m);
      info.putIfAbsent(m.key(), m);
    }
    return out;
  }

  private static GateResult refuse(String sim, String baselineLabel, String candLabel, List<String> notes, String why) {
    return new GateResult(sim, baselineLabel, candLabel, why, notes, List.of());
  }

  private static double[] array(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The gate as verdicts for {@code Run.finish()}: none when {@code baselineFile} is empty, one
   * per compared metric otherwise, one UNKNOWN verdict when the baseline cannot be used.
   */
  public static List<Verdict> verdicts(String baselineFile, RunResult run) {
    if (baselineFile == null || baselineFile.isBlank()) return List.of();
    try {
      BaselineSet.Loaded loaded = BaselineSet.read(Path.of(baselineFile));
      if (loaded.migration() != null) System.out.println("[loadchaos] " + loaded.migration());
      GateResult g = compare(loaded.set(), List.of(run), Settings.defaults(), baselineFile);
      System.out.println("[loadchaos] regression gate against " + baselineFile + ":\n" + g.table());
      return g.verdicts();
    } catch (Exception e) {
      return List.of(Verdict.unknown("regression gate", "cannot compare with baseline " + baselineFile + ": " + e.getMessage()));
    }
  }
}
