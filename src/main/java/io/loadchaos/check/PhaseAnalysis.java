package io.loadchaos.check;

import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History.Op;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.WriteRejections;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Cuts a run into per-second buckets and phases. A second is {@code fault:<name>} while a fault
 * is active, {@code recovery} after a fault ended until writes are back above the availability
 * threshold, else {@code steady}. Operations are counted in the second they started.
 */
public final class PhaseAnalysis {

  /** Per-second numbers of one operation kind. */
  public record Second(long second, String phase, long ok, long fail, long info, long okPoints,
      double p50Ms, double p99Ms) {}

  /**
   * Aggregate numbers of one phase label over all its seconds. {@code notOkStatuses}: the fail and
   * info operations by the HTTP status of their last attempt ("no response" for none), so a low
   * availability says why; null in results.json files written before it existed.
   */
  public record PhaseStats(String phase, long seconds, long ops, long ok, long fail, long info,
      double availability, double p50Ms, double p95Ms, double p99Ms, double okPointsPerSecond,
      Map<String, Long> notOkStatuses) {

    public PhaseStats(String phase, long seconds, long ops, long ok, long fail, long info, double availability,
        double p50Ms, double p95Ms, double p99Ms, double okPointsPerSecond) {
      this(phase, seconds, ops, ok, fail, info, availability, p50Ms, p95Ms, p99Ms, okPointsPerSecond, Map.of());
    }

    /** "400 x1335, no response x2", or "" when every operation was ok. */
    public String notOkSummary() {
      if (notOkStatuses == null) return "";
      StringBuilder b = new StringBuilder();
      notOkStatuses.forEach((status, n) -> b.append(b.length() == 0 ? "" : ", ").append(status).append(" x").append(n));
      return b.toString();
    }
  }

  /** Time from a fault's heal to the first second with writes back above the threshold. */
  public record Recovery(String fault, long healedAtMicros, Double seconds) {}

  public record Segment(String phase, long fromSecond, long toSecondExclusive) {}

  private final List<Op> ops;
  private final List<FaultEvent> faults;
  private final double recoveredAvailability;
  private final long lastSecond;
  private final long warmupSeconds;
  private final String[] phaseOfSecond;
  private final List<Recovery> recoveries = new ArrayList<>();

  /** The phase of the load's first {@code loadchaos.warmup} seconds, judged by nothing. */
  public static final String WARMUP = "warmup";

  public PhaseAnalysis(List<Op> ops, List<FaultEvent> faults, double recoveredAvailability) {
    this(ops, faults, recoveredAvailability, 0);
  }

  /**
   * With the first {@code warmupSeconds} of the load labelled {@link #WARMUP} (a fault in them
   * still labels its seconds): a JVM that just started compiles and fills caches there, which says
   * nothing about its steady cost or latency.
   */
  public PhaseAnalysis(List<Op> ops, List<FaultEvent> faults, double recoveredAvailability, long warmupSeconds) {
    this.warmupSeconds = warmupSeconds;
    this.ops = perBatch(ops);
    this.faults = faults;
    this.recoveredAvailability = recoveredAvailability;
    long last = 0;
    for (Op op : ops) last = Math.max(last, op.startMicros() / 1_000_000);
    this.lastSecond = last;
    this.phaseOfSecond = new String[(int) last + 1];
    label();
  }

  /**
   * A client retries a batch on another node when an attempt fails, so availability is judged per
   * batch: its first attempt's start, its last attempt's end, and its best outcome.
   */
  public static List<Op> perBatch(List<Op> ops) {
    Map<Long, Op> writes = new LinkedHashMap<>();
    List<Op> out = new ArrayList<>();
    for (Op op : ops) {
      if (op.kind() != OpKind.WRITE) {
        out.add(op);
        continue;
      }
      writes.merge(op.batchId(), op, (a, b) -> {
        long start = Math.min(a.startMicros(), b.startMicros());
        boolean done = a.latencyMicros() >= 0 && b.latencyMicros() >= 0;
        long end = Math.max(a.endMicros(), b.endMicros());
        Outcome best = a.outcome() == Outcome.OK || b.outcome() == Outcome.OK ? Outcome.OK
            : a.outcome() == Outcome.INFO || b.outcome() == Outcome.INFO ? Outcome.INFO : Outcome.FAIL;
        Op last = a.startMicros() >= b.startMicros() ? a : b;
        return new Op(OpKind.WRITE, a.batchId(), last.node(), start, done ? end - start : -1, best, last.status(),
            Math.max(a.points(), b.points()));
      });
    }
    out.addAll(writes.values());
    return out;
  }

  private void label() {
    long[][] writeCounts = countsPerSecond(OpKind.WRITE);
    for (int s = 0; s <= lastSecond; s++) phaseOfSecond[s] = s < warmupSeconds ? WARMUP : "steady";
    for (FaultEvent f : faults) {
      long from = f.startMicros() / 1_000_000;
      long to = f.active() ? lastSecond : f.endMicros() / 1_000_000;
      for (long s = from; s <= Math.min(to, lastSecond); s++) {
        phaseOfSecond[(int) s] = "fault:" + f.name();
      }
    }
    // recovery: from the heal until the first second whose writes are back above the threshold
    for (FaultEvent f : faults) {
      if (f.active() || f.endMicros() / 1_000_000 >= lastSecond) {
        // healed only after the load ended: there is no recovery under load to measure
        recoveries.add(new Recovery(f.name(), -1, null));
        continue;
      }
      long healed = f.endMicros() / 1_000_000 + 1;
      Double recoveredAfter = null;
      boolean overlapped = false;
      for (long s = healed; s <= lastSecond; s++) {
        if (phaseOfSecond[(int) s].startsWith("fault:")) {
          overlapped = true;
          break;
        }
        long ok = writeCounts[(int) s][0];
        long all = ok + writeCounts[(int) s][1] + writeCounts[(int) s][2];
        if (all > 0 && (double) ok / all >= recoveredAvailability) {
          recoveredAfter = Math.max(0, (s * 1_000_000 - f.endMicros()) / 1e6);
          break;
        }
        phaseOfSecond[(int) s] = "recovery";
      }
      if (overlapped && recoveredAfter == null) {
        // another fault was active before writes were back: this recovery cannot be measured alone
        recoveries.add(new Recovery(f.name(), -1, null));
        continue;
      }
      recoveries.add(new Recovery(f.name(), f.endMicros(), recoveredAfter));
    }
  }

  private long[][] countsPerSecond(OpKind kind) {
    long[][] c = new long[(int) lastSecond + 1][3];
    for (Op op : ops) {
      if (op.kind() != kind) continue;
      c[(int) (op.startMicros() / 1_000_000)][op.outcome().ordinal()]++;
    }
    return c;
  }

  public List<Recovery> recoveries() {
    return recoveries;
  }

  public String phaseAt(long second) {
    return second >= 0 && second <= lastSecond ? phaseOfSecond[(int) second] : "steady";
  }

  /** Contiguous stretches of one phase, for shading timelines. */
  public List<Segment> segments() {
    List<Segment> out = new ArrayList<>();
    int from = 0;
    for (int s = 1; s <= phaseOfSecond.length; s++) {
      if (s == phaseOfSecond.length || !phaseOfSecond[s].equals(phaseOfSecond[from])) {
        out.add(new Segment(phaseOfSecond[from], from, s));
        from = s;
      }
    }
    return out;
  }

  /** Per-second numbers for one kind. */
  public List<Second> perSecond(OpKind kind) {
    int n = (int) lastSecond + 1;
    long[][] counts = new long[n][4];
    Histogram[] hist = new Histogram[n];
    for (Op op : ops) {
      if (op.kind() != kind) continue;
      int s = (int) (op.startMicros() / 1_000_000);
      counts[s][op.outcome().ordinal()]++;
      if (op.outcome() == Outcome.OK) counts[s][3] += op.points();
      if (op.latencyMicros() >= 0) {
        if (hist[s] == null) hist[s] = new Histogram(3);
        hist[s].recordValue(op.latencyMicros());
      }
    }
    List<Second> out = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      Histogram h = hist[s];
      out.add(new Second(s, phaseOfSecond[s], counts[s][0], counts[s][1], counts[s][2], counts[s][3],
          h == null ? 0 : h.getValueAtPercentile(50) / 1000.0, h == null ? 0 : h.getValueAtPercentile(99) / 1000.0));
    }
    return out;
  }

  /**
   * The phase an operation is judged in: a fault it overlapped (a batch sent just before a kill
   * that fails because of it belongs to the fault), else the phase of the second it started in.
   */
  public String phaseOf(Op op) {
    long end = op.latencyMicros() < 0 ? op.startMicros() : op.endMicros();
    for (FaultEvent f : faults) {
      long fEnd = f.active() ? Long.MAX_VALUE : f.endMicros();
      if (op.startMicros() < f.startMicros() && end >= f.startMicros() && end <= fEnd) return "fault:" + f.name();
    }
    return phaseOfSecond[(int) (op.startMicros() / 1_000_000)];
  }

  /** Aggregates per phase label for one kind, in order of first appearance. */
  public Map<String, PhaseStats> phases(OpKind kind) {
    return phases(EnumSet.of(kind), false);
  }

  /**
   * Aggregates per phase label over every query (HTTP and Flight). Latencies are those of answered
   * queries: an error counts against availability, and its latency is the client's timeout.
   */
  public Map<String, PhaseStats> queryPhases() {
    return phases(QUERY_KINDS, true);
  }

  private static final Set<OpKind> QUERY_KINDS = EnumSet.of(OpKind.QUERY_SQL, OpKind.QUERY_FLIGHT);

  private Map<String, PhaseStats> phases(Set<OpKind> kinds, boolean okLatencyOnly) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, Histogram> hists = new LinkedHashMap<>();
    Map<String, Long> seconds = new LinkedHashMap<>();
    Map<String, Map<String, Long>> notOk = new LinkedHashMap<>();
    for (String p : phaseOfSecond) {
      counts.computeIfAbsent(p, x -> new long[4]);
      hists.computeIfAbsent(p, x -> new Histogram(3));
      seconds.merge(p, 1L, Long::sum);
    }
    for (Op op : ops) {
      if (!kinds.contains(op.kind())) continue;
      String p = phaseOf(op);
      long[] c = counts.get(p);
      c[op.outcome().ordinal()]++;
      if (op.outcome() == Outcome.OK) c[3] += op.points();
      else notOk.computeIfAbsent(p, x -> new TreeMap<>(STATUS_ORDER)).merge(WriteRejections.label(op.status()), 1L, Long::sum);
      if (op.latencyMicros() >= 0 && (!okLatencyOnly || op.outcome() == Outcome.OK)) hists.get(p).recordValue(op.latencyMicros());
    }
    Map<String, PhaseStats> out = new LinkedHashMap<>();
    for (var e : counts.entrySet()) {
      long[] c = e.getValue();
      long total = c[0] + c[1] + c[2];
      Histogram h = hists.get(e.getKey());
      long secs = seconds.get(e.getKey());
      out.put(e.getKey(), new PhaseStats(e.getKey(), secs, total, c[0], c[1], c[2],
          total == 0 ? Double.NaN : (double) c[0] / total,
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, secs == 0 ? 0 : (double) c[3] / secs,
          Collections.unmodifiableMap(notOk.getOrDefault(e.getKey(), Map.of()))));
    }
    return out;
  }

  // "no response" (no HTTP status) sorts first, then the statuses in numeric order
  private static final Comparator<String> STATUS_ORDER = Comparator.comparingInt(PhaseAnalysis::statusNumber);

  private static int statusNumber(String label) {
    try {
      return Integer.parseInt(label);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One verdict per (SLO, matching phase) and per recovery. */
  public List<Verdict> evaluate(List<Slo> slos) {
    List<Verdict> out = new ArrayList<>();
    Map<String, PhaseStats> writes = phases(OpKind.WRITE);
    Map<String, PhaseStats> queries = queryPhases();
    boolean anyQuery = ops.stream().anyMatch(op -> QUERY_KINDS.contains(op.kind()));
    for (Slo slo : slos) {
      if (slo.metric().ofQueries() && !anyQuery) {
        out.add(Verdict.skipped("slo " + slo.label() + " [" + slo.phasePattern() + "]", "the run sent no queries"));
        continue;
      }
      if (slo.metric() == Slo.Metric.RECOVERY_S) {
        for (Recovery r : recoveries) {
          String name = "slo recovery after " + r.fault();
          String threshold = "<= " + fmt(slo.threshold()) + " s";
          if (r.seconds() == null) {
            out.add(r.healedAtMicros() < 0
                ? Verdict.skipped(name, "no recovery under load to measure alone: the fault lasted until the load"
                    + " ended, or another fault was active before writes were back")
                : Verdict.fail(name, "not recovered before the load ended", threshold,
                    "writes never got back to availability >= " + recoveredAvailability));
          } else {
            out.add(Verdict.of(name, r.seconds() <= slo.threshold(), fmt(r.seconds()) + " s", threshold,
                "from heal to the first second with availability >= " + recoveredAvailability));
          }
        }
        continue;
      }
      boolean matched = false;
      String what = slo.metric().ofQueries() ? "queries" : "writes";
      for (PhaseStats p : (slo.metric().ofQueries() ? queries : writes).values()) {
        if (!slo.matches(p.phase())) continue;
        matched = true;
        String name = "slo " + slo.label() + " [" + p.phase() + "]";
        if (p.ops() == 0) {
          // nothing observed is not a pass
          out.add(Verdict.unknown(name, "no " + what + " started in phase " + p.phase()));
          continue;
        }
        double v = switch (slo.metric()) {
          case AVAILABILITY -> p.availability();
          case P50_MS -> p.p50Ms();
          case P95_MS -> p.p95Ms();
          case P99_MS -> p.p99Ms();
          case THROUGHPUT -> p.okPointsPerSecond();
          case QUERY_AVAILABILITY -> p.availability();
          case QUERY_P99_MS -> p.p99Ms();
          case RECOVERY_S -> throw new IllegalStateException();
        };
        boolean ok = slo.higherIsBetter() ? v >= slo.threshold() : v <= slo.threshold();
        String unit = unit(slo.metric());
        out.add(Verdict.of(name, ok, fmt(v) + unit, (slo.higherIsBetter() ? ">= " : "<= ") + fmt(slo.threshold()) + unit,
            p.ops() + " " + what + " over " + p.seconds() + " s (ok " + p.ok() + ", fail " + p.fail() + ", info " + p.info() + ")"
                + (p.notOkSummary().isEmpty() ? "" : "; not ok by HTTP status: " + p.notOkSummary())));
      }
      // a wildcard may legitimately match nothing (no faults); a named phase must exist
      if (!matched && !slo.phasePattern().equals("recovery") && !slo.phasePattern().contains("*")) {
        out.add(Verdict.unknown("slo " + slo.label() + " [" + slo.phasePattern() + "]",
            "the run had no phase matching '" + slo.phasePattern() + "'"));
      }
    }
    return out;
  }

  private static String unit(Slo.Metric m) {
    return switch (m) {
      case AVAILABILITY, QUERY_AVAILABILITY -> "";
      case P50_MS, P95_MS, P99_MS, QUERY_P99_MS -> " ms";
      case THROUGHPUT -> " points/s";
      case RECOVERY_S -> " s";
    };
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) return "n/a";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
