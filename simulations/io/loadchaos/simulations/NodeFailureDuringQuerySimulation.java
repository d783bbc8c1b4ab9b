package io.loadchaos.simulations;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.AckedPoints;
import io.loadchaos.check.Verdict;
import io.loadchaos.gatling.LoadChaosSimulation;
import io.loadchaos.harness.DatagenExpectedData;
import io.loadchaos.harness.Run;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.harness.TableSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 3.3 (docs/scenarios.md), node failure during query: cpu has RF=1 over 3 hash partitions, so killing node 2
 * leaves some shards with no owner. A prober keeps counting all rows through node 1: every answer
 * must be complete (never fewer rows than were acknowledged before the query, nor than an earlier
 * answer) or an error that names the shard — never a silent partial result.
 */
public class NodeFailureDuringQuerySimulation extends LoadChaosSimulation {
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  // written by the prober thread, read by the verdict
  private final List<String> partial = Collections.synchronizedList(new ArrayList<>());
  private final List<String> vagueErrors = Collections.synchronizedList(new ArrayList<>());
  private volatile int shrunk;
  /** A successful probe: start and end (run microseconds) and the rows it counted per host. */
  private record Answer(long start, long end, Map<String, Long> rowsPerHost) {}

  private final List<Answer> answered = Collections.synchronizedList(new ArrayList<>());
  private volatile int probes;
  private volatile int shardErrors;
  private Thread prober;

  public NodeFailureDuringQuerySimulation() {
    super(RunSpec.of("NodeFailureDuringQuery")
            // RF=1 has no redundancy, so write availability is not judged here: this run is about queries
            .table(new TableSetup("cpu", List.of("host"), 3, 1))
            .table(new TableSetup("mem", List.of("host"), 3, 1)),
        FaultTimeline.builder().at(10).fault(FaultSpec.Action.KILL, "node:2", OUTAGE).build());
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
      long start = run.history().nowMicros();
      try {
        Map<String, Long> perHost = new HashMap<>();
        run.target().http().querySql(url, run.database(), "SELECT host, count(*) AS n FROM \"cpu\" GROUP BY host", Map.of(),
            row -> perHost.put(row.path("host").asText(), row.path("n").asLong()));
        probes++;
        answered.add(new Answer(start, run.history().nowMicros(), perHost));
        long n = perHost.values().stream().mapToLong(Long::longValue).sum();
        if (n < maxSeen) {
          shrunk++;
          if (partial.size() < 20) partial.add("+" + start / 1000 + " ms: " + n + " rows after " + maxSeen);
        }
        maxSeen = Math.max(maxSeen, n);
      } catch (Exception e) {
        probes++;
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

  List<Verdict> verdicts(Run r) throws InterruptedException {
    if (prober != null) {
      prober.interrupt();
      prober.join(10_000);
    }
    String name = "no silent partial results";
    List<Answer> answers;
    synchronized (answered) {
      answers = answered.stream().sorted(Comparator.comparingLong(Answer::start)).toList();
    }
    // every write acknowledged before a probe started must be in its count, host by host
    List<Map<String, Long>> floors = new AckedPoints(r.history().ops(), new DatagenExpectedData(r.dataset(), r.generator()),
        "cpu", "host").before(answers.stream().mapToLong(Answer::start).toArray());
    int shortAnswers = 0;
    for (int i = 0; i < answers.size(); i++) {
      Answer a = answers.get(i);
      boolean isShort = false;
      for (var floor : floors.get(i).entrySet()) {
        long got = a.rowsPerHost().getOrDefault(floor.getKey(), 0L);
        isShort |= got < floor.getValue();
        if (got < floor.getValue() && partial.size() < 40) {
          partial.add("+" + a.start() / 1000 + " ms: host " + floor.getKey() + " " + got + " rows, but " + floor.getValue()
              + " were acknowledged before the query");
        }
      }
      if (isShort) shortAnswers++;
    }
    var kill = r.history().faults().stream().filter(f -> f.action().equals("kill") && f.ok()).findFirst();
    long outageFrom = kill.map(f -> f.startMicros()).orElse(Long.MAX_VALUE);
    // down from the kill until its restart finished (the fault's end)
    long outageTo = kill.map(f -> f.active() ? Long.MAX_VALUE : f.endMicros()).orElse(Long.MAX_VALUE);
    long answeredInOutage = answers.stream().filter(a -> a.start() > outageFrom && a.end() < outageTo).count();
    String measured = shortAnswers + " answers short of acknowledged points, " + shrunk + " smaller than an earlier one, " + shardErrors + " errors naming a shard, " + vagueErrors.size() + " other errors";
    String detail = probes + " probes of SELECT host, count(*) through node 1, " + answeredInOutage
        + " of them answered between the kill of node 2 and its restart";
    Map<String, List<String>> ex = new LinkedHashMap<>();
    if (!partial.isEmpty()) ex.put("partial", partial);
    if (!vagueErrors.isEmpty()) ex.put("error without shard", vagueErrors);
    Verdict v;
    if (shortAnswers > 0 || shrunk > 0 || !vagueErrors.isEmpty()) {
      v = Verdict.of(name, false, measured, "0 partial, errors name the shard", detail);
    } else if (shardErrors == 0) {
      // neither an error nor a short answer: the probes never met the outage (or node 2 owned no cpu shard)
      v = Verdict.unknown(name, "no probe met the outage: " + detail);
    } else {
      v = Verdict.of(name, true, measured, "0 partial, errors name the shard", detail);
    }
    return List.of(ex.isEmpty() ? v : v.withExamples(ex));
  }
}
