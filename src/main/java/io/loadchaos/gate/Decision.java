package io.loadchaos.gate;

import io.loadchaos.gate.GateResult.Status;
import java.util.Locale;

/**
 * The gate's rule for one metric, given the interval of the ratio candidate/baseline (or B/A) and
 * a minimum effect {@code e}: regressed when the whole interval is beyond {@code 1 +- e} in the bad
 * direction, improved when it is beyond in the good direction, ok when it excludes a regression of
 * {@code e} or more, unknown when it straddles the bad threshold.
 */
public final class Decision {
  private Decision() {}

  /** The status with the reason when it is UNKNOWN ("" otherwise) and the runs that would decide it (0 = not estimated). */
  public record Judgement(Status status, String reason, int runsNeeded) {}

  /** Decides; {@code runsNeeded} turns the observed half-width into the runs (or pairs) that would decide. */
  static Judgement judge(boolean higherIsBetter, Bootstrap.Interval iv, double effect, RunsNeeded runsNeeded, String unit) {
    double up = 1 + effect;
    double down = 1 - effect;
    Status s;
    if (higherIsBetter) {
      s = iv.hi() < down ? Status.REGRESSED : iv.lo() > up ? Status.IMPROVED : iv.lo() >= down ? Status.OK : Status.UNKNOWN;
    } else {
      s = iv.lo() > up ? Status.REGRESSED : iv.hi() < down ? Status.IMPROVED : iv.hi() <= up ? Status.OK : Status.UNKNOWN;
    }
    if (s != Status.UNKNOWN) return new Judgement(s, "", 0);
    String threshold = pct(higherIsBetter ? -effect : effect);
    int n = runsNeeded.estimate(iv.halfWidth(), effect);
    String more = n <= 0 ? "too wide to estimate the runs needed"
        : "about " + n + " " + unit + " needed (half-width " + pct(iv.halfWidth()).substring(1) + ", target " + pct(effect / 2).substring(1) + ")";
    return new Judgement(s, "interval straddles " + threshold + "; " + more, n);
  }

  /** How many runs (or pairs) would bring the interval's half-width down to e/2. */
  @FunctionalInterface
  interface RunsNeeded {
    int estimate(double halfWidth, double effect);
  }

  /**
   * Independent samples: the half-width scales with sqrt(1/nb + 1/nc), so n runs on each side give
   * half-width e/2 when n = 2 h^2 / ((e/2)^2 (1/nb + 1/nc)).
   */
  static RunsNeeded unpaired(int nb, int nc) {
    return (h, e) -> finite(2 * h * h / ((e / 2) * (e / 2) * (1.0 / nb + 1.0 / nc)));
  }

  /** Paired ratios: the half-width scales with 1/sqrt(n), so n' = n (h / (e/2))^2 pairs. */
  static RunsNeeded paired(int n) {
    return (h, e) -> finite(n * (h / (e / 2)) * (h / (e / 2)));
  }

  private static int finite(double n) {
    if (!Double.isFinite(n) || n > 1_000_000) return 0;
    return (int) Math.ceil(n);
  }

  static String pct(double fraction) {
    if (Double.isInfinite(fraction)) return fraction > 0 ? "+inf" : "-inf";
    return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
  }
}
