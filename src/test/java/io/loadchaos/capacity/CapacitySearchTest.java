package io.loadchaos.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.capacity.CapacitySearch.Decision;
import io.loadchaos.capacity.CapacitySearch.Done;
import io.loadchaos.capacity.CapacitySearch.End;
import io.loadchaos.capacity.CapacitySearch.Outcome;
import io.loadchaos.capacity.CapacitySearch.Step;
import io.loadchaos.capacity.CapacitySearch.StepVerdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class CapacitySearchTest {
  private static final Duration STEP = Duration.ofSeconds(8);

  private static CapacitySearch.Settings settings(double start, double max, int maxSteps, Duration budget) {
    return new CapacitySearch.Settings(start, 2, 0.10, max, maxSteps, budget, STEP, 1);
  }

  /** Runs the search against a cluster whose step outcome is {@code cluster(rate)}; returns the rates offered. */
  private static Done drive(CapacitySearch s, DoubleFunction<StepVerdict> cluster, List<Step> offered) {
    Decision d = s.first();
    int n = 0;
    while (d instanceof Step step) {
      offered.add(step);
      n++;
      d = s.next(new Outcome(step.rate(), cluster.apply(step.rate()), "why " + step.rate()), STEP.multipliedBy(n));
    }
    return (Done) d;
  }

  @Test
  void growsGeometricallyThenBisectsToTheStatedPrecision() {
    List<Step> steps = new ArrayList<>();
    Done done = drive(new CapacitySearch(settings(10_000, 2_000_000, 30, Duration.ofHours(1))),
        r -> r <= 230_000 ? StepVerdict.MET : StepVerdict.MISSED, steps);
    // 10k, 20k, 40k, 80k, 160k met; 320k missed; then geometric midpoints
    assertThat(steps.subList(0, 6)).extracting(Step::rate).containsExactly(10_000.0, 20_000.0, 40_000.0, 80_000.0,
        160_000.0, 320_000.0);
    assertThat(steps.subList(0, 6)).extracting(Step::phase).containsOnly("grow");
    assertThat(steps.get(6).rate()).isCloseTo(Math.sqrt(160_000.0 * 320_000), Offset.offset(1e-6));
    assertThat(steps.subList(6, steps.size())).extracting(Step::phase).containsOnly("bisect");
    CapacitySearch.Result r = done.result();
    assertThat(r.end()).isEqualTo(End.KNEE);
    assertThat(r.good()).isLessThanOrEqualTo(230_000).isGreaterThan(230_000 / 1.10);
    assertThat(r.bad()).isGreaterThan(230_000);
    assertThat(r.precision()).isLessThanOrEqualTo(0.10);
    assertThat(r.knee()).isEqualTo(r.good());
    // the upper bound is a step that was run and missed
    assertThat(steps).extracting(Step::rate).contains(r.bad(), r.good());
    assertThat(r.summary()).startsWith("knee ").contains("bracket [");
  }

  @Test
  void bracketStopsAsSoonAsItIsWithinPrecision() {
    List<Step> steps = new ArrayList<>();
    // precision 100%: the first miss after a met step ends it at [160k, 320k]
    CapacitySearch s = new CapacitySearch(new CapacitySearch.Settings(10_000, 2, 1.0, 1e9, 30, Duration.ofHours(1), STEP, 0));
    Done done = drive(s, r -> r < 200_000 ? StepVerdict.MET : StepVerdict.MISSED, steps);
    assertThat(done.result().end()).isEqualTo(End.KNEE);
    assertThat(done.result().good()).isEqualTo(160_000);
    assertThat(done.result().bad()).isEqualTo(320_000);
    assertThat(steps).hasSize(6);
  }

  @Test
  void aClusterThatMeetsEverythingUpToTheMaxRateIsNotAKnee() {
    List<Step> steps = new ArrayList<>();
    Done done = drive(new CapacitySearch(settings(10_000, 100_000, 30, Duration.ofHours(1))), r -> StepVerdict.MET, steps);
    assertThat(steps).extracting(Step::rate).containsExactly(10_000.0, 20_000.0, 40_000.0, 80_000.0, 100_000.0);
    assertThat(done.result().end()).isEqualTo(End.NOT_REACHED);
    assertThat(done.result().knee()).isNull();
    assertThat(done.result().good()).isEqualTo(100_000);
    assertThat(done.result().summary()).isEqualTo("knee not reached: >= 100k points/s (max rate 100k reached)");
  }

  @Test
  void maxStepsAndTimeBudgetEndTheGrowthAsALowerBound() {
    Done bySteps = drive(new CapacitySearch(settings(10_000, 1e9, 3, Duration.ofHours(1))), r -> StepVerdict.MET,
        new ArrayList<>());
    assertThat(bySteps.result().end()).isEqualTo(End.NOT_REACHED);
    assertThat(bySteps.result().good()).isEqualTo(40_000);
    assertThat(bySteps.result().reason()).isEqualTo("max steps 3 reached");

    // 4 steps of 8 s fit in 35 s; a fifth would end at 40 s
    List<Step> steps = new ArrayList<>();
    Done byTime = drive(new CapacitySearch(settings(10_000, 1e9, 100, Duration.ofSeconds(35))), r -> StepVerdict.MET, steps);
    assertThat(steps).hasSize(4);
    assertThat(byTime.result().end()).isEqualTo(End.NOT_REACHED);
    assertThat(byTime.result().reason()).isEqualTo("time budget 35 s reached");
    assertThat(byTime.result().summary()).startsWith("knee not reached: >= 80k points/s");
  }

  @Test
  void thePointBudgetStopsBeforeAStepThatWouldExceedIt() {
    // steps of 8 s: 10k -> 80k points, 20k -> 160k; each acknowledges what it offered
    CapacitySearch s = new CapacitySearch(new CapacitySearch.Settings(10_000, 2, 0.1, 1e9, 30, Duration.ofHours(1), STEP, 1,
        1_000_000));
    Decision d = s.first();
    int n = 0;
    List<Double> rates = new ArrayList<>();
    while (d instanceof Step step) {
      rates.add(step.rate());
      d = s.next(new Outcome(step.rate(), StepVerdict.MET, "", (long) (step.rate() * 8)), STEP.multipliedBy(++n));
    }
    // 80k + 160k + 320k = 560k written; 80k/s for 8 s (640k more) would pass 1M
    assertThat(rates).containsExactly(10_000.0, 20_000.0, 40_000.0);
    assertThat(((Done) d).result().end()).isEqualTo(End.NOT_REACHED);
    assertThat(((Done) d).result().reason()).isEqualTo("point budget 1M reached (560k written)");
  }

  @Test
  void aBudgetThatRunsOutDuringBisectionLeavesAnImpreciseBracketNotAKnee() {
    Done done = drive(new CapacitySearch(settings(10_000, 1e9, 7, Duration.ofHours(1))),
        r -> r <= 230_000 ? StepVerdict.MET : StepVerdict.MISSED, new ArrayList<>());
    assertThat(done.result().end()).isEqualTo(End.IMPRECISE);
    assertThat(done.result().knee()).isNull();
    assertThat(done.result().precision()).isGreaterThan(0.10);
    assertThat(done.result().summary()).contains("not within the precision: max steps 7 reached");
  }

  @Test
  void anInjectorBoundStepStopsTheSearchWithItsReason() {
    List<Step> steps = new ArrayList<>();
    Done done = drive(new CapacitySearch(settings(10_000, 1e9, 30, Duration.ofHours(1))),
        r -> r >= 80_000 ? StepVerdict.INJECTOR_BOUND : StepVerdict.MET, steps);
    assertThat(steps).hasSize(4);
    CapacitySearch.Result r = done.result();
    assertThat(r.end()).isEqualTo(End.INJECTOR_BOUND);
    assertThat(r.knee()).isNull();
    assertThat(r.good()).isEqualTo(40_000);
    assertThat(r.summary()).isEqualTo("injector-bound at 80k points/s (why 80000.0); the cluster met the SLOs up to 40k points/s");
  }

  @Test
  void anUnsteadyStepIsRunOnceMoreThenCountsAsMissed() {
    List<Step> steps = new ArrayList<>();
    int[] calls = {0};
    // 40k unsteady the first time, steady and met the second; 80k unsteady twice = missed
    Done done = drive(new CapacitySearch(new CapacitySearch.Settings(10_000, 2, 1.0, 1e9, 30, Duration.ofHours(1), STEP, 1)),
        r -> {
          if (r == 40_000) return calls[0]++ == 0 ? StepVerdict.UNSTEADY : StepVerdict.MET;
          return r >= 80_000 ? StepVerdict.UNSTEADY : StepVerdict.MET;
        }, steps);
    assertThat(steps).extracting(Step::rate).containsExactly(10_000.0, 20_000.0, 40_000.0, 40_000.0, 80_000.0, 80_000.0);
    assertThat(steps).extracting(Step::phase).containsExactly("grow", "grow", "grow", "rerun", "grow", "rerun");
    assertThat(done.result().end()).isEqualTo(End.KNEE);
    assertThat(done.result().good()).isEqualTo(40_000);
    assertThat(done.result().bad()).isEqualTo(80_000);
  }

  @Test
  void aFirstStepThatMissesMeansTheKneeIsBelowIt() {
    Done done = drive(new CapacitySearch(settings(10_000, 1e9, 30, Duration.ofHours(1))), r -> StepVerdict.MISSED,
        new ArrayList<>());
    assertThat(done.result().end()).isEqualTo(End.BELOW_FIRST_STEP);
    assertThat(done.result().knee()).isNull();
    assertThat(done.result().summary()).startsWith("knee below the first step: 10k points/s missed the SLOs");
  }

  @Test
  void outcomesMustBelongToTheStepThatRanAndSettingsAreChecked() {
    CapacitySearch s = new CapacitySearch(settings(10_000, 1e9, 30, Duration.ofHours(1)));
    assertThatThrownBy(() -> s.next(new Outcome(10_000, StepVerdict.MET, ""), STEP)).hasMessageContaining("no step is running");
    s.first();
    assertThatThrownBy(() -> s.next(new Outcome(20_000, StepVerdict.MET, ""), STEP))
        .hasMessageContaining("outcome of 20000.0 points/s, but the step ran 10000.0");
    assertThatThrownBy(() -> new CapacitySearch.Settings(10, 1, 0.1, 100, 5, Duration.ofMinutes(1), STEP, 1))
        .hasMessageContaining("growth must be > 1");
    assertThatThrownBy(() -> new CapacitySearch.Settings(1000, 2, 0.1, 100, 5, Duration.ofMinutes(1), STEP, 1))
        .hasMessageContaining("maxRate 100.0 is below startRate 1000.0");
  }

  @Test
  void ratesPrintShort() {
    assertThat(CapacitySearch.rate(160_400.0)).isEqualTo("160k");
    assertThat(CapacitySearch.rate(1_250_000.0)).isEqualTo("1.25M");
    assertThat(CapacitySearch.rate(2500.0)).isEqualTo("2.5k");
    assertThat(CapacitySearch.rate(950.0)).isEqualTo("950");
  }
}
