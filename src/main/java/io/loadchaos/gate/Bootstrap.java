package io.loadchaos.gate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap confidence intervals of ratios. The random generator has a fixed seed, so
 * the same samples always give the same interval (and the same verdict).
 */
public final class Bootstrap {
  private Bootstrap() {}

  public static final long SEED = 20261201L;
  public static final int RESAMPLES = 10_000;

  /** A ratio with its two-sided interval at {@code confidence}. */
  public record Interval(double estimate, double lo, double hi, double confidence) {
    public double halfWidth() {
      return (hi - lo) / 2;
    }
  }

  /**
   * The ratio median(candidate) / median(baseline). Both samples are resampled independently. A
   * candidate of fewer than 3 runs cannot show its own spread, so it borrows the baseline's: each
   * candidate draw is a candidate value times a baseline value over the baseline's median (one
   * run of the candidate is assumed to scatter like one run of the baseline).
   */
  public static Interval ratioOfMedians(double[] baseline, double[] candidate, double confidence, int resamples, long seed) {
    requireSample("baseline", baseline, 1);
    requireSample("candidate", candidate, 1);
    double baseMedian = median(baseline);
    boolean borrow = candidate.length < 3;
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] ratios = new double[resamples];
    double[] b = new double[baseline.length];
    double[] c = new double[candidate.length];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < b.length; i++) b[i] = baseline[rnd.nextInt(baseline.length)];
      for (int i = 0; i < c.length; i++) {
        double v = candidate[rnd.nextInt(candidate.length)];
        c[i] = borrow ? v * baseline[rnd.nextInt(baseline.length)] / baseMedian : v;
      }
      ratios[r] = ratio(median(c), median(b));
    }
    return interval(ratio(median(candidate), baseMedian), ratios, confidence);
  }

  /** The median of paired ratios (B/A per pair), pairs resampled together. */
  public static Interval medianOf(double[] ratios, double confidence, int resamples, long seed) {
    requireSample("ratios", ratios, 1);
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] meds = new double[resamples];
    double[] s = new double[ratios.length];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < s.length; i++) s[i] = ratios[rnd.nextInt(ratios.length)];
      meds[r] = median(s);
    }
    return interval(median(ratios), meds, confidence);
  }

  private static Interval interval(double estimate, double[] resampled, double confidence) {
    if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    Arrays.sort(resampled);
    double alpha = 1 - confidence;
    return new Interval(estimate, quantile(resampled, alpha / 2), quantile(resampled, 1 - alpha / 2), confidence);
  }

  /** a / b where b > 0; +infinity stands for "never" (a fault that did not recover) and stays infinite. */
  static double ratio(double a, double b) {
    if (a == b) return 1; // also never / never
    return a / b;
  }

  /** The median; sorts a copy. */
  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    if (n % 2 == 1) return s[n / 2];
    double lo = s[n / 2 - 1];
    double hi = s[n / 2];
    return lo == hi ? lo : lo / 2 + hi / 2;
  }

  /** Quantile of a sorted array, linear between order statistics (type 7, as R's default). */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(i + 1, sorted.length - 1);
    double f = pos - i;
    if (f == 0 || sorted[i] == sorted[j]) return sorted[i];
    return sorted[i] + f * (sorted[j] - sorted[i]);
  }

  private static void requireSample(String what, double[] v, int min) {
    if (v == null || v.length < min) throw new IllegalArgumentException(what + " needs at least " + min + " value(s)");
    for (double x : v) {
      if (Double.isNaN(x) || x < 0) throw new IllegalArgumentException(what + " values must be >= 0, got " + x);
    }
  }
}
