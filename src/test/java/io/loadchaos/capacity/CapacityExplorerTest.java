package io.loadchaos.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The explorer, pacer, meter and search together, with real threads and real time against a
 * server that serves at most one batch per 10 ms (100 batches/s of 100 points = 10k points/s).
 * Rates far from the limit so that the outcome does not depend on the machine's speed: 1k and 4k
 * (10% and 40% of it) meet, 16k (160%) cannot; the bisection's 8k may go either way.
 */
class CapacityExplorerTest {

  @Test
  void findsABracketedKneeWhoseUpperBoundMissedAndStopsTheWriters() throws Exception {
    History history = new History();
    Pacer pacer = Pacer.standard(20);
    Object server = new Object();
    List<Thread> writers = new ArrayList<>();
    // batch ids are unique across writers, as BatchId.of(writer, seq) makes them in a run
    AtomicLong batchIds = new AtomicLong();
    for (int w = 0; w < pacer.writers(); w++) {
      Thread t = new Thread(() -> {
        while (true) {
          Pacer.Claim c = pacer.claim();
          if (c.kind() == Pacer.Claim.Kind.STOP) return;
          LockSupport.parkNanos(c.delayNanos());
          if (!c.go()) continue;
          pacer.started(c.slotNanos(), c.late());
          int op = history.invoke(OpKind.WRITE, batchIds.getAndIncrement(), 0, 100);
          synchronized (server) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
          }
          history.complete(op, Outcome.OK, 204);
          pacer.done();
        }
      }, "writer-" + w);
      t.setDaemon(true);
      t.start();
      writers.add(t);
    }
    List<String> lines = new CopyOnWriteArrayList<>();
    CapacitySearch.Settings settings = new CapacitySearch.Settings(1000, 4, 1.0, 1e6, 8, Duration.ofMinutes(1),
        Duration.ofMillis(1300), 0);
    CapacityExplorer explorer = new CapacityExplorer(settings, new StepMeter.Criteria(0.99, 2000, 0.95, 0.5, 1.0, 1.0),
        Duration.ofMillis(300), 100, history, pacer, NodeCpu.NONE, lines::add);

    CapacityReport report = explorer.run();
    lines.forEach(System.out::println);

    for (Thread t : writers) t.join(5000);
    assertThat(writers).noneMatch(Thread::isAlive);
    assertThat(report.steps()).extracting(CapacityReport.Step::offeredPointsPerSecond).startsWith(1000.0, 4000.0, 16_000.0);
    assertThat(report.steps().subList(0, 2)).allMatch(CapacityReport.Step::met);
    CapacityReport.Step over = report.steps().get(2);
    assertThat(over.met()).isFalse();
    assertThat(over.okPointsPerSecond()).isLessThan(12_000); // the server cannot do more than 10k
    CapacitySearch.Result r = report.result();
    assertThat(r.end()).isEqualTo(CapacitySearch.End.KNEE);
    assertThat(r.good()).isIn(4000.0, 8000.0);
    assertThat(r.bad()).isIn(8000.0, 16_000.0);
    // the upper bound is a step that ran and missed
    assertThat(report.steps()).anyMatch(s -> s.offeredPointsPerSecond() == r.bad() && !s.met());
    assertThat(report.kneeLevel()).isNotNull();
    assertThat(lines).filteredOn(l -> l.startsWith("[capacity] step ")).hasSize(report.steps().size());
    assertThat(lines).anyMatch(l -> l.startsWith("[capacity] bracket [4k, 16k] (300%)"));
    assertThat(lines.get(lines.size() - 1)).startsWith("[capacity] knee ");
    assertThat(over.starts()).isPositive();
    assertThat(over.injectorCpuCores()).isNotNaN();
  }
}
