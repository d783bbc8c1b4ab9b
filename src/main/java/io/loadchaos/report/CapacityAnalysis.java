package io.loadchaos.report;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a stepped write ramp: each level of the schedule is measured over the whole seconds that
 * lie inside it and held against the SLOs; the knee is the highest step that met them.
 */
public final class CapacityAnalysis {
  private CapacityAnalysis() {}

  /**
   * Gatling's {@code incrementUsersPerSec(step).times(levels).eachLevelLasting(d).startingFrom(start)}
   * with one batch per user: level i offers {@code start + i * step} batches per second, levels back
   * to back from {@code loadStartMicros} (run clock).
   */
  public record Schedule(double startBatchesPerSecond, double stepBatchesPerSecond, int levels, Duration levelDuration,
      int batchSize, long loadStartMicros) {

    public Schedule {
      if (levels < 1) throw new IllegalArgumentException("capacity schedule: levels must be >= 1, got " + levels);
      if (levelDuration.toMillis() < 2000) {
        throw new IllegalArgumentException("capacity schedule: levelDuration must be >= 2s to hold a whole second, got "
            + levelDuration);
      }
      if (startBatchesPerSecond <= 0 || stepBatchesPerSecond < 0) {
        throw new IllegalArgumentException("capacity schedule: start must be > 0 and step >= 0");
      }
    }

    public double batchesPerSecond(int level) {
      return startBatchesPerSecond + level * stepBatchesPerSecond;
    }

    public double offeredPointsPerSecond(int level) {
      return batchesPerSecond(level) * batchSize;
    }

    public long levelStartMicros(int level) {
      return loadStartMicros + level * levelDuration.toNanos() / 1000;
    }

    public Duration total() {
      return levelDuration.multipliedBy(levels);
    }
  }

  /** What a step must meet: availability at least, p99 write latency at most. */
  public record Criteria(double minAvailability, double maxP99Ms) {}

  /**
   * One level as measured. {@code p99Ms} is the highest per-second p99 among the step's seconds: an
   * upper bound of the step's own p99, since no second had more than 1% of its writes above it.
   */
  public record Step(int level, double offeredPointsPerSecond, long fromSecond, long toSecondExclusive, long ops,
      long ok, double okPointsPerSecond, double availability, double errorRate, double p99Ms, boolean met,
      String why) {}

  public record Result(Criteria criteria, List<Step> steps, Integer kneeLevel) {

    /** The knee step, or null when no step met the SLOs. */
    public Step knee() {
      return kneeLevel == null ? null : steps.get(kneeLevel);
    }

    /** 'capacity knee': measured = the knee in ok points/s; passes when at least the first step met the SLOs. */
    public Verdict verdict() {
      String threshold = "first step meets availability >= " + fmt(criteria.minAvailability()) + " and p99 <= "
          + fmt(criteria.maxP99Ms()) + " ms";
      StringBuilder detail = new StringBuilder();
      for (Step s : steps) {
        detail.append(String.format(Locale.ROOT, "step %d: offered %s, ok %s points/s, availability %s, p99 %s ms: %s%n",
            s.level() + 1, fmt(s.offeredPointsPerSecond()), fmt(s.okPointsPerSecond()), fmt(s.availability()),
            fmt(s.p99Ms()), s.met() ? "met" : "missed (" + s.why() + ")"));
      }
      Step knee = knee();
      if (knee != null) {
        List<Integer> missedBelow = new ArrayList<>();
        for (Step s : steps.subList(0, knee.level())) if (!s.met()) missedBelow.add(s.level() + 1);
        if (!missedBelow.isEmpty()) detail.append("note: steps ").append(missedBelow).append(" below the knee missed the SLOs");
      }
      boolean ok = !steps.isEmpty() && steps.get(0).met();
      String measured = knee == null ? "none"
          : fmt(knee.okPointsPerSecond()) + " points/s (step " + (knee.level() + 1) + " of " + steps.size() + ")";
      return Verdict.of("capacity knee", ok, measured, threshold, detail.toString().strip());
    }

    public Map<String, Object> toMap() {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = ResultsJson.mapper().convertValue(this, Map.class);
      return m;
    }

    /** Reads {@link RunResult#capacity()} back; null stays null. */
    public static Result fromMap(Map<String, Object> m) {
      return m == null ? null : ResultsJson.mapper().convertValue(m, Result.class);
    }
  }

  /** Evaluates every level of the schedule on the run's per-second write numbers. */
  public static Result evaluate(Schedule schedule, List<PhaseAnalysis.Second> writes, Criteria criteria) {
    List<Step> steps = new ArrayList<>();
    Integer knee = null;
    for (int level = 0; level < schedule.levels(); level++) {
      long startUs = schedule.levelStartMicros(level);
      long endUs = schedule.levelStartMicros(level + 1);
      long from = (startUs + 999_999) / 1_000_000; // first whole second inside the level
      long to = endUs / 1_000_000;
      long ops = 0;
      long ok = 0;
      long okPoints = 0;
      long seconds = 0;
      double p99 = 0;
      for (PhaseAnalysis.Second s : writes) {
        if (s.second() < from || s.second() >= to) continue;
        seconds++;
        long n = s.ok() + s.fail() + s.info();
        ops += n;
        ok += s.ok();
        okPoints += s.okPoints();
        if (n > 0) p99 = Math.max(p99, s.p99Ms());
      }
      double availability = ops == 0 ? Double.NaN : (double) ok / ops;
      double errorRate = ops == 0 ? Double.NaN : 1 - availability;
      String why;
      if (seconds == 0) {
        why = "the run ended before this step";
      } else if (seconds * 2 < to - from) {
        why = "only " + seconds + " of " + (to - from) + " seconds measured (the run ended during this step)";
      } else if (ops == 0) {
        why = "no writes measured";
      } else if (availability < criteria.minAvailability()) {
        why = "availability " + fmt(availability) + " < " + fmt(criteria.minAvailability());
      } else if (p99 > criteria.maxP99Ms()) {
        why = "p99 " + fmt(p99) + " ms > " + fmt(criteria.maxP99Ms()) + " ms";
      } else {
        why = "";
      }
      boolean met = why.isEmpty();
      if (met) knee = level;
      steps.add(new Step(level, schedule.offeredPointsPerSecond(level), from, to, ops, ok,
          seconds == 0 ? 0 : (double) okPoints / seconds, availability, errorRate, p99, met, why));
    }
    return new Result(criteria, steps, knee);
  }

  static String fmt(double v) {
    return Numbers.fmt(v);
  }
}
