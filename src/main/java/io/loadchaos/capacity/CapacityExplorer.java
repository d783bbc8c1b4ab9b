package io.loadchaos.capacity;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Runs the knee search against whatever writers follow the {@link Pacer} (Gatling users in
 * CapacitySimulation): sets each step's rate, drops the warm-up, measures the rest from the run's
 * history, judges it and asks the search what next. Prints one line per step and the bracket as
 * it narrows. Stops the pacer at the end, which ends the writers.
 */
public final class CapacityExplorer {
  private final CapacitySearch search;
  private final StepMeter.Criteria criteria;
  private final Duration warmup;
  private final Duration measure;
  private final int batchSize;
  private final History history;
  private final Pacer pacer;
  private final NodeCpu nodeCpu;
  private final Consumer<String> log;

  /** {@code settings.stepDuration()} is warm-up + measured window. */
  public CapacityExplorer(CapacitySearch.Settings settings, StepMeter.Criteria criteria, Duration warmup, int batchSize,
      History history, Pacer pacer, NodeCpu nodeCpu, Consumer<String> log) {
    if (warmup.isNegative() || settings.stepDuration().minus(warmup).toMillis() < 1000) {
      throw new IllegalArgumentException("capacity: a step of " + settings.stepDuration().toMillis() + " ms with a warm-up of "
          + warmup.toMillis() + " ms leaves less than 1 s to measure");
    }
    this.search = new CapacitySearch(settings);
    this.criteria = criteria;
    this.warmup = warmup;
    this.measure = settings.stepDuration().minus(warmup);
    this.batchSize = batchSize;
    this.history = history;
    this.pacer = pacer;
    this.nodeCpu = nodeCpu;
    this.log = log;
  }

  /** Runs the whole search (blocking); the pacer is stopped when this returns or throws. */
  public CapacityReport run() throws InterruptedException {
    long t0 = System.nanoTime();
    List<CapacityReport.Step> steps = new ArrayList<>();
    try {
      CapacitySearch.Decision d = search.first();
      while (d instanceof CapacitySearch.Step step) {
        CapacityReport.Step row = runStep(steps.size(), step);
        steps.add(row);
        log.accept(row.progressLine());
        drain();
        long total = okPointsSoFar();
        d = search.next(new CapacitySearch.Outcome(step.rate(), CapacitySearch.StepVerdict.valueOf(row.verdict()), row.why(),
            total - counted), Duration.ofNanos(System.nanoTime() - t0));
        counted = total;
        String bracket = CapacityReport.bracketLine(search.good(), search.bad());
        if (bracket != null && row.verdict().matches("MET|MISSED")) log.accept(bracket);
      }
      CapacitySearch.Result result = ((CapacitySearch.Done) d).result();
      log.accept("[capacity] " + result.summary() + " after " + steps.size() + " steps in "
          + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s");
      return new CapacityReport(search.settings(), criteria, batchSize, pacer.writers(), steps, result);
    } finally {
      pacer.stop();
    }
  }

  /** Points acknowledged before the last step (for the point budget). */
  private long counted;

  private long okPointsSoFar() {
    long n = 0;
    for (History.Op op : history.ops()) {
      if (op.kind() == OpKind.WRITE && op.latencyMicros() >= 0 && op.outcome() == Outcome.OK) n += op.points();
    }
    return n;
  }

  private CapacityReport.Step runStep(int level, CapacitySearch.Step step) throws InterruptedException {
    pacer.rate(step.rate() / batchSize);
    Thread.sleep(warmup.toMillis());
    long from = history.nowMicros();
    pacer.take();
    long wall0 = System.nanoTime();
    double cpu0 = InjectorCpu.secondsSoFar();
    OptionalDouble node0 = nodeCpu.cpuSecondsSoFar();
    Thread.sleep(measure.toMillis());
    long to = history.nowMicros();
    Pacer.Counters c = pacer.take();
    double cpu1 = InjectorCpu.secondsSoFar();
    OptionalDouble node1 = nodeCpu.cpuSecondsSoFar();
    double wall = (System.nanoTime() - wall0) / 1e9;
    // the window's writes still in flight finish at this step's rate (bounded by the p99 SLO)
    awaitWindow(from, to, System.nanoTime() + (long) (criteria.maxP99Ms() * 1e6) + 1_000_000_000L);
    List<History.Op> ops = history.ops();
    long now = history.nowMicros();
    StepMeter.Measurement m = StepMeter.measure(ops, from, to, now);
    double cores = (cpu1 - cpu0) / wall;
    double share = cores / InjectorCpu.cores();
    StepMeter.Judgement j = StepMeter.judge(step.rate(), batchSize, m, c, share, criteria);
    double okPoints = m.okPointsPerSecond() * m.windowSeconds();
    Double nodePerPoint = node0.isPresent() && node1.isPresent() && okPoints > 0
        ? (node1.getAsDouble() - node0.getAsDouble()) / okPoints : null;
    return new CapacityReport.Step(level, step.rate(), (from + 999_999) / 1_000_000, to / 1_000_000, m.ops(), m.ok(),
        m.okPointsPerSecond(), m.availability(), m.errorRate(), m.p99Ms(), j.verdict() == CapacitySearch.StepVerdict.MET,
        j.why(), step.phase(), j.verdict().name(), m.firstHalfOkPointsPerSecond(), m.secondHalfOkPointsPerSecond(),
        m.inFlight(), c.slots(), c.lateAllBusy(), c.lateInjector(), c.dropped(), c.wokeLate(), c.maxBusy(), cores, share,
        nodePerPoint);
  }

  /**
   * No starts until every write in flight has finished (at most {@link #DRAIN_MAX}): a step past the
   * knee leaves the cluster a queue that would otherwise count against the next, lower step.
   */
  private void drain() throws InterruptedException {
    pacer.idle();
    long t0 = System.nanoTime();
    long deadline = t0 + DRAIN_MAX.toNanos();
    long pending = inFlight();
    long first = pending;
    while (pending > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      pending = inFlight();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (first > 0 && ms >= 500) {
      log.accept("[capacity] drained " + first + " writes in flight in " + ms + " ms" + (pending > 0 ? ", " + pending + " still in flight" : ""));
    }
  }

  static final Duration DRAIN_MAX = Duration.ofSeconds(30);

  private long inFlight() {
    long n = 0;
    for (History.Op op : history.ops()) {
      if (op.kind() == OpKind.WRITE && op.latencyMicros() < 0) n++;
    }
    return n;
  }

  private void awaitWindow(long fromMicros, long toMicros, long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      boolean pending = false;
      for (History.Op op : history.ops()) {
        if (op.kind() == OpKind.WRITE && op.latencyMicros() < 0 && op.startMicros() >= fromMicros && op.startMicros() < toMicros) {
          pending = true;
          break;
        }
      }
      if (!pending) return;
      Thread.sleep(50);
    }
  }
}
