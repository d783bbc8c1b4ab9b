package io.loadchaos.capacity;

import io.loadchaos.check.Verdict;
import io.loadchaos.report.ResultsJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a capacity search found: its steps and its end. {@link #toMap()} is results.json's
 * {@code capacity}: the fields of {@code io.loadchaos.report.CapacityAnalysis.Result}
 * ({@code criteria}, {@code steps}, {@code kneeLevel}), so the HTML report and the gate read it
 * as before, plus {@code knee} (the search's end and bracket) and {@code search} (its settings).
 */
public record CapacityReport(CapacitySearch.Settings search, StepMeter.Criteria criteria, int batchSize,
    int writers, List<Step> steps, CapacitySearch.Result result) {

  /**
   * One step as run. The first twelve fields are CapacityAnalysis.Step's. {@code level}: index in
   * the order run; seconds: the measured window in run seconds; {@code okPointsPerSecond}:
   * acknowledged in the window; {@code injectorCpuCores}: CPU of the injector's own process over
   * the window; {@code nodeCpuSecondsPerPoint}: the target's node processes, null where they are
   * not visible (see {@link NodeCpu}).
   */
  public record Step(int level, double offeredPointsPerSecond, long fromSecond, long toSecondExclusive, long ops,
      long ok, double okPointsPerSecond, double availability, double errorRate, double p99Ms, boolean met, String why,
      String phase, String verdict, double firstHalfOkPointsPerSecond, double secondHalfOkPointsPerSecond, long inFlight,
      long starts, long startsLateAllBusy, long startsLateInjector, long startsDropped, long startsWokeLate,
      int maxBusyWriters, double injectorCpuCores, double injectorCpuShare, Double nodeCpuSecondsPerPoint) {

    /** {@code [capacity] step 6: offered 160k pts/s, ok 158k, p99 41 ms, err 0% -> met} */
    public String progressLine() {
      String err = Double.isNaN(errorRate) ? "n/a" : StepMeter.pct(errorRate);
      String tail = switch (verdict) {
        case "MET" -> "met";
        case "MISSED" -> "missed (" + why + ")";
        case "INJECTOR_BOUND" -> "injector-bound (" + why + ")";
        default -> "unsteady (" + why + ")";
      };
      return String.format(Locale.ROOT, "[capacity] step %d: offered %s pts/s, ok %s, p99 %s ms, err %s -> %s"
              + " [%s; injector %.2f cores, late %d+%d, dropped %d, writers busy <= %d]",
          level + 1, CapacitySearch.rate(offeredPointsPerSecond), CapacitySearch.rate(okPointsPerSecond),
          StepMeter.fmt(Math.round(p99Ms)), err, tail, phase, injectorCpuCores, startsLateAllBusy,
          startsLateInjector + startsWokeLate, startsDropped, maxBusyWriters);
    }
  }

  /** The index of the step the knee is (the highest met rate), only when the search ended at a knee. */
  public Integer kneeLevel() {
    Double knee = result.knee();
    if (knee == null) return null;
    Integer best = null;
    for (Step s : steps) {
      if (s.met() && s.offeredPointsPerSecond() == knee) best = s.level();
    }
    return best;
  }

  /**
   * 'capacity knee': PASS with the knee and its bracket; FAIL when even the first step missed;
   * UNKNOWN when the search could not bracket it (not reached, injector-bound, budget ran out).
   */
  public Verdict verdict() {
    CapacitySearch.Result r = result;
    String threshold = "a step that meets availability >= " + StepMeter.fmt(criteria.minAvailability()) + ", p99 <= "
        + StepMeter.fmt(criteria.maxP99Ms()) + " ms and ok >= " + StepMeter.pct(criteria.minAchieved())
        + " of offered, bracketed by one that misses within " + StepMeter.pct(search.precision());
    StringBuilder detail = new StringBuilder(r.summary()).append('\n');
    for (Step s : steps) detail.append(s.progressLine().substring("[capacity] ".length())).append('\n');
    String d = detail.toString().strip();
    return switch (r.end()) {
      case KNEE -> {
        Integer at = kneeLevel();
        String ok = at == null ? "" : " (" + CapacitySearch.rate(steps.get(at).okPointsPerSecond()) + " ok)";
        yield Verdict.pass("capacity knee", CapacitySearch.rate(r.good()) + " points/s offered" + ok + ", bracket [" + CapacitySearch.rate(r.good()) + ", " + CapacitySearch.rate(r.bad())
            + "] (" + CapacitySearch.pct(r.precision()) + ")", threshold, d);
      }
      case BELOW_FIRST_STEP -> Verdict.fail("capacity knee", "below " + CapacitySearch.rate(r.bad()) + " points/s",
          threshold, d + "\nlower -Dloadchaos.capacity.startRate");
      default -> new Verdict("capacity knee", Verdict.Status.UNKNOWN, r.summary(), threshold, d, Map.of());
    };
  }

  /** {@code [capacity] bracket [150k, 180k] (18%)}, or null before both bounds exist. */
  public static String bracketLine(Double good, Double bad) {
    if (good == null || bad == null) return null;
    return "[capacity] bracket [" + CapacitySearch.rate(good) + ", " + CapacitySearch.rate(bad) + "] ("
        + CapacitySearch.pct((bad - good) / good) + ")";
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("criteria", Map.of("minAvailability", criteria.minAvailability(), "maxP99Ms", criteria.maxP99Ms()));
    List<Object> rows = new ArrayList<>();
    for (Step s : steps) rows.add(ResultsJson.mapper().convertValue(s, Map.class));
    m.put("steps", rows);
    m.put("kneeLevel", kneeLevel());
    Map<String, Object> knee = new LinkedHashMap<>();
    knee.put("end", result.end().name());
    knee.put("pointsPerSecond", result.knee());
    knee.put("low", result.good());
    knee.put("high", result.bad());
    knee.put("precision", result.precision());
    knee.put("steps", result.steps());
    knee.put("reason", result.reason());
    knee.put("summary", result.summary());
    m.put("knee", knee);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("startRate", search.startRate());
    settings.put("growth", search.growth());
    settings.put("precision", search.precision());
    settings.put("maxRate", search.maxRate());
    settings.put("maxSteps", search.maxSteps());
    settings.put("timeBudgetSeconds", search.timeBudget().toMillis() / 1000.0);
    settings.put("stepSeconds", search.stepDuration().toMillis() / 1000.0);
    settings.put("maxReruns", search.maxReruns());
    settings.put("maxPoints", search.maxPoints());
    settings.put("batchSize", batchSize);
    settings.put("writers", writers);
    settings.putAll(ResultsJson.mapper().convertValue(criteria, Map.class));
    m.put("search", settings);
    return m;
  }
}
