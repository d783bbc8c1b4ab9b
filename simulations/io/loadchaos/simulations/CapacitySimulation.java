package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.loadchaos.capacity.CapacityExplorer;
import io.loadchaos.capacity.CapacityReport;
import io.loadchaos.capacity.CapacitySearch;
import io.loadchaos.capacity.NodeCpu;
import io.loadchaos.capacity.Pacer;
import io.loadchaos.capacity.StepMeter;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.Run;
import io.loadchaos.harness.RunSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Capacity exploration: finds the write knee by itself. A pool of writers (Gatling users in a
 * closed loop) starts batches on the schedule of a {@link Pacer}; the {@link CapacityExplorer}
 * sets the pacer's rate step by step, growing it geometrically from {@code capacity.startRate}
 * until a step misses the SLOs ({@code slo.availability}, {@code slo.p99}, the offered rate
 * acknowledged), then bisecting to {@code capacity.precision}. The 'capacity knee' verdict and
 * results.json's {@code capacity} hold the knee with its bracket and every step. Read-back and
 * replica checks still judge the run: losing acknowledged writes under overload is a bug.
 * {@code -Dloadchaos.faults=<file>} runs the search under a fault timeline.
 */
public class CapacitySimulation extends LoadChaosSimulation {
  private final CompletableFuture<CapacityReport> report;
  private final Pacer pacer;
  private final CapacityExplorer explorer;

  public CapacitySimulation() {
    this(new CompletableFuture<>());
  }

  private CapacitySimulation(CompletableFuture<CapacityReport> report) {
    // 5,000-point batches as `bench cluster-write`; a p99 SLO that a knee can be judged by
    super(RunSpec.of("Capacity").knob(Knobs.QUERY_USERS.name(), 0).knob(Knobs.FLIGHT.name(), false)
        .knob(Knobs.BATCH_SIZE.name(), 5000).knob(Knobs.SLO_P99.name(), "1s").withoutQueryCheck()
        .check(run -> List.of(knee(run, report))), FaultTimeline.none());
    this.report = report;
    int batch = cfg.get(Knobs.BATCH_SIZE);
    this.pacer = Pacer.standard(writers(cfg));
    // node CPU per point from the run's cost sampler (null per step where no node's usage is visible)
    NodeCpu nodeCpu = run.cost()::cpuSecondsSoFar;
    this.explorer = new CapacityExplorer(settings(cfg), criteria(cfg), cfg.get(Knobs.CAPACITY_WARMUP), batch,
        run.history(), pacer, nodeCpu, System.out::println);
    System.out.println("[capacity] search from " + CapacitySearch.rate(cfg.get(Knobs.CAPACITY_START_RATE))
        + " points/s, x" + cfg.get(Knobs.CAPACITY_GROWTH) + ", precision " + cfg.get(Knobs.CAPACITY_PRECISION) + ", "
        + pacer.writers() + " writers, batches of " + batch + ", steps of " + cfg.get(Knobs.CAPACITY_STEP_DURATION).toMillis()
        + " ms (" + cfg.get(Knobs.CAPACITY_WARMUP).toMillis() + " ms warm-up)");

    // a free writer asks the pacer: wait for its slot and write, ask again later, or stop
    ChainBuilder paced = exec(s -> {
      Pacer.Claim c = pacer.claim();
      return s.set("go", c.go()).set("slot", c.slotNanos()).set("late", c.late()).set("delay", c.delayNanos());
    }).pause(s -> Duration.ofNanos(s.getLong("delay")))
        .doIf(s -> s.getBoolean("go")).then(
            exec(s -> {
              pacer.started(s.getLong("slot"), s.getBoolean("late"));
              return s;
            }).exec(write()).exec(s -> {
              pacer.done();
              return s;
            }));
    PopulationBuilder writers = scenario("capacity writers").asLongAs(s -> !pacer.stopped()).on(paced)
        .injectOpen(atOnceUsers(pacer.writers()));
    List<PopulationBuilder> load = new ArrayList<>();
    load.add(writers.andThen(verdicts()));
    if (cfg.get(Knobs.QUERY_USERS) > 0) load.add(queries());
    setUp(load).protocols(protocol()).assertions(
        details("verdicts").failedRequests().count().is(0L),
        details("verdicts").allRequests().count().gt(0L));
  }

  static CapacitySearch.Settings settings(RunConfig c) {
    return new CapacitySearch.Settings(c.get(Knobs.CAPACITY_START_RATE), c.get(Knobs.CAPACITY_GROWTH),
        c.get(Knobs.CAPACITY_PRECISION), c.get(Knobs.CAPACITY_MAX_RATE), c.get(Knobs.CAPACITY_MAX_STEPS),
        c.get(Knobs.CAPACITY_TIME_BUDGET), c.get(Knobs.CAPACITY_STEP_DURATION), 1, c.get(Knobs.CAPACITY_MAX_POINTS));
  }

  static StepMeter.Criteria criteria(RunConfig c) {
    return new StepMeter.Criteria(c.get(Knobs.SLO_AVAILABILITY), c.get(Knobs.SLO_P99).toMillis(),
        c.get(Knobs.CAPACITY_MIN_ACHIEVED), c.get(Knobs.CAPACITY_STEADINESS), c.get(Knobs.CAPACITY_MAX_INJECTOR_LATE),
        c.get(Knobs.CAPACITY_MAX_INJECTOR_CPU));
  }

  /**
   * Writers enough for the max rate at the p99 SLO (Little's law: in flight = rate x latency), so
   * the pool runs out only when the cluster's latency is past the SLO anyway; 16..256.
   */
  static int writers(RunConfig c) {
    int set = c.get(Knobs.CAPACITY_WRITERS);
    if (set > 0) return set;
    double inFlight = c.get(Knobs.CAPACITY_MAX_RATE) / c.get(Knobs.BATCH_SIZE) * c.get(Knobs.SLO_P99).toMillis() / 1000.0;
    return (int) Math.max(16, Math.min(256, Math.ceil(inFlight)));
  }

  /** Query users and Flight queries (when switched on) run as long as the search may. */
  @Override
  protected Duration duration() {
    return cfg.get(Knobs.CAPACITY_TIME_BUDGET).plusSeconds(30);
  }

  @Override
  public void before() {
    super.before(); // the history's clock starts here; Gatling starts the writers right after
    Thread driver = new Thread(() -> {
      try {
        report.complete(explorer.run());
      } catch (Throwable t) {
        report.completeExceptionally(t);
      } finally {
        pacer.stop();
      }
    }, "capacity-search");
    driver.setDaemon(true);
    driver.start();
  }

  /** The search's verdict, its report attached to results.json. */
  static Verdict knee(Run run, CompletableFuture<CapacityReport> report) {
    try {
      // the search stops the pacer a moment before it hands over its report
      CapacityReport r = report.get(30, TimeUnit.SECONDS);
      run.capacity(r.toMap());
      return r.verdict();
    } catch (TimeoutException e) {
      return Verdict.unknown("capacity knee", "the search had not finished 30 s after the writers stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.unknown("capacity knee", "interrupted while waiting for the search");
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException || e.getCause() != null ? e.getCause() : e;
      return Verdict.unknown("capacity knee", "the search failed: " + cause);
    }
  }
}
