package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Verdict;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.Run;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.harness.TableSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Strategy 3, node failure during query: cpu has RF=1 over 3 hash partitions, so killing node 2
 * leaves some shards with no owner. A prober keeps counting all rows through node 1: every answer
 * must be complete (never fewer rows than already seen) or an error that names the shard — never
 * a silent partial result.
 */
public class NodeFailureDuringQuerySimulation extends LoadChaosSimulation {
  private final List<String> partial = new ArrayList<>();
  private final List<String> vagueErrors = new ArrayList<>();
  private volatile int answers;
  private volatile int shardErrors;
  private Thread prober;

  public NodeFailureDuringQuerySimulation() {
    super(RunSpec.of("NodeFailureDuringQuery")
            // RF=1 has no redundancy, so write availability is not judged here: this run is about queries
            .table(new TableSetup("cpu", List.of("host"), 3, 1))
            .table(new TableSetup("mem", List.of("host"), 3, 1)),
        FaultTimeline.builder().at(10).fault(FaultSpec.Action.KILL, "node:2", Duration.ofSeconds(10)).build());
    run.addCheck(this::verdicts);
    setUpStandard();
  }

  @Override
  public void before() {
    super.before();
    prober = new Thread(this::probe, "loadchaos-query-prober");
    prober.setDaemon(true);
    prober.start();
  }

  private void probe() {
    long deadline = System.nanoTime() + duration().toNanos();
    long maxSeen = 0;
    String url = run.target().node("1").clientUrl();
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      try {
        long[] n = {-1};
        run.target().http().querySql(url, run.database(), "SELECT count(*) AS n FROM \"cpu\"", Map.of(),
            row -> n[0] = row.elements().next().asLong());
        answers++;
        if (n[0] < maxSeen && partial.size() < 20) partial.add("+" + run.history().nowMicros() / 1000 + " ms: " + n[0] + " rows after " + maxSeen);
        maxSeen = Math.max(maxSeen, n[0]);
      } catch (Exception e) {
        answers++;
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("shard")) shardErrors++;
        else if (vagueErrors.size() < 20) vagueErrors.add(msg);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  List<Verdict> verdicts(Run r) {
    if (prober != null) prober.interrupt();
    Verdict v = Verdict.of("no silent partial results", partial.isEmpty() && vagueErrors.isEmpty() && shardErrors > 0,
        partial.size() + " partial answers, " + shardErrors + " errors naming a shard, " + vagueErrors.size() + " other errors",
        "0 partial, errors name the shard", answers + " probes of SELECT count(*) through node 1 while node 2 was down");
    Map<String, List<String>> ex = new java.util.LinkedHashMap<>();
    if (!partial.isEmpty()) ex.put("partial", partial);
    if (!vagueErrors.isEmpty()) ex.put("error without shard", vagueErrors);
    return List.of(ex.isEmpty() ? v : v.withExamples(ex));
  }
}
