package io.loadchaos.capacity;

import java.time.Duration;
import java.util.Locale;

/**
 * The knee search as a pure state machine: given how each step went, the next offered rate or the
 * end. Grows the rate geometrically from {@code startRate} until a step misses, then bisects
 * (geometric midpoint) between the highest rate that met and the lowest that missed until the
 * bracket is within {@code precision}. No clock, no I/O: the caller runs the steps.
 */
public final class CapacitySearch {

  /**
   * Rates in points/s. {@code maxReruns}: how often an unsteady step is run again before it counts
   * as missed. {@code maxPoints}: no step starts whose points (rate x step duration) added to those
   * acknowledged so far would exceed it (the reference nodes keep every point in memory).
   */
  public record Settings(double startRate, double growth, double precision, double maxRate, int maxSteps,
      Duration timeBudget, Duration stepDuration, int maxReruns, long maxPoints) {
    public Settings {
      if (!(startRate > 0)) throw new IllegalArgumentException("capacity search: startRate must be > 0, got " + startRate);
      if (!(growth > 1)) throw new IllegalArgumentException("capacity search: growth must be > 1, got " + growth);
      if (!(precision > 0)) throw new IllegalArgumentException("capacity search: precision must be > 0, got " + precision);
      if (maxRate < startRate) {
        throw new IllegalArgumentException("capacity search: maxRate " + maxRate + " is below startRate " + startRate);
      }
      if (maxSteps < 1) throw new IllegalArgumentException("capacity search: maxSteps must be >= 1, got " + maxSteps);
      if (maxReruns < 0) throw new IllegalArgumentException("capacity search: maxReruns must be >= 0, got " + maxReruns);
      if (maxPoints < 1) throw new IllegalArgumentException("capacity search: maxPoints must be >= 1, got " + maxPoints);
    }

    /** Without a point budget. */
    public Settings(double startRate, double growth, double precision, double maxRate, int maxSteps, Duration timeBudget,
        Duration stepDuration, int maxReruns) {
      this(startRate, growth, precision, maxRate, maxSteps, timeBudget, stepDuration, maxReruns, Long.MAX_VALUE);
    }
  }

  /** How one step went, as judged by {@link StepJudge}. */
  public enum StepVerdict { MET, MISSED, INJECTOR_BOUND, UNSTEADY }

  /** {@code okPoints}: points acknowledged during the whole step (for the point budget). */
  public record Outcome(double offered, StepVerdict verdict, String why, long okPoints) {
    public Outcome(double offered, StepVerdict verdict, String why) {
      this(offered, verdict, why, 0);
    }
  }

  /** Why the search ended. Only {@code KNEE} is a knee; the others are bounds or failures with a reason. */
  public enum End { KNEE, NOT_REACHED, INJECTOR_BOUND, BELOW_FIRST_STEP, IMPRECISE }

  /**
   * {@code good}: highest offered rate that met the SLOs (null: none); {@code bad}: lowest that
   * missed (null: none).
   */
  public record Result(End end, Double good, Double bad, int steps, String reason) {
    /** (bad - good) / good, or null without both bounds. */
    public Double precision() {
      return good == null || bad == null ? null : (bad - good) / good;
    }

    /** The knee in offered points/s, only when the search bracketed it within its precision. */
    public Double knee() {
      return end == End.KNEE ? good : null;
    }

    public String summary() {
      return switch (end) {
        case KNEE -> "knee " + rate(good) + " points/s, bracket [" + rate(good) + ", " + rate(bad) + "] (" + pct(precision()) + ")";
        case NOT_REACHED -> "knee not reached: >= " + rate(good) + " points/s (" + reason + ")";
        case INJECTOR_BOUND -> "injector-bound at " + rate(badOrGood()) + " points/s (" + reason + ")"
            + (good == null ? "" : "; the cluster met the SLOs up to " + rate(good) + " points/s");
        case BELOW_FIRST_STEP -> "knee below the first step: " + rate(bad) + " points/s missed the SLOs (" + reason + ")";
        case IMPRECISE -> "knee in [" + rate(good) + ", " + rate(bad) + "] points/s (" + pct(precision())
            + "), not within the precision: " + reason;
      };
    }

    private Double badOrGood() {
      return bad != null ? bad : good;
    }
  }

  /** The next thing to do: run a step at {@code rate} points/s, or stop with a result. */
  public sealed interface Decision permits Step, Done {}

  /** {@code phase}: grow, bisect or rerun (an unsteady step run again). */
  public record Step(double rate, String phase) implements Decision {}

  public record Done(Result result) implements Decision {}

  private final Settings settings;
  private Double good;
  private Double bad;
  private int steps;
  private int reruns;
  private long points;
  private Decision last;

  public CapacitySearch(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** Highest offered rate that met so far (null: none). */
  public Double good() {
    return good;
  }

  /** Lowest offered rate that missed so far (null: none). */
  public Double bad() {
    return bad;
  }

  /** The first step: the start rate. */
  public Decision first() {
    if (last != null) throw new IllegalStateException("the search has already started");
    last = new Step(settings.startRate(), "grow");
    return last;
  }

  /**
   * Takes the outcome of the step just run ({@code elapsed}: time since the search started,
   * that step included) and decides what comes next.
   */
  public Decision next(Outcome o, Duration elapsed) {
    if (!(last instanceof Step step)) throw new IllegalStateException("no step is running: " + last);
    if (o.offered() != step.rate()) {
      throw new IllegalArgumentException("outcome of " + o.offered() + " points/s, but the step ran " + step.rate());
    }
    steps++;
    points += o.okPoints();
    StepVerdict v = o.verdict();
    if (v == StepVerdict.UNSTEADY) {
      if (reruns < settings.maxReruns()) {
        reruns++;
        return last = budgetOr(new Step(step.rate(), "rerun"), elapsed);
      }
      v = StepVerdict.MISSED; // unsteady again: the cluster does not hold this rate
    }
    reruns = 0;
    switch (v) {
      case INJECTOR_BOUND -> {
        return last = new Done(new Result(End.INJECTOR_BOUND, good, o.offered(), steps, o.why()));
      }
      case MET -> good = good == null ? o.offered() : Math.max(good, o.offered());
      default -> bad = bad == null ? o.offered() : Math.min(bad, o.offered());
    }
    if (good == null) {
      return last = new Done(new Result(End.BELOW_FIRST_STEP, null, bad, steps, o.why()));
    }
    if (bad != null && good >= bad) {
      return last = new Done(new Result(End.IMPRECISE, good, bad, steps,
          "not monotone: " + rate(good) + " points/s met after " + rate(bad) + " points/s missed; rerun with longer steps"));
    }
    if (bad == null) {
      if (good >= settings.maxRate()) {
        return last = new Done(new Result(End.NOT_REACHED, good, null, steps, "max rate " + rate(settings.maxRate()) + " reached"));
      }
      return last = budgetOr(new Step(Math.min(good * settings.growth(), settings.maxRate()), "grow"), elapsed);
    }
    if ((bad - good) / good <= settings.precision()) {
      return last = new Done(new Result(End.KNEE, good, bad, steps, "bracket within " + pct(settings.precision())));
    }
    return last = budgetOr(new Step(Math.sqrt(good * bad), "bisect"), elapsed);
  }

  /** The step, unless the step or time budget would be exceeded by it. */
  private Decision budgetOr(Step next, Duration elapsed) {
    String why = null;
    if (steps >= settings.maxSteps()) why = "max steps " + settings.maxSteps() + " reached";
    else if (elapsed.plus(settings.stepDuration()).compareTo(settings.timeBudget()) > 0) {
      why = "time budget " + settings.timeBudget().toSeconds() + " s reached";
    } else if (points + next.rate() * settings.stepDuration().toMillis() / 1000.0 > settings.maxPoints()) {
      why = "point budget " + rate((double) settings.maxPoints()) + " reached (" + rate((double) points) + " written)";
    }
    if (why == null) return next;
    if (good == null) return new Done(new Result(End.BELOW_FIRST_STEP, null, bad, steps, why));
    return new Done(new Result(bad == null ? End.NOT_REACHED : End.IMPRECISE, good, bad, steps, why));
  }

  /** Rates for people: 160k, 1.25M, 950. */
  public static String rate(Double pointsPerSecond) {
    if (pointsPerSecond == null) return "?";
    double v = pointsPerSecond;
    if (v >= 1_000_000) return trim(String.format(Locale.ROOT, "%.2f", v / 1_000_000)) + "M";
    if (v >= 10_000) return Math.round(v / 1000) + "k";
    if (v >= 1000) return trim(String.format(Locale.ROOT, "%.1f", v / 1000)) + "k";
    return String.valueOf(Math.round(v));
  }

  private static String trim(String s) {
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  static String pct(Double share) {
    return share == null ? "?" : Math.round(share * 100) + "%";
  }
}
