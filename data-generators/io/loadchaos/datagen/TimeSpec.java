package io.loadchaos.datagen;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the points of a run lie in time and how they are skewed. All skews are seeded per point
 * (or per writer for the clock offset) and combine. Displacements are applied in whole intervals,
 * so that a lane inside each interval keeps every (table, series, timestamp) key unique.
 *
 * @param startAt absolute start, or null when {@code startFromNow} is set
 * @param startFromNow start relative to the run's anchor ("now"), or null when {@code startAt} is set
 * @param interval the distance between two consecutive points of one series
 * @param span if set and the volume is bounded, the interval is chosen to spread the run over it
 * @param jitter +/- offset around the middle of the interval (at most half an interval)
 * @param outOfOrderRatio share of points moved by 1..window intervals either way
 * @param lateRatio share of points moved back by 1..maxLateness (backfill)
 * @param futureRatio share of points moved ahead by 1..maxAhead
 * @param clockOffsetMax each writer's clock is off by a seeded amount in [-max, +max]
 * @param oneTimestamp all points of a batch, or of the whole run, at one timestamp
 */
public record TimeSpec(
    Instant startAt,
    Duration startFromNow,
    Duration interval,
    Duration span,
    Duration jitter,
    double outOfOrderRatio,
    Duration outOfOrderWindow,
    double lateRatio,
    Duration maxLateness,
    double futureRatio,
    Duration maxAhead,
    Duration clockOffsetMax,
    OneTimestamp oneTimestamp) {

  /** Which points share a single timestamp. */
  public enum OneTimestamp {
    NONE,
    BATCH,
    RUN;

    static final String ALLOWED = "none, batch, run";
  }

  public TimeSpec {
    if ((startAt == null) == (startFromNow == null)) {
      throw new DatasetSpecException("time.start: exactly one of an absolute instant or an offset from now is required");
    }
    interval = positive("time.interval", interval);
    if (span != null) {
      positive("time.span", span);
    }
    jitter = nonNegative("time.jitter", jitter);
    outOfOrderWindow = nonNegative("time.out_of_order.window", outOfOrderWindow);
    maxLateness = nonNegative("time.late.max_lateness", maxLateness);
    maxAhead = nonNegative("time.future.max_ahead", maxAhead);
    clockOffsetMax = nonNegative("time.clock_offset.max", clockOffsetMax);
    ratio("time.out_of_order.ratio", outOfOrderRatio);
    ratio("time.late.ratio", lateRatio);
    ratio("time.future.ratio", futureRatio);
    if (outOfOrderRatio + lateRatio + futureRatio > 1.0) {
      throw new DatasetSpecException(
          "time: out_of_order.ratio + late.ratio + future.ratio must be <= 1 (got "
              + (outOfOrderRatio + lateRatio + futureRatio) + ")");
    }
    if (outOfOrderRatio > 0 && outOfOrderWindow.isZero()) {
      throw new DatasetSpecException("time.out_of_order.window must be > 0 when out_of_order.ratio > 0");
    }
    if (lateRatio > 0 && maxLateness.isZero()) {
      throw new DatasetSpecException("time.late.max_lateness must be > 0 when late.ratio > 0");
    }
    if (futureRatio > 0 && maxAhead.isZero()) {
      throw new DatasetSpecException("time.future.max_ahead must be > 0 when future.ratio > 0");
    }
    if (oneTimestamp == null) {
      oneTimestamp = OneTimestamp.NONE;
    }
    if (oneTimestamp != OneTimestamp.NONE) {
      if (outOfOrderRatio > 0 || lateRatio > 0 || futureRatio > 0 || !jitter.isZero()) {
        throw new DatasetSpecException(
            "time.one_timestamp: " + oneTimestamp.name().toLowerCase()
                + " cannot be combined with jitter, out_of_order, late or future (they would move points off the timestamp)");
      }
      if (oneTimestamp == OneTimestamp.RUN && !clockOffsetMax.isZero()) {
        throw new DatasetSpecException("time.one_timestamp: run cannot be combined with clock_offset");
      }
    }
  }

  /** In-order points from {@code start} relative to now, one per series per interval. */
  public static TimeSpec inOrder(Duration startFromNow, Duration interval) {
    return new TimeSpec(null, startFromNow, interval, null, Duration.ZERO, 0, Duration.ZERO, 0, Duration.ZERO, 0,
        Duration.ZERO, Duration.ZERO, OneTimestamp.NONE);
  }

  private static Duration positive(String field, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new DatasetSpecException(field + " must be a positive duration (e.g. 10s)");
    }
    return d;
  }

  private static Duration nonNegative(String field, Duration d) {
    if (d == null) {
      return Duration.ZERO;
    }
    if (d.isNegative()) {
      throw new DatasetSpecException(field + " must not be negative (got " + d + ")");
    }
    return d;
  }

  private static void ratio(String field, double r) {
    if (!(r >= 0 && r <= 1)) {
      throw new DatasetSpecException(field + " must be in [0, 1] (got " + r + ")");
    }
  }
}
