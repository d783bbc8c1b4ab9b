package io.loadchaos.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History.Op;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CostSamplerTest {

  private static List<Op> okWrites(int seconds, int pointsPerSecond) {
    List<Op> ops = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      ops.add(new Op(OpKind.WRITE, s, 0, s * 1_000_000L + 100_000, 50_000, Outcome.OK, 204, pointsPerSecond));
    }
    return ops;
  }

  /** A real child (a shell whose own child spins) burns CPU: /proc shows it grow, in the descendant. */
  @Test
  void procSeesTheCpuAndMemoryOfARealProcessAndItsChildren() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & wait").start();
    try {
      AtomicLong clock = new AtomicLong();
      CostSampler sampler = new CostSampler(List.of(new ProcSource(id -> List.of(p.pid()))), () -> List.of("1"), clock::get,
          Duration.ofSeconds(1));
      sampler.sample();
      // wait for CPU to be used (bounded), not for a wall-clock amount of it
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      double used = 0;
      while (used == 0 && System.nanoTime() < deadline) {
        Thread.sleep(300);
        clock.addAndGet(1_000_000);
        sampler.sample();
        used = sampler.ticks().stream().mapToDouble(CostSampler.Tick::cpuSeconds).sum();
      }
      assertThat(used).as("CPU seconds of the spinning grandchild").isGreaterThan(0);
      assertThat(sampler.ticks().get(0).cpuSeconds()).as("the first sample is the baseline").isZero();
      assertThat(sampler.peakRssMiB().get("1")).isGreaterThan(0);
      assertThat(sampler.sourceNames()).isEqualTo("/proc");
      Map<String, Object> cost = CostReport.of(sampler, new PhaseAnalysis(okWrites(2, 1000), List.of(), 0.99), okWrites(2, 1000));
      assertThat(cost).containsEntry("source", "/proc").containsEntry("nodes", 1).doesNotContainKey("absent");
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void aPidThatExitedGivesAnAbsentCostWithTheReason() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    AtomicLong clock = new AtomicLong();
    CostSampler sampler = new CostSampler(List.of(new ProcSource(id -> List.of(p.pid()))), () -> List.of("1"), clock::get,
        Duration.ofSeconds(1));
    sampler.sample();
    clock.set(1_500_000);
    sampler.sample();
    Map<String, Object> cost = CostReport.of(sampler, new PhaseAnalysis(okWrites(2, 1000), List.of(), 0.99), okWrites(2, 1000));
    assertThat(cost.get("source")).isNull();
    assertThat((String) cost.get("absent")).contains("no node's CPU was visible").contains("node 1: /proc: no live process of node 1");
    assertThat(CostReport.consoleLine(cost)).startsWith("cost: absent (no node's CPU was visible");
  }

  /** A source whose readings the test sets: the per-phase arithmetic, restarts and counter resets. */
  private static final class Scripted implements UsageSource {
    List<ProcessUsage> now = List.of();

    @Override
    public String name() {
      return "/scripted";
    }

    @Override
    public List<ProcessUsage> read(String nodeId) {
      return now;
    }
  }

  @Test
  void cpuIsChargedToThePhasesOfTheSecondsItWasUsedIn() {
    Scripted src = new Scripted();
    AtomicLong clock = new AtomicLong();
    CostSampler sampler = new CostSampler(List.of(src), () -> List.of("1"), clock::get, Duration.ofSeconds(1));
    // 10 s of load, a fault in seconds 4..5 (healed at 5.9 s); 1 CPU-s per second in steady, 3 in the fault
    // the node restarts before 6 s: a new incarnation whose counter starts again (3 CPU-s by then)
    double[] counter = {100, 101, 102, 103, 104, 107, 3, 4, 5, 6, 7};
    for (int s = 0; s <= 10; s++) {
      clock.set(s * 1_000_000L);
      src.now = List.of(s < 6 ? new ProcessUsage("a", counter[s], 200, 250) : new ProcessUsage("b", counter[s], 150, 160));
      sampler.sample();
    }
    List<Op> ops = okWrites(10, 100_000);
    FaultEvent fault = new FaultEvent("kill", "kill", "node 1", List.of("1"), 4_000_000, 5_900_000, true, "");
    PhaseAnalysis pa = new PhaseAnalysis(ops, List.of(fault), 0.99);
    Map<String, Object> cost = CostReport.of(sampler, pa, ops);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> phases = (Map<String, Map<String, Object>>) cost.get("phases");
    assertThat(phases).containsOnlyKeys("steady", "fault:kill");
    // steady: seconds 0-3 and 6-9 = 8 CPU-s for 800,000 points; the fault: 6 CPU-s for 200,000
    assertThat(phases.get("steady")).containsEntry("nodeCpuSeconds", 8.0).containsEntry("ackedPoints", 800_000L)
        .containsEntry("cpuSecondsPerMillionPoints", 10.0);
    assertThat(phases.get("fault:kill")).containsEntry("nodeCpuSeconds", 6.0).containsEntry("cpuSecondsPerMillionPoints", 30.0);
    assertThat(cost.get("peakRssMiB")).isEqualTo(Map.of("1", 250.0));
    assertThat(CostReport.consoleLine(cost)).isEqualTo("cost: steady 10.00, fault:kill 30.00 cpu-s per million points (1 nodes, /scripted), peak RSS 250 MiB");
  }

  @Test
  void aSampledIntervalIsSpreadOverTheSecondsItCovers() {
    double[] perSecond = new double[4];
    CostReport.spread(perSecond, 500_000, 2_500_000, 4.0);
    assertThat(perSecond).containsExactly(1.0, 2.0, 1.0, 0.0);
  }

  @Test
  void aCounterThatWentDownIsARestartCountedFromZero() {
    Scripted src = new Scripted();
    AtomicLong clock = new AtomicLong();
    CostSampler sampler = new CostSampler(List.of(src), () -> List.of("1"), clock::get, Duration.ofSeconds(1));
    for (double v : new double[] {50, 52, 1.5}) {
      src.now = List.of(new ProcessUsage("metrics", v, Double.NaN, Double.NaN));
      sampler.sample();
      clock.addAndGet(1_000_000);
    }
    assertThat(sampler.ticks()).extracting(CostSampler.Tick::cpuSeconds).containsExactly(0.0, 2.0, 1.5);
  }

  @Test
  void cpuSoFarIsEmptyUntilANodeIsSeenThenCumulativeOverRestarts() {
    Scripted src = new Scripted();
    AtomicLong clock = new AtomicLong();
    CostSampler sampler = new CostSampler(List.of(src), () -> List.of("1"), clock::get, Duration.ofSeconds(1));
    src.now = List.of();
    assertThat(sampler.cpuSecondsSoFar()).isEmpty();
    src.now = List.of(new ProcessUsage("a", 40, 100, 100));
    assertThat(sampler.cpuSecondsSoFar()).hasValue(0.0);
    src.now = List.of(new ProcessUsage("a", 43, 100, 100));
    assertThat(sampler.cpuSecondsSoFar()).hasValue(3.0);
    // restarted: the new incarnation's 2 CPU-s add to the 3 used before
    src.now = List.of(new ProcessUsage("b", 2, 100, 100));
    assertThat(sampler.cpuSecondsSoFar()).hasValue(5.0);
  }

  @Test
  void theMachineLoadIsRecordedWhenTheLoadStartsAndEnds() {
    Scripted src = new Scripted();
    src.now = List.of(new ProcessUsage("a", 1, 100, 100));
    CostSampler sampler = new CostSampler(List.of(src), () -> List.of("1"), () -> System.nanoTime() / 1000, Duration.ofSeconds(1));
    assertThat(sampler.machine()).containsOnlyKeys("cpus");
    sampler.start();
    sampler.stop();
    assertThat(sampler.machine()).containsEntry("cpus", Runtime.getRuntime().availableProcessors())
        .hasEntrySatisfying("loadAverageAtStart", l -> assertThat((List<?>) l).hasSize(3))
        .hasEntrySatisfying("loadAverageAtEnd", l -> assertThat((List<?>) l).hasSize(3));
  }
}
