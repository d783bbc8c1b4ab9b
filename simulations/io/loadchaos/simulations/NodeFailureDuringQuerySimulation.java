package io.loadchaos.simulations;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.loadchaos.gatling.Faults.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.check.AckedPoints;
import io.loadchaos.check.Verdict;
import io.loadchaos.config.Knobs;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.DatagenExpectedData;
import io.loadchaos.harness.Run;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.harness.TableSetup;
import io.loadchaos.target.ClusterHttp;
import java.io.IOException;
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
public class NodeFailureDuringQuerySimulation extends Simulation {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private static final String PROBE_SQL = "SELECT host, count(*) AS n FROM \"cpu\" GROUP BY host";
  // written by the probe scenario, read by the verdict
  private final List<String> partial = Collections.synchronizedList(new ArrayList<>());
  private final List<String> vagueErrors = Collections.synchronizedList(new ArrayList<>());
  private volatile int shrunk;
  /** A successful probe: start and end (run microseconds) and the rows it counted per host. */
  private record Answer(long start, long end, Map<String, Long> rowsPerHost) {}

  private final List<Answer> answered = Collections.synchronizedList(new ArrayList<>());
  private volatile int probes;
  private volatile int shardErrors;
  private volatile long maxSeen;
  // the verdict closes the probing: a probe answered after it is not counted
  private volatile boolean probing = true;

  private final LoadChaos lc = LoadChaos.start(
      RunSpec.of("NodeFailureDuringQuery")
          // RF=1 has no redundancy, so write availability is not judged here: this run is about queries
          .table(TableSetup.table("cpu").shardedBy("host").partitions(3).rf(1))
          .table(TableSetup.table("mem").shardedBy("host").partitions(3).rf(1)),
      faults().at(seconds(10)).kill(node("2")).healAfter(OUTAGE));

  private final ScenarioBuilder writes = scenario("writes")
      .during(lc.duration(), "n", false).on(pace(lc.writePace()).exec(lc.writeBatch()));
  private final ScenarioBuilder queries = scenario("queries")
      .during(lc.duration(), "n", false).on(exec(lc.query()).pause(lc.knob(Knobs.QUERY_PAUSE)));
  // one prober counting every host's rows through node 1 every 250 ms, its requests in Gatling's report
  private final ScenarioBuilder prober = scenario("prober").exec(lc.loadStart())
      .during(lc.duration()).on(
          exec(s -> s.set("pstart", lc.run().history().nowMicros()))
              .exec(http("probe count by host").get(lc.run().target().node("1").clientUrl() + "/api/v3/query_sql"
                      + ClusterHttp.query(Map.of("db", lc.run().database(), "q", PROBE_SQL, "format", "jsonl")))
                  .check(status().saveAs("pstatus"), bodyString().saveAs("pbody"), status().is(200)))
              .exec(s -> {
                record(s.getLong("pstart"), s.contains("pstatus") ? s.getInt("pstatus") : -1,
                    s.contains("pbody") ? s.getString("pbody") : null);
                return s.remove("pstatus").remove("pbody");
              })
              .pause(Duration.ofMillis(250)));

  {
    lc.run().addCheck(this::verdicts);
    setUp(writes.injectOpen(atOnceUsers(lc.knob(Knobs.WRITERS))).andThen(lc.verdicts()),
        queries.injectOpen(atOnceUsers(lc.queryUsers())),
        prober.injectOpen(atOnceUsers(1)))
        .protocols(lc.http()).assertions(lc.assertions());
  }

  /** One probe's outcome: the rows per host it counted, or its error (which must name the shard). */
  private void record(long start, int status, String body) {
    if (!probing) return;
    probes++;
    String error;
    if (status < 0) {
      error = "no response";
    } else if (status / 100 != 2) {
      error = "query " + PROBE_SQL + " via /api/v3/query_sql -> HTTP " + status + ": " + body;
    } else {
      try {
        Map<String, Long> perHost = new HashMap<>();
        try (MappingIterator<JsonNode> rows = JSON.readerFor(JsonNode.class).readValues(String.valueOf(body))) {
          while (rows.hasNextValue()) {
            JsonNode row = rows.nextValue();
            perHost.put(row.path("host").asText(), row.path("n").asLong());
          }
        }
        answered.add(new Answer(start, lc.run().history().nowMicros(), perHost));
        long n = perHost.values().stream().mapToLong(Long::longValue).sum();
        if (n < maxSeen) {
          shrunk++;
          if (partial.size() < 20) partial.add("+" + start / 1000 + " ms: " + n + " rows after " + maxSeen);
        }
        maxSeen = Math.max(maxSeen, n);
        return;
      } catch (IOException | RuntimeException e) {
        error = String.valueOf(e.getMessage());
      }
    }
    if (error.contains("shard")) shardErrors++;
    else if (vagueErrors.size() < 20) vagueErrors.add(error);
  }

  List<Verdict> verdicts(Run r) {
    probing = false;
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
