package io.loadchaos.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.loadchaos.gate.GateResult.Status;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bootstrap intervals and the decision rule on synthetic samples (no runs). */
class GateStatisticsTest {

  private static double[] normal(Random r, int n, double mean, double sd) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = Math.max(0.001, mean + sd * r.nextGaussian());
    return v;
  }

  private static double[] times(double[] v, double f) {
    double[] out = v.clone();
    for (int i = 0; i < out.length; i++) out[i] *= f;
    return out;
  }

  private static Decision.Judgement unpaired(double[] base, double[] cand, boolean higherIsBetter) {
    Bootstrap.Interval iv = Bootstrap.ratioOfMedians(base, cand, 0.95, Bootstrap.RESAMPLES, Bootstrap.SEED);
    return Decision.judge(higherIsBetter, iv, 0.05, Decision.unpaired(base.length, cand.length), "runs of each");
  }

  @Test
  void aThirtyPercentSlowdownOfFiveRunsAgainstFiveIsRegressedWithItsInterval() {
    Random r = new Random(1);
    double[] base = normal(r, 5, 100, 5);
    double[] cand = times(normal(r, 5, 100, 5), 1.3);
    Bootstrap.Interval iv = Bootstrap.ratioOfMedians(base, cand, 0.95, Bootstrap.RESAMPLES, Bootstrap.SEED);
    assertThat(iv.estimate()).isBetween(1.2, 1.4);
    assertThat(iv.lo()).isGreaterThan(1.05).isLessThan(iv.estimate());
    assertThat(iv.hi()).isGreaterThan(iv.estimate());
    assertThat(unpaired(base, cand, false).status()).isEqualTo(Status.REGRESSED);
    // the same numbers for a higher-is-better metric are an improvement
    assertThat(unpaired(base, cand, true).status()).isEqualTo(Status.IMPROVED);
    // a single candidate run borrows the baseline's spread and is still flagged
    assertThat(unpaired(base, new double[] {cand[0]}, false).status()).isEqualTo(Status.REGRESSED);
  }

  @Test
  void theSameDistributionIsOkAndNeverRegressed() {
    Random r = new Random(2);
    double[] base = normal(r, 10, 100, 2);
    double[] cand = normal(r, 5, 100, 2);
    Decision.Judgement j = unpaired(base, cand, false);
    assertThat(j.status()).as(j.reason()).isEqualTo(Status.OK);
    // with 5% noise on 5 runs, the same distribution is not decidable against a 5% effect, but never a regression
    for (int seed = 0; seed < 20; seed++) {
      Random q = new Random(100 + seed);
      Decision.Judgement k = unpaired(normal(q, 5, 100, 5), normal(q, 5, 100, 5), false);
      assertThat(k.status()).as("seed " + seed + ": " + k.reason()).isIn(Status.OK, Status.UNKNOWN);
    }
  }

  @Test
  void aBaselineWithFiftyPercentSpreadIsUnknownAndSaysHowManyRunsWouldDecide() {
    Random r = new Random(3);
    double[] base = normal(r, 5, 100, 50);
    double[] cand = times(normal(r, 5, 100, 50), 1.1);
    Decision.Judgement j = unpaired(base, cand, false);
    assertThat(j.status()).isEqualTo(Status.UNKNOWN);
    assertThat(j.runsNeeded()).isGreaterThan(50);
    assertThat(j.reason()).contains("interval straddles +5.0%").contains("about " + j.runsNeeded() + " runs of each needed");
  }

  @Test
  void theRunsNeededFollowTheStatedFormula() {
    // 2 h^2 / ((e/2)^2 (1/nb + 1/nc)) = 2 * 0.01 / (0.000625 * 0.4) = 80
    assertThat(Decision.unpaired(5, 5).estimate(0.10, 0.05)).isEqualTo(80);
    // n (h / (e/2))^2 = 5 * 16 = 80
    assertThat(Decision.paired(5).estimate(0.10, 0.05)).isEqualTo(80);
    assertThat(Decision.paired(5).estimate(Double.POSITIVE_INFINITY, 0.05)).isZero();
  }

  @Test
  void intervalsAreReproducible() {
    Random r = new Random(4);
    double[] base = normal(r, 7, 50, 10);
    double[] cand = normal(r, 4, 55, 10);
    assertThat(Bootstrap.ratioOfMedians(base, cand, 0.95, 10_000, Bootstrap.SEED))
        .isEqualTo(Bootstrap.ratioOfMedians(base, cand, 0.95, 10_000, Bootstrap.SEED));
  }

  @Test
  void anIntervalInsideTheEffectIsOkAndOneStraddlingTheGoodThresholdIsStillOk() {
    Decision.RunsNeeded n = Decision.paired(5);
    assertThat(Decision.judge(false, new Bootstrap.Interval(1.0, 0.97, 1.04, 0.95), 0.05, n, "pairs").status()).isEqualTo(Status.OK);
    // no regression of 5% is plausible: ok, even though an improvement is not shown either
    assertThat(Decision.judge(false, new Bootstrap.Interval(0.95, 0.90, 1.03, 0.95), 0.05, n, "pairs").status()).isEqualTo(Status.OK);
    assertThat(Decision.judge(false, new Bootstrap.Interval(1.05, 1.02, 1.08, 0.95), 0.05, n, "pairs").status()).isEqualTo(Status.UNKNOWN);
    assertThat(Decision.judge(true, new Bootstrap.Interval(0.96, 0.93, 0.99, 0.95), 0.05, n, "pairs").status()).isEqualTo(Status.UNKNOWN);
    assertThat(Decision.judge(true, new Bootstrap.Interval(0.8, 0.75, 0.85, 0.95), 0.05, n, "pairs").status()).isEqualTo(Status.REGRESSED);
    assertThat(Decision.judge(false, new Bootstrap.Interval(0.8, 0.75, 0.85, 0.95), 0.05, n, "pairs").status()).isEqualTo(Status.IMPROVED);
  }

  @Test
  void pairingCancelsTheMachinesDriftThatHidesTheEffectFromIndependentSamples() {
    Random r = new Random(5);
    int n = 6;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] ratios = new double[n];
    double[] inverse = new double[n];
    for (int i = 0; i < n; i++) {
      double drift = 0.6 + 0.8 * r.nextDouble(); // the machine's load moves both runs of a pair
      a[i] = 100 * drift * (1 + 0.01 * r.nextGaussian());
      b[i] = 110 * drift * (1 + 0.01 * r.nextGaussian());
      ratios[i] = b[i] / a[i];
      inverse[i] = a[i] / b[i];
    }
    Bootstrap.Interval paired = Bootstrap.medianOf(ratios, 0.95, Bootstrap.RESAMPLES, Bootstrap.SEED);
    assertThat(paired.estimate()).isCloseTo(1.1, within(0.03));
    assertThat(Decision.judge(false, paired, 0.05, Decision.paired(n), "pairs").status()).isEqualTo(Status.REGRESSED);
    assertThat(unpaired(a, b, false).status()).isEqualTo(Status.UNKNOWN);
    // swapping A and B reports an improvement
    Bootstrap.Interval swapped = Bootstrap.medianOf(inverse, 0.95, Bootstrap.RESAMPLES, Bootstrap.SEED);
    assertThat(Decision.judge(false, swapped, 0.05, Decision.paired(n), "pairs").status()).isEqualTo(Status.IMPROVED);
  }

  @Test
  void mediansAndQuantiles() {
    assertThat(Bootstrap.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Bootstrap.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    assertThat(Bootstrap.median(new double[] {1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY})).isInfinite();
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4, 5}, 0.25)).isEqualTo(2);
    assertThat(Bootstrap.quantile(new double[] {1, 2}, 0.5)).isEqualTo(1.5);
  }
}
