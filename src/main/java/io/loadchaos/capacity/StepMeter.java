package io.loadchaos.capacity;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.report.Numbers;
import java.util.List;
import io.loadchaos.check.PhaseAnalysis;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Measures one step's window of the run's write history and judges it. Like every phase, per
 * batch: a batch retried on another node after a failed attempt counts once, with its best outcome
 * and the latency from its first attempt's start to its last one's end. Writes <em>started</em> in the window give availability and p99; writes
 * <em>acknowledged</em> in it give the achieved rate, per half of the window for the steady-state
 * rule.
 */
public final class StepMeter {
  private StepMeter() {}

  /**
   * {@code inFlight}: writes started in the window without an outcome yet. They are not errors
   * (not yet), so availability is over the writes that returned; their age at {@code nowMicros}
   * enters the p99 as a lower bound of their latency.
   */
  public record Measurement(double windowSeconds, long ops, long ok, long inFlight, double okPointsPerSecond,
      double firstHalfOkPointsPerSecond, double secondHalfOkPointsPerSecond, double availability, double p99Ms) {
    public double errorRate() {
      return Double.isNaN(availability) ? Double.NaN : 1 - availability;
    }
  }

  public static Measurement measure(List<History.Op> history, long fromMicros, long toMicros, long nowMicros) {
    if (toMicros <= fromMicros) throw new IllegalArgumentException("empty step window [" + fromMicros + ", " + toMicros + ")");
    long mid = fromMicros + (toMicros - fromMicros) / 2;
    long ops = 0;
    long ok = 0;
    long inFlight = 0;
    long okPoints = 0;
    long firstHalf = 0;
    long secondHalf = 0;
    Histogram latencies = new Histogram(3);
    for (History.Op op : PhaseAnalysis.perBatch(history)) {
      if (op.kind() != OpKind.WRITE) continue;
      boolean done = op.latencyMicros() >= 0;
      if (done && op.outcome() == Outcome.OK) {
        long end = op.endMicros();
        if (end >= fromMicros && end < toMicros) {
          okPoints += op.points();
          if (end < mid) firstHalf += op.points();
          else secondHalf += op.points();
        }
      }
      if (op.startMicros() < fromMicros || op.startMicros() >= toMicros) continue;
      ops++;
      if (!done) inFlight++;
      else if (op.outcome() == Outcome.OK) ok++;
      latencies.recordValue(Math.max(0, done ? op.latencyMicros() : nowMicros - op.startMicros()));
    }
    double secs = (toMicros - fromMicros) / 1e6;
    double half = secs / 2;
    long returned = ops - inFlight;
    return new Measurement(secs, ops, ok, inFlight, okPoints / secs, firstHalf / half, secondHalf / half,
        returned == 0 ? Double.NaN : (double) ok / returned, ops == 0 ? Double.NaN : latencies.getValueAtPercentile(99) / 1000.0);
  }

  /**
   * What a step must do to meet: availability and p99 (the SLOs), at least {@code minAchieved} of
   * the offered rate acknowledged, halves within {@code steadiness} of each other; and what makes
   * it the injector's limit: more than {@code maxInjectorLate} of the starts delayed by the
   * injector, or its process using {@code maxInjectorCpu} of the machine's cores or more.
   */
  public record Criteria(double minAvailability, double maxP99Ms, double minAchieved, double steadiness,
      double maxInjectorLate, double maxInjectorCpu) {}

  public record Judgement(CapacitySearch.StepVerdict verdict, String why) {}

  /**
   * Cluster first: a step that misses the SLOs missed, whatever else happened. Then a shortfall of
   * the achieved rate, blamed on the cluster when all writers were busy (its latency used up the
   * pool) and on the injector otherwise; then the injector's own limits; then steadiness.
   * {@code batchPoints} gives the slack of one batch per window (and two per half), since a
   * window holds whole batches.
   */
  public static Judgement judge(double offered, int batchPoints, Measurement m, Pacer.Counters c, double injectorCpuShare,
      Criteria k) {
    if (m.ops() == 0) return missed("no write started in the step");
    String pending = m.inFlight() == 0 ? "" : " (" + m.inFlight() + " of " + m.ops() + " writes still in flight)";
    if (m.availability() < k.minAvailability()) {
      return missed("availability " + fmt(m.availability()) + " < " + fmt(k.minAvailability()) + pending);
    }
    if (Double.isNaN(m.availability()) || m.p99Ms() > k.maxP99Ms()) {
      return missed("p99 " + fmt(m.p99Ms()) + " ms > " + fmt(k.maxP99Ms()) + " ms" + pending);
    }
    double slack = batchPoints / m.windowSeconds();
    if (m.okPointsPerSecond() < k.minAchieved() * offered - slack) {
      String shortBy = "ok " + CapacitySearch.rate(m.okPointsPerSecond()) + " < " + pct(k.minAchieved()) + " of offered "
          + CapacitySearch.rate(offered) + " points/s";
      if (c.allBusyShare() >= c.injectorLateShare() && c.allBusyShare() > 0) {
        return missed(shortBy + "; " + pct(c.allBusyShare()) + " of starts late or dropped with all " + c.writers()
            + " writers busy (the cluster's latency)");
      }
      if (c.injectorLateShare() > 0) {
        return new Judgement(CapacitySearch.StepVerdict.INJECTOR_BOUND, shortBy + "; " + pct(c.injectorLateShare())
            + " of starts late while writers were free");
      }
      return missed(shortBy);
    }
    if (c.injectorLateShare() > k.maxInjectorLate()) {
      return new Judgement(CapacitySearch.StepVerdict.INJECTOR_BOUND, pct(c.injectorLateShare())
          + " of starts late while writers were free (limit " + pct(k.maxInjectorLate()) + ")");
    }
    if (injectorCpuShare >= k.maxInjectorCpu()) {
      return new Judgement(CapacitySearch.StepVerdict.INJECTOR_BOUND, "injector CPU " + pct(injectorCpuShare)
          + " of the machine's cores (limit " + pct(k.maxInjectorCpu()) + ")");
    }
    double a = m.firstHalfOkPointsPerSecond();
    double b = m.secondHalfOkPointsPerSecond();
    if (Math.abs(a - b) > k.steadiness() * Math.max(a, b) + 4 * slack) {
      return new Judgement(CapacitySearch.StepVerdict.UNSTEADY, "not steady: ok " + CapacitySearch.rate(a) + " then "
          + CapacitySearch.rate(b) + " points/s in the two halves (more than " + pct(k.steadiness()) + " apart)");
    }
    return new Judgement(CapacitySearch.StepVerdict.MET, "");
  }

  private static Judgement missed(String why) {
    return new Judgement(CapacitySearch.StepVerdict.MISSED, why);
  }

  static String fmt(double v) {
    return Numbers.fmt(v);
  }

  static String pct(double share) {
    double p = share * 100;
    return (p >= 10 || p == 0 ? String.valueOf(Math.round(p)) : String.format(Locale.ROOT, "%.1f", p)) + "%";
  }
}
