package io.loadchaos.datagen;

/**
 * Zipf sampling in O(1) memory by rejection-inversion (Hörmann and Derflinger, 1996): returns k in
 * [1, n] with probability proportional to 1/k^s. The uniforms come from the keyed hash, so a sample
 * is a pure function of its hash; StrictMath keeps it identical on every machine.
 */
final class ZipfSampler {
  private final long n;
  private final double s;
  private final double hIntegralX1;
  private final double hIntegralN;
  private final double squeeze;

  ZipfSampler(long n, double s) {
    this.n = n;
    this.s = s;
    this.hIntegralX1 = hIntegral(1.5) - 1.0;
    this.hIntegralN = hIntegral(n + 0.5);
    this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2));
  }

  /** A value in [1, n] for the given random word. */
  long sample(long word) {
    for (long attempt = 0; ; attempt++) {
      double u01 = Mix.unit(Mix.at(word, attempt));
      double u = hIntegralN + u01 * (hIntegralX1 - hIntegralN);
      double x = hIntegralInverse(u);
      long k = (long) (x + 0.5);
      if (k < 1) {
        k = 1;
      } else if (k > n) {
        k = n;
      }
      if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) {
        return k;
      }
    }
  }

  private double h(double x) {
    return StrictMath.exp(-s * StrictMath.log(x));
  }

  /** The integral of x^-s, shifted so that it is continuous in s at s = 1. */
  private double hIntegral(double x) {
    double logX = StrictMath.log(x);
    return expm1OverX((1.0 - s) * logX) * logX;
  }

  private double hIntegralInverse(double x) {
    double t = x * (1.0 - s);
    if (t < -1.0) {
      t = -1.0; // guards against rounding just below the domain
    }
    return StrictMath.exp(log1pOverX(t) * x);
  }

  private static double expm1OverX(double x) {
    return Math.abs(x) > 1e-8 ? StrictMath.expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x / 3.0);
  }

  private static double log1pOverX(double x) {
    return Math.abs(x) > 1e-8 ? StrictMath.log1p(x) / x : 1.0 - x * (0.5 - x / 3.0);
  }
}
