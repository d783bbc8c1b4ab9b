package io.loadchaos.cost;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.history.History.Op;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Cost per point per phase, for results.json's {@code cost}: CPU seconds all nodes used during
 * the phase divided by the points acknowledged (ok writes) whose write ended in the phase, per
 * million points; and the peak resident memory. Each sampling interval's CPU is spread over the
 * run seconds it covers, so it lands in the phases of those seconds. When nothing could be
 * measured the map holds {@code absent} with the reason, never a zero.
 */
public final class CostReport {
  private CostReport() {}

  /** A cost that could not be measured, and why. */
  public static Map<String, Object> absent(String why) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", null);
    out.put("absent", why);
    return out;
  }

  /** The cost of a run's load per phase, with the machine it was measured on ({@link CostSampler#machine}). */
  public static Map<String, Object> of(CostSampler sampler, PhaseAnalysis pa, List<Op> ops) {
    Map<String, Object> out = perPhase(sampler, pa, ops);
    out.put("machine", sampler.machine());
    return out;
  }

  private static Map<String, Object> perPhase(CostSampler sampler, PhaseAnalysis pa, List<Op> ops) {
    List<CostSampler.Tick> ticks = sampler.ticks();
    if (sampler.nodesSeen() == 0) {
      String why = sampler.problems().isEmpty() ? "no node was sampled" : sampler.problems().entrySet().stream()
          .map(e -> "node " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
      return absent(ticks.isEmpty() ? "the sampler never ran (no load started)" : "no node's CPU was visible: " + why);
    }
    if (ticks.size() < 2) {
      return absent("fewer than two samples: the load ended before a CPU interval could be measured");
    }
    List<PhaseAnalysis.Segment> segments = pa.segments();
    int seconds = segments.isEmpty() ? 0 : (int) segments.get(segments.size() - 1).toSecondExclusive();
    if (seconds == 0) {
      return absent("the run has no operations, so no phase to charge CPU to");
    }
    double[] cpu = new double[seconds];
    double[] rss = new double[seconds];
    for (int i = 1; i < ticks.size(); i++) {
      spread(cpu, ticks.get(i - 1).micros(), ticks.get(i).micros(), ticks.get(i).cpuSeconds());
      int s = (int) Math.min(seconds - 1, Math.max(0, ticks.get(i).micros() / 1_000_000));
      double largest = ticks.get(i).rssMiB().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      rss[s] = Math.max(rss[s], largest);
    }
    Map<String, Long> points = new LinkedHashMap<>();
    for (Op op : ops) {
      if (op.kind() != OpKind.WRITE || op.outcome() != Outcome.OK) continue;
      long s = Math.min(seconds - 1, op.endMicros() / 1_000_000);
      points.merge(pa.phaseAt(s), (long) op.points(), Long::sum);
    }
    Map<String, double[]> perPhase = new LinkedHashMap<>(); // cpu, peak rss
    for (PhaseAnalysis.Segment seg : segments) {
      double[] acc = perPhase.computeIfAbsent(seg.phase(), k -> new double[2]);
      for (long s = seg.fromSecond(); s < seg.toSecondExclusive(); s++) {
        acc[0] += cpu[(int) s];
        acc[1] = Math.max(acc[1], rss[(int) s]);
      }
    }
    Map<String, Object> phases = new LinkedHashMap<>();
    perPhase.forEach((phase, acc) -> {
      Map<String, Object> p = new LinkedHashMap<>();
      long acked = points.getOrDefault(phase, 0L);
      p.put("nodeCpuSeconds", round(acc[0], 3));
      p.put("ackedPoints", acked);
      if (acked > 0) {
        p.put("cpuSecondsPerMillionPoints", round(acc[0] / acked * 1e6, 3));
      } else {
        p.put("absent", "no point acknowledged in this phase");
      }
      if (acc[1] > 0) p.put("peakRssMiB", round(acc[1], 1));
      phases.put(phase, p);
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", sampler.sourceNames());
    out.put("nodes", sampler.nodesSeen());
    out.put("intervalMs", sampler.interval().toMillis());
    out.put("samples", ticks.size());
    out.put("phases", phases);
    Map<String, Object> peak = new LinkedHashMap<>();
    sampler.peakRssMiB().forEach((id, mib) -> peak.put(id, round(mib, 1)));
    out.put("peakRssMiB", peak);
    if (!sampler.problems().isEmpty()) out.put("unseenNodes", sampler.problems());
    return out;
  }

  /** Adds {@code amount} to the seconds of [from, to) micros in proportion to the overlap. */
  static void spread(double[] perSecond, long fromMicros, long toMicros, double amount) {
    if (amount == 0 || toMicros <= fromMicros) return;
    double rate = amount / (toMicros - fromMicros);
    for (long s = Math.max(0, fromMicros / 1_000_000); s * 1_000_000 < toMicros && s < perSecond.length; s++) {
      long a = Math.max(fromMicros, s * 1_000_000);
      long b = Math.min(toMicros, (s + 1) * 1_000_000);
      if (b > a) perSecond[(int) s] += rate * (b - a);
    }
  }

  /** The one console line, e.g. {@code cost: steady 2.31 cpu-s per million points (3 nodes, /proc), peak RSS 412 MiB}. */
  @SuppressWarnings("unchecked")
  public static String consoleLine(Map<String, Object> cost) {
    if (cost == null) return "cost: not measured";
    if (cost.get("absent") != null) return "cost: absent (" + cost.get("absent") + ")";
    Map<String, Map<String, Object>> phases = (Map<String, Map<String, Object>>) cost.get("phases");
    String perPhase = phases.entrySet().stream().map(e -> e.getKey() + " " + (e.getValue().get("cpuSecondsPerMillionPoints") == null
        ? "n/a" : String.format("%.2f", ((Number) e.getValue().get("cpuSecondsPerMillionPoints")).doubleValue())))
        .collect(Collectors.joining(", "));
    double peak = ((Map<String, Object>) cost.get("peakRssMiB")).values().stream().mapToDouble(v -> ((Number) v).doubleValue())
        .max().orElse(0);
    return String.format("cost: %s cpu-s per million points (%s nodes, %s), peak RSS %.0f MiB", perPhase, cost.get("nodes"),
        cost.get("source"), peak);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
