package io.loadchaos.report;

import io.loadchaos.check.PhaseAnalysis;
import io.loadchaos.check.Slo;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.WriteRejections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run results built the way {@code Run.result()} builds them: a recorded history, cut into phases
 * by {@link PhaseAnalysis}, plus verdicts and shard states.
 */
final class Fixtures {
  private Fixtures() {}

  static final String HOSTILE = "<script>alert('x')</script> & \"quotes\"";

  /**
   * 60 s of writes (20 batches/s of 500 points, latency rising under the fault), queries every
   * second, node 2 killed from 20 s to 30 s, a rebalance moving one shard.
   */
  static RunResult faultRun(double writeScale) {
    History h = new History();
    WriteRejections rejections = new WriteRejections();
    List<FaultEvent> faults = List.of(new FaultEvent("kill-2", "kill", "node:2", List.of("2"), 20_000_000, 30_000_000, true, "SIGKILL"));
    long batch = 0;
    for (int s = 0; s < 60; s++) {
      for (int i = 0; i < 20; i++) {
        boolean inFault = s >= 20 && s < 30;
        Outcome o = inFault && i % 4 == 0 ? Outcome.INFO : (s >= 31 && s < 33 && i % 2 == 0 ? Outcome.FAIL : Outcome.OK);
        long latency = (inFault ? 40_000 : 8_000) + i * 300L;
        h.record(OpKind.WRITE, batch++, i % 3, s * 1_000_000L + i * 40_000, latency, o, o == Outcome.OK ? 204 : 503,
            (int) (500 * writeScale));
        rejections.record(o == Outcome.OK ? 204 : 503, o, o == Outcome.INFO ? "{\"error\":\"no quorum: node 2 down\"}" : HOSTILE);
      }
      h.record(OpKind.QUERY_SQL, 0, s % 3, s * 1_000_000L + 500_000, 3_000 + s * 50L, Outcome.OK, 200, 0);
    }
    PhaseAnalysis pa = new PhaseAnalysis(h.ops(), faults, 0.99);
    Map<String, Map<String, PhaseAnalysis.PhaseStats>> phases = new LinkedHashMap<>();
    Map<String, List<PhaseAnalysis.Second>> perSecond = new LinkedHashMap<>();
    for (OpKind k : OpKind.values()) {
      phases.put(k.label(), pa.phases(k));
      perSecond.put(k.label(), pa.perSecond(k));
    }
    List<Verdict> verdicts = new ArrayList<>();
    verdicts.add(Verdict.fail("read-back lost", "2", "0", "acknowledged (ok) points missing")
        .withExamples(Map.of("lost", List.of("cpu,host=h1 @1700000000000000000 usage=1", HOSTILE))));
    verdicts.add(Verdict.pass("replica consistency", "0 of 12 shards differ", "0 differ", "12 shards compared"));
    verdicts.add(Verdict.skipped("query correctness", "the run sent no Flight queries"));
    verdicts.addAll(pa.evaluate(List.of(Slo.availability("steady", 0.99), Slo.p99("steady", Duration.ofSeconds(3)),
        Slo.recovery(Duration.ofSeconds(30)))));
    List<Map<String, Object>> shardStates = List.of(
        shard(1_000_000, "1", "Active", "[0,1,2]"),
        shard(1_000_000, "2", "Active", "[0,1,2]"),
        shard(31_000_000, "2", "Moving", "[0,1,3]"),
        shard(40_000_000, "2", "Active", "[0,1,3]"));
    Map<String, String> config = new LinkedHashMap<>();
    config.put("target", "local");
    config.put("token", "<redacted>");
    config.put("note", HOSTILE);
    return new RunResult("Fixture-20261126-120000", "Fixture", "local", "2026-11-26T12:00:00Z", 75.5, config,
        Map.of("name", "devops", "series", 100), faults, pa.segments(), phases, perSecond, pa.recoveries(),
        shardStates, verdicts, "", null, rejections.summary());
  }

  private static Map<String, Object> shard(long tUs, String id, String status, String nodes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t_us", tUs);
    m.put("shard", id);
    m.put("table", "cpu");
    m.put("status", status);
    m.put("node_ids", nodes);
    m.put("state", status + " " + nodes);
    return m;
  }

  /**
   * Per-second writes of a 5-level ramp (10 s each, from second 2): levels 1-3 healthy, level 4 slow
   * (p99 4 s), level 5 losing a tenth of its writes.
   */
  static List<PhaseAnalysis.Second> rampSeconds() {
    List<PhaseAnalysis.Second> out = new ArrayList<>();
    for (long s = 0; s < 54; s++) {
      if (s < 2) {
        out.add(new PhaseAnalysis.Second(s, "steady", 0, 0, 0, 0, 0, 0));
        continue;
      }
      int level = (int) ((s - 2) / 10);
      long batches = 10 + 10L * level;
      double p99 = level == 3 ? 4000 : 200 + 100 * level;
      long info = level == 4 ? batches / 10 : 0;
      long ok = batches - info;
      out.add(new PhaseAnalysis.Second(s, "steady", ok, 0, info, ok * 500, p99 / 4, p99));
    }
    return out;
  }
}
