package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.capacity.CapacityExplorer;
import io.loadchaos.capacity.CapacityReport;
import io.loadchaos.capacity.CapacitySearch;
import io.loadchaos.capacity.NodeCpu;
import io.loadchaos.capacity.Pacer;
import io.loadchaos.capacity.StepMeter;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.gatling.Faults;
import io.loadchaos.gatling.LoadChaos;
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
public class CapacitySimulation extends Simulation {
  private final CompletableFuture<CapacityReport> report = new CompletableFuture<>();

  // 5,000-point batches as `bench cluster-write`; a p99 SLO that a knee can be judged by
  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("Capacity").knob(Knobs.QUERY_USERS, 0).knob(Knobs.FLIGHT, false)
          .knob(Knobs.BATCH_SIZE, 5000).knob(Knobs.SLO_P99, Duration.ofSeconds(1)).withoutQueryCheck()
          .check(run -> List.of(knee(run, report))),
      Faults.none());
  private final RunConfig cfg = lc.config();
  private final Pacer pacer = Pacer.standard(writers(cfg));
  // node CPU per point from the run's cost sampler (null per step where no node's usage is visible)
  private final NodeCpu nodeCpu = lc.run().cost()::cpuSecondsSoFar;
  private final CapacityExplorer explorer = new CapacityExplorer(settings(cfg), criteria(cfg), cfg.get(Knobs.CAPACITY_WARMUP),
      cfg.get(Knobs.BATCH_SIZE), lc.run().history(), pacer, nodeCpu, System.out::println);

  // a free writer asks the pacer: wait for its slot and write, ask again later, or stop
  private final ChainBuilder paced = exec(s -> {
    Pacer.Claim c = pacer.claim();
    return s.set("go", c.go()).set("slot", c.slotNanos()).set("late", c.late()).set("delay", c.delayNanos());
  }).pause(s -> Duration.ofNanos(s.getLong("delay")))
      .doIf(s -> s.getBoolean("go")).then(
          exec(s -> {
            pacer.started(s.getLong("slot"), s.getBoolean("late"));
            return s;
          }).exec(lc.writeBatch()).exec(s -> {
            pacer.done();
            return s;
          }));
  // the writers start the load's clock, and with it the search
  private final ScenarioBuilder writes = scenario("capacity writers").exec(lc.loadStart())
      .asLongAs(s -> !pacer.stopped()).on(paced);
  // query users and Flight queries (when switched on) run as long as the search may
  private final ScenarioBuilder queries = scenario("queries")
      .during(lc.duration(cfg.get(Knobs.CAPACITY_TIME_BUDGET).plusSeconds(30)).duration(), "n", false)
      .on(exec(lc.query()).pause(lc.knob(Knobs.QUERY_PAUSE)));

  {
    System.out.println("[capacity] search from " + CapacitySearch.rate(cfg.get(Knobs.CAPACITY_START_RATE))
        + " points/s, x" + cfg.get(Knobs.CAPACITY_GROWTH) + ", precision " + cfg.get(Knobs.CAPACITY_PRECISION) + ", "
        + pacer.writers() + " writers, batches of " + cfg.get(Knobs.BATCH_SIZE) + ", steps of "
        + cfg.get(Knobs.CAPACITY_STEP_DURATION).toMillis() + " ms (" + cfg.get(Knobs.CAPACITY_WARMUP).toMillis() + " ms warm-up)");
    // the search drives the pacer from its own thread, from the moment the load's clock starts
    lc.onLoadStart(() -> {
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
    });
    List<PopulationBuilder> load = new ArrayList<>();
    load.add(writes.injectOpen(atOnceUsers(pacer.writers())).andThen(lc.verdicts()));
    if (cfg.get(Knobs.QUERY_USERS) > 0) load.add(queries.injectOpen(atOnceUsers(lc.queryUsers())));
    setUp(load).protocols(lc.http()).assertions(lc.assertions());
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
