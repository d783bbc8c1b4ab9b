package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.PopulationBuilder;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.Run;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.report.CapacityAnalysis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Capacity exploration: writes ramp in steps (open model, one batch per user) from
 * {@code capacity.start} batches/s, adding {@code capacity.step} per level for
 * {@code capacity.levels} levels of {@code capacity.levelDuration}. Each step is held against the
 * availability and p99 SLOs ({@code slo.availability}, {@code slo.p99}); the knee, the highest
 * step that met them, is the 'capacity knee' verdict and goes to results.json and report.html.
 * Read-back and replica checks still judge the run; steps beyond the knee do not fail it.
 * {@code -Dloadchaos.faults=<file>} runs the ramp under a fault timeline ("capacity with one node down").
 */
public class CapacitySimulation extends LoadChaosSimulation {
  private final AtomicLong loadStartMicros;

  public CapacitySimulation() {
    this(new AtomicLong(-1));
  }

  private CapacitySimulation(AtomicLong loadStart) {
    super(RunSpec.of("Capacity").knob(Knobs.QUERY_USERS.name(), 0).knob(Knobs.FLIGHT.name(), false)
        .check(run -> List.of(knee(run, loadStart.get()))), FaultTimeline.none());
    this.loadStartMicros = loadStart;
    PopulationBuilder ramp = scenario("capacity writes").exec(write()).injectOpen(
        incrementUsersPerSec(cfg.get(Knobs.CAPACITY_STEP))
            .times(cfg.get(Knobs.CAPACITY_LEVELS))
            .eachLevelLasting(cfg.get(Knobs.CAPACITY_LEVEL_DURATION))
            .startingFrom(cfg.get(Knobs.CAPACITY_START)));
    List<PopulationBuilder> load = new java.util.ArrayList<>();
    load.add(ramp.andThen(verdicts()));
    if (cfg.get(Knobs.QUERY_USERS) > 0) load.add(queries());
    setUp(load).protocols(protocol()).assertions(
        details("verdicts").failedRequests().count().is(0L),
        details("verdicts").allRequests().count().gt(0L));
  }

  /** The ramp's length: query users and Flight queries (when switched on) run as long. */
  @Override
  protected Duration duration() {
    return cfg.get(Knobs.CAPACITY_LEVEL_DURATION).multipliedBy(cfg.get(Knobs.CAPACITY_LEVELS));
  }

  @Override
  public void before() {
    // Gatling starts injecting right after before()
    loadStartMicros.set(run.history().nowMicros());
    super.before();
  }

  /** Evaluates the steps on the run's per-second writes and attaches the analysis to results.json. */
  static Verdict knee(Run run, long loadStartMicros) {
    RunConfig c = run.config();
    List<PhaseAnalysis.Second> writes = new PhaseAnalysis(run.history().ops(), run.history().faults(),
        c.get(Knobs.SLO_AVAILABILITY)).perSecond(OpKind.WRITE);
    // Gatling starts injecting a moment after before() (protocol warm-up): the first write marks
    // the ramp's start better; before()'s clock is the fallback for a run without writes
    long start = run.history().ops().stream().filter(op -> op.kind() == OpKind.WRITE)
        .mapToLong(History.Op::startMicros).min().orElse(Math.max(0, loadStartMicros));
    CapacityAnalysis.Schedule schedule = new CapacityAnalysis.Schedule(c.get(Knobs.CAPACITY_START),
        c.get(Knobs.CAPACITY_STEP), c.get(Knobs.CAPACITY_LEVELS), c.get(Knobs.CAPACITY_LEVEL_DURATION),
        c.get(Knobs.BATCH_SIZE), start);
    CapacityAnalysis.Criteria criteria = new CapacityAnalysis.Criteria(c.get(Knobs.SLO_AVAILABILITY),
        c.get(Knobs.SLO_P99).toMillis());
    CapacityAnalysis.Result result = CapacityAnalysis.evaluate(schedule, writes, criteria);
    run.capacity(result.toMap());
    return result.verdict();
  }
}
