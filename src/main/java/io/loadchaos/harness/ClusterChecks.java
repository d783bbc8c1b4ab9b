package io.loadchaos.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.chaos.ChaosEngine;
import io.loadchaos.chaos.LinkProxies;
import io.loadchaos.check.Verdict;
import io.loadchaos.history.FaultEvent;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.HttpActualData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/** Scenario-specific verdicts (docs/scenarios.md), over the network like every check. */
public final class ClusterChecks {
  private ClusterChecks() {}

  private static String anyUrl(Run run) {
    return run.target().nodes().get(0).clientUrl();
  }

  private static long count(Run run, String url, String sql) throws Exception {
    long[] n = {-1};
    run.target().http().querySql(url, run.database(), sql, Map.of(), row -> n[0] = row.elements().next().asLong());
    return n[0];
  }

  private static JsonNode shards(Run run, String table) throws Exception {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("db", run.database());
    if (table != null) q.put("table", table);
    return run.target().http().getJson(anyUrl(run) + "/api/v3/cluster/shards" + ClusterHttp.query(q));
  }

  /**
   * Quorum: no write may be acknowledged while its quorum is impossible. Counts ok writes that
   * started at least {@code graceMillis} after the fault began and ended before its heal.
   */
  public static Verdict noAckWhileFaulted(Run run, String faultName, long graceMillis) {
    FaultEvent f = run.history().faults().stream().filter(e -> e.name().equals(faultName)).findFirst().orElse(null);
    if (f == null || !f.ok()) return Verdict.unknown("no ack below quorum", "fault " + faultName + " was not injected");
    Acks a = acksInside(run, f, graceMillis, node -> true);
    return judgeAcks("no ack below quorum", a, "inside the fault window " + faultName,
        "writes attempted while " + faultName + " made quorum impossible");
  }

  /** No acknowledgement among the writes attempted; UNKNOWN when none was attempted (nothing observed). */
  static Verdict judgeAcks(String name, Acks a, String window, String detail) {
    if (a.attempted() == 0) return Verdict.unknown(name, "no write was attempted " + window + ": nothing to judge");
    Verdict v = Verdict.of(name, a.acked() == 0, a.acked() + " of " + a.attempted() + " acknowledged", "0 acknowledged", detail);
    return a.examples().isEmpty() ? v : v.withExamples(Map.of("acknowledged", a.examples()));
  }

  /**
   * Writes (to nodes the filter accepts) that started {@code graceMillis} after the fault began and
   * ended before its heal: how many were attempted and acknowledged, with up to 20 acknowledged examples.
   */
  private static Acks acksInside(Run run, FaultEvent f, long graceMillis, IntPredicate node) {
    long from = f.startMicros() + graceMillis * 1000;
    long to = f.active() ? Long.MAX_VALUE : f.endMicros();
    List<ClusterTarget.Node> nodes = run.target().nodes();
    long attempted = 0;
    long acked = 0;
    List<String> examples = new ArrayList<>();
    for (History.Op op : run.history().ops()) {
      if (op.kind() != OpKind.WRITE || !node.test(op.node()) || op.startMicros() < from || op.endMicros() > to) continue;
      attempted++;
      if (op.outcome() == Outcome.OK) {
        acked++;
        if (examples.size() < 20) {
          String id = op.node() >= 0 && op.node() < nodes.size() ? nodes.get(op.node()).id() : "index " + op.node();
          examples.add("batch " + op.batchId() + " on node " + id + " at +" + op.startMicros() / 1000 + " ms");
        }
      }
    }
    return new Acks(attempted, acked, examples);
  }

  record Acks(long attempted, long acked, List<String> examples) {}

  /** The first successful injection of the named fault, or null. */
  private static FaultEvent injected(Run run, String faultName) {
    return run.history().faults().stream().filter(e -> e.name().equals(faultName) && e.ok()).findFirst().orElse(null);
  }

  /**
   * Partition: a node cut off from its peers cannot reach a quorum, so no write it coordinates may
   * be acknowledged (the client retries on another node). Counts ok writes sent to a partitioned
   * node that started {@code graceMillis} after the cut and ended before the heal.
   */
  public static Verdict isolatedNodesAckNothing(Run run, String faultName, long graceMillis) {
    String name = "no ack from the cut-off side";
    FaultEvent f = injected(run, faultName);
    if (f == null) return Verdict.unknown(name, "fault " + faultName + " was not injected");
    List<String> ids = f.nodes();
    Set<Integer> indexes = new LinkedHashSet<>();
    List<ClusterTarget.Node> nodes = run.target().nodes();
    for (int i = 0; i < nodes.size(); i++) if (ids.contains(nodes.get(i).id())) indexes.add(i);
    if (indexes.isEmpty()) return Verdict.unknown(name, "cannot tell which nodes " + faultName + " cut off: " + f.detail());
    Acks a = acksInside(run, f, graceMillis, indexes::contains);
    return judgeAcks(name, a, "to nodes " + ids + " inside the partition",
        "writes coordinated by nodes " + ids + " while " + faultName + " cut them off");
  }

  /**
   * Slow replica: a quorum write must not wait for the slowest owner. The median write latency
   * while one owner is slowed may exceed the steady median by at most {@code allowedMillis}.
   */
  public static Verdict slowOwnerOffWritePath(Run run, String faultName, long allowedMillis) {
    String name = "slow owner off the write path";
    FaultEvent f = injected(run, faultName);
    if (f == null) return Verdict.unknown(name, "fault " + faultName + " was not injected");
    long to = f.active() ? Long.MAX_VALUE : f.endMicros();
    List<Long> steady = new ArrayList<>();
    List<Long> slowed = new ArrayList<>();
    for (History.Op op : run.history().ops()) {
      if (op.kind() != OpKind.WRITE || op.outcome() != Outcome.OK) continue;
      if (op.endMicros() < f.startMicros()) steady.add(op.latencyMicros());
      else if (op.startMicros() >= f.startMicros() && op.endMicros() <= to) slowed.add(op.latencyMicros());
    }
    if (steady.isEmpty() || slowed.isEmpty()) {
      return Verdict.unknown(name, "need ok writes before and during " + faultName + ": " + steady.size() + " and " + slowed.size());
    }
    long steadyMs = median(steady) / 1000;
    long slowedMs = median(slowed) / 1000;
    return Verdict.of(name, slowedMs - steadyMs <= allowedMillis,
        "median " + slowedMs + " ms while slowed vs " + steadyMs + " ms before", "at most +" + allowedMillis + " ms",
        slowed.size() + " writes during " + faultName + ", " + steady.size() + " before it");
  }

  /**
   * Latency fault: the harness's own clock must see it, or the proxy was not on the path. The
   * median latency of ok writes sent to the slowed nodes while the fault was active must exceed a
   * baseline by at least {@code minAddedMillis}. The baseline is measured side by side where it
   * can be: writes to the other nodes in the same window (same machine load, same moment); on a
   * one-node cluster, writes to it in the 5 s before the fault.
   */
  public static Verdict latencyObserved(Run run, String faultName, long minAddedMillis) {
    String name = "latency observed";
    FaultEvent f = injected(run, faultName);
    if (f == null) return Verdict.unknown(name, "fault " + faultName + " was not injected");
    long to = f.active() ? Long.MAX_VALUE : f.endMicros();
    // writes that started once the toxic was in place (its injection time is part of the window)
    long from = f.startMicros() + 1_000_000;
    Set<Integer> slowed = new LinkedHashSet<>();
    List<ClusterTarget.Node> nodes = run.target().nodes();
    for (int i = 0; i < nodes.size(); i++) if (f.nodes().contains(nodes.get(i).id())) slowed.add(i);
    List<Long> during = new ArrayList<>();
    List<Long> others = new ArrayList<>();
    List<Long> before = new ArrayList<>();
    for (History.Op op : run.history().ops()) {
      if (op.kind() != OpKind.WRITE || op.outcome() != Outcome.OK) continue;
      boolean inWindow = op.startMicros() >= from && op.endMicros() <= to;
      if (!slowed.contains(op.node())) {
        if (inWindow) others.add(op.latencyMicros());
      } else if (inWindow) {
        during.add(op.latencyMicros());
      } else if (op.endMicros() < f.startMicros() && op.startMicros() >= f.startMicros() - 5_000_000) {
        before.add(op.latencyMicros());
      }
    }
    boolean sideBySide = others.size() >= 20;
    List<Long> baseline = sideBySide ? others : before;
    String baselineName = sideBySide ? "to the other nodes meanwhile" : "in the 5 s before";
    if (during.isEmpty() || baseline.isEmpty()) {
      return Verdict.unknown(name, "need ok writes to nodes " + f.nodes() + " during " + faultName + " and a baseline: "
          + during.size() + " and " + baseline.size());
    }
    long duringMs = median(during) / 1000;
    long baselineMs = median(baseline) / 1000;
    return Verdict.of(name, duringMs - baselineMs >= minAddedMillis,
        "median " + duringMs + " ms to nodes " + f.nodes() + " vs " + baselineMs + " ms " + baselineName,
        "at least +" + minAddedMillis + " ms", during.size() + " writes to the slowed nodes during " + faultName + ", baseline "
            + baseline.size() + " writes " + baselineName);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** Scenario 2.1, basic replication: every node answers the same count for the table. */
  public static Verdict everyNodeAnswersTheSame(Run run, String table) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (ClusterTarget.Node n : run.target().nodes()) {
      counts.put(n.id(), count(run, n.clientUrl(), "SELECT count(*) AS n FROM " + HttpActualData.quote(table)));
    }
    boolean same = counts.values().stream().distinct().count() == 1;
    if (same && counts.values().iterator().next() == 0) {
      return Verdict.unknown("same answer from every node", "every node counted 0 rows of " + table + ": nothing to compare");
    }
    return Verdict.of("same answer from every node", same, counts.toString(), "all equal",
        "SELECT count(*) FROM " + table + " sent to each node");
  }

  /** Scenario 3.1: the sum of per-time-shard counts equals the total count. */
  public static Verdict shardedTotals(Run run, String table) throws Exception {
    String url = anyUrl(run);
    String t = HttpActualData.quote(table);
    long total = count(run, url, "SELECT count(*) AS n FROM " + t);
    Set<String> ranges = new LinkedHashSet<>();
    for (JsonNode s : shards(run, table)) ranges.add(s.path("time_start").asText() + "|" + s.path("time_end").asText());
    long sum = 0;
    for (String r : ranges) {
      String[] p = r.split("\\|");
      sum += count(run, url, "SELECT count(*) AS n FROM " + t + " WHERE time >= " + timeLiteral(p[0]) + " AND time < " + timeLiteral(p[1]));
    }
    return judgeShardedTotals(ranges.size(), sum, total);
  }

  /** Equal sums prove something only over more than one time shard holding rows; otherwise UNKNOWN. */
  static Verdict judgeShardedTotals(int shards, long sum, long total) {
    String name = "sharded totals";
    String measured = "sum over " + shards + " time shards " + sum + ", total " + total;
    if (shards <= 1 || total == 0) {
      return Verdict.unknown(name, measured + ": needs rows in more than one time shard to compare");
    }
    return Verdict.of(name, sum == total, measured, "equal, over more than one time shard", "one query per time shard vs one over all shards");
  }

  private static String timeLiteral(String v) {
    if (v.matches("-?\\d+")) return "'" + QueryTemplates.iso(Long.parseLong(v)) + "'";
    return "'" + v + "'";
  }

  /** Scenario 3.1: GROUP BY the shard key over hash partitions: unique groups that add up. */
  public static Verdict partitionAggregates(Run run, String table, String key) throws Exception {
    String url = anyUrl(run);
    String t = HttpActualData.quote(table);
    long total = count(run, url, "SELECT count(*) AS n FROM " + t);
    Map<String, Long> groups = new LinkedHashMap<>();
    List<String> dup = new ArrayList<>();
    run.target().http().querySql(url, run.database(), "SELECT " + HttpActualData.quote(key) + " AS k, count(*) AS n FROM " + t
        + " GROUP BY " + HttpActualData.quote(key), Map.of(), row -> {
          if (groups.put(row.path("k").asText(), row.path("n").asLong()) != null) dup.add(row.path("k").asText());
        });
    long sum = groups.values().stream().mapToLong(Long::longValue).sum();
    // the same counts through the pruned path: an equality on the shard key reads one partition
    List<String> mismatched = new ArrayList<>();
    int probed = 0;
    for (Map.Entry<String, Long> g : groups.entrySet()) {
      if (probed++ >= 10) break;
      long n = count(run, url, "SELECT count(*) AS n FROM " + t + " WHERE " + HttpActualData.quote(key) + " = '"
          + g.getKey().replace("'", "''") + "'");
      if (n != g.getValue()) mismatched.add(key + "=" + g.getKey() + ": " + n + " by equality, " + g.getValue() + " in GROUP BY");
    }
    if (groups.size() <= 1 || total == 0) {
      return Verdict.unknown("aggregate across hash partitions", groups.size() + " groups summing to " + sum + " of " + total
          + ": needs more than one group to prove a merge across partitions");
    }
    Verdict v = Verdict.of("aggregate across hash partitions", dup.isEmpty() && mismatched.isEmpty() && sum == total,
        groups.size() + " groups summing to " + sum + " of " + total + (dup.isEmpty() ? "" : ", duplicated " + dup)
            + ", " + mismatched.size() + " of " + Math.min(probed, 10) + " key lookups differ",
        "unique groups summing to the total; key lookups agree", "GROUP BY " + key + " merged across partitions, and "
            + "count(*) WHERE " + key + " = <group> (pruned to one partition) for up to 10 groups");
    return mismatched.isEmpty() ? v : v.withExamples(Map.of("key lookups", mismatched));
  }

  /**
   * Scenario 3.2, shard pruning: a query with an equality on the shard key and a time range inside
   * one time shard, sent to an owner of that shard, must fetch no fragment from any other node.
   * Judged first from what the fault proxies on the node->node links counted (fragment requests
   * by HTTP/2 path toward non-owners; bytes against a quiet window where paths are unreadable),
   * and second from the nodes' own fragment counters in /metrics. Either source seeing fragments
   * on a non-owner fails.
   */
  public static Verdict shardPruning(Run run, String table, String key, String value, int queries) throws Exception {
    String name = "shard pruning";
    String t = HttpActualData.quote(table);
    String equality = HttpActualData.quote(key) + " = '" + value + "'";
    // the shard to aim at: one that holds rows with this key value (found by node-local reads)
    JsonNode target = null;
    for (JsonNode s : shards(run, table)) {
      if (s.path("node_ids").isEmpty()) continue;
      String url = run.target().node(s.path("node_ids").get(0).asText()).clientUrl();
      long[] n = {0};
      run.target().http().querySql(url, run.database(), "SELECT count(*) AS n FROM " + t + " WHERE " + equality,
          Map.of("local", "true", "shard", s.path("id").asText()), row -> n[0] = row.elements().next().asLong());
      if (n[0] > 0) {
        target = s;
        break;
      }
    }
    if (target == null) return Verdict.unknown(name, "no shard of " + table + " holds " + key + "=" + value);
    Set<String> owners = new LinkedHashSet<>();
    target.path("node_ids").forEach(n -> owners.add(n.asText()));
    List<String> nonOwners = new ArrayList<>();
    for (ClusterTarget.Node n : run.target().nodes()) if (!owners.contains(n.id())) nonOwners.add(n.id());
    if (nonOwners.isEmpty()) {
      return Verdict.unknown(name, "shard " + target.path("id").asText() + " is owned by every node " + owners + ": nothing to prune");
    }
    // inclusive bounds strictly inside the shard, so no neighbouring time shard can match
    long from = target.path("time_start_ns").asLong();
    long to = target.path("time_end_ns").asLong() - 1;
    String sql = "SELECT count(*) AS n FROM " + t + " WHERE " + equality + " AND time >= '" + QueryTemplates.iso(from)
        + "' AND time <= '" + QueryTemplates.iso(to) + "'";
    String coordinator = owners.iterator().next();
    LinkProxies links = run.target().links().orElse(null);
    Map<String, LinkProxies.LinkTraffic> trafficBefore = links == null ? Map.of() : links.traffic();
    Map<String, Double> before = fragments(run);
    // sent to an owner, so a coordinator's own planning never counts as a fragment elsewhere
    String url = run.target().node(coordinator).clientUrl();
    long began = System.nanoTime();
    long answered = 0;
    for (int i = 0; i < queries; i++) answered = count(run, url, sql);
    long windowNanos = System.nanoTime() - began;
    Map<String, LinkProxies.LinkTraffic> trafficAfter = links == null ? Map.of() : links.traffic();
    Map<String, Double> after = fragments(run);

    PruningTraffic.Judgement byLinks = PruningTraffic.judge(trafficBefore, trafficAfter, nonOwners,
        () -> quietWindow(links, windowNanos));
    List<String> wrongByMetrics = new ArrayList<>();
    double ownerFragments = 0;
    for (var e : after.entrySet()) {
      double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      if (owners.contains(e.getKey())) ownerFragments += d;
      else if (d > 0) wrongByMetrics.add("node " + e.getKey() + " ran " + (long) d + " fragments");
    }
    String metrics = wrongByMetrics.isEmpty() ? "/metrics: only owners " + owners + " ran fragments (" + (long) ownerFragments + ")"
        : "/metrics: " + String.join(", ", wrongByMetrics);
    String threshold = "no fragment traffic toward non-owners " + nonOwners + " of shard " + target.path("id").asText();
    String detail = queries + " queries with " + key + "=" + value + " inside one time shard, sent to owner " + coordinator
        + " (answer " + answered + " rows); " + byLinks.detail() + "; " + metrics;
    boolean metricsFail = !wrongByMetrics.isEmpty();
    if (byLinks.status() == Verdict.Status.FAIL || metricsFail) {
      return Verdict.fail(name, byLinks.status() == Verdict.Status.FAIL ? byLinks.measured() : String.join(", ", wrongByMetrics),
          threshold, detail);
    }
    if (answered <= 0) return Verdict.unknown(name, "the pruned query found no row of " + key + "=" + value + ": " + detail);
    if (byLinks.status() == Verdict.Status.PASS) return Verdict.pass(name, byLinks.measured(), threshold, detail);
    // no usable proxy evidence: the nodes' own counters are all there is, and the verdict says so
    if (ownerFragments <= 0) return Verdict.unknown(name, "no proxy evidence and the owners' /metrics counted no fragment: " + detail);
    return Verdict.pass(name, "only owners " + owners + " ran fragments (" + (long) ownerFragments + "), by /metrics only",
        threshold, "fallback to the nodes' own /metrics counters: " + detail);
  }

  /** Traffic on the links during a window of the same length with no query sent. */
  private static Map<String, LinkProxies.LinkTraffic> quietWindow(LinkProxies links, long nanos) throws Exception {
    Map<String, LinkProxies.LinkTraffic> a = links.traffic();
    Thread.sleep(Math.max(1, nanos / 1_000_000));
    Map<String, LinkProxies.LinkTraffic> b = links.traffic();
    Map<String, LinkProxies.LinkTraffic> out = new LinkedHashMap<>();
    b.forEach((k, v) -> {
      if (a.containsKey(k)) out.put(k, v.minus(a.get(k)));
    });
    return out;
  }

  private static Map<String, Double> fragments(Run run) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    for (ClusterTarget.Node n : run.target().nodes()) {
      out.put(n.id(), run.target().http().metrics(n.clientUrl()).getOrDefault("loadchaos_query_fragments_total", 0.0));
    }
    return out;
  }

  /**
   * Scenarios 4.1 and 4.4: each moved shard went through the migration states in order, judged from two
   * sources: the states the harness polled itself while the move ran (a state too short to be
   * polled may be missed, never reordered) and the shard's state history in the listing (every
   * state, in order); the polled states must appear in the history in the same order, and every
   * move the harness started must have been seen leaving Stable.
   */
  public static Verdict migrationStatesInOrder(Run run) throws Exception {
    String name = "migration states in order";
    List<Map<String, Object>> polled = run.chaos().shardStates();
    Map<String, ChaosEngine.StartedMove> started = new LinkedHashMap<>();
    for (ChaosEngine.StartedMove m : run.chaos().startedMoves()) started.putIfAbsent(m.shard(), m);
    List<MigrationStates.Judgement> moved = new ArrayList<>();
    Set<String> listed = new LinkedHashSet<>();
    for (JsonNode s : shards(run, null)) {
      String id = s.path("id").asText();
      listed.add(id);
      List<String> history = new ArrayList<>();
      for (JsonNode h : s.path("history")) history.add(h.path("status").asText());
      MigrationStates.Judgement j = MigrationStates.judge(id, MigrationStates.polledStatuses(id, polled), history, started.containsKey(id));
      if (j.moved()) moved.add(j);
    }
    for (String id : started.keySet()) {
      if (!listed.contains(id)) moved.add(new MigrationStates.Judgement(id, true, "the harness moved it but the listing no longer has it",
          String.join(" -> ", MigrationStates.collapse(MigrationStates.polledStatuses(id, polled))), "nothing"));
    }
    if (moved.isEmpty()) {
      return Verdict.unknown(name, "no shard moved: the harness started no move and neither its polling (" + polled.size()
          + " state changes) nor the listing's history saw a shard leave Stable");
    }
    List<String> bad = moved.stream().filter(j -> j.problem() != null).map(MigrationStates.Judgement::describe).toList();
    long polledMoving = moved.stream().filter(j -> !j.polledText().equals("Stable") && !j.polledText().equals("nothing")).count();
    List<String> seen = moved.stream().limit(8).map(MigrationStates.Judgement::describe).toList();
    Verdict v = Verdict.of(name, bad.isEmpty(), moved.size() + " moved shards (" + started.size() + " moves started by the harness, "
            + polledMoving + " seen moving by its polling), " + bad.size() + " with problems",
        MigrationStates.CYCLE_TEXT + " in both the harness's polling and the listing's history",
        "polled every " + ChaosEngine.SHARD_POLL_MILLIS + " ms while a move ran; " + String.join("; ", bad.isEmpty() ? seen : bad));
    return bad.isEmpty() ? v : v.withExamples(Map.of("out of order", bad.stream().limit(20).toList()));
  }

  /**
   * Scenario 4.1: after a move, the new owners hold exactly the shard's rows and the former owners
   * none. Moved shards are those whose owners changed since the harness first polled them, or that
   * the harness moved itself. The expected rows of a shard are computed by the harness (generator +
   * history, membership by time range and hash partition): each new owner's node-local count must
   * fall inside that bound, every former owner must hold 0 rows (404 counts as 0). A shard with no
   * expected row proves nothing and does not count.
   */
  public static Verdict sourcesCleaned(Run run) throws Exception {
    String name = "moved shards cleaned from their source";
    Map<String, String> firstOwners = new LinkedHashMap<>();
    for (Map<String, Object> s : run.chaos().shardStates()) firstOwners.putIfAbsent((String) s.get("shard"), (String) s.get("node_ids"));
    Map<String, List<String>> ownersBefore = new LinkedHashMap<>();
    for (ChaosEngine.StartedMove m : run.chaos().startedMoves()) ownersBefore.putIfAbsent(m.shard(), m.ownersBefore());
    Set<String> startedByHarness = ownersBefore.keySet();
    List<JsonNode> moved = new ArrayList<>();
    for (JsonNode s : shards(run, null)) {
      String id = s.path("id").asText();
      boolean ownersChanged = firstOwners.containsKey(id) && !firstOwners.get(id).equals(s.path("node_ids").toString());
      if (ownersChanged || startedByHarness.contains(id)) moved.add(s);
    }
    if (moved.isEmpty()) {
      return Verdict.unknown(name, "no shard moved: the harness started no move and saw no shard change owners ("
          + firstOwners.size() + " shards polled)");
    }
    List<ShardMembership> members = moved.stream().map(ShardMembership::of).toList();
    Map<String, ExpectedShardRows.Bound> expected = ExpectedShardRows.of(members, run.history().ops(),
        new DatagenExpectedData(run.dataset(), run.generator()));
    List<String> problems = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    int proven = 0;
    for (JsonNode s : moved) {
      String id = s.path("id").asText();
      ExpectedShardRows.Bound want = expected.get(id);
      Set<String> now = new LinkedHashSet<>();
      s.path("node_ids").forEach(n -> now.add(n.asText()));
      List<String> former = new ArrayList<>();
      if (ownersBefore.containsKey(id)) {
        // the owners the harness saw just before it asked for the move
        for (String old : ownersBefore.get(id)) if (!now.contains(old)) former.add(old);
      } else if (firstOwners.containsKey(id)) {
        for (String old : firstOwners.get(id).replaceAll("[\\[\\]\"]", "").split(",")) {
          if (!old.isBlank() && !now.contains(old.trim())) former.add(old.trim());
        }
      }
      int before = problems.size();
      StringBuilder line = new StringBuilder("shard " + id + " expected " + want + " rows:");
      for (String owner : now) {
        long rows = localRows(run, owner, s);
        line.append(" owner ").append(owner).append(' ').append(rows < 0 ? "unreadable" : Long.toString(rows));
        if (rows < 0) problems.add("shard " + id + " unreadable on owner " + owner);
        else if (!want.holds(rows)) problems.add("shard " + id + " has " + rows + " rows on owner " + owner + ", expected " + want);
      }
      for (String old : former) {
        long rows = localRows(run, old, s);
        line.append(", former owner ").append(old).append(' ').append(rows < 0 ? "unreadable" : Long.toString(rows));
        if (rows != 0) problems.add("shard " + id + (rows < 0 ? " unreadable" : " still has " + rows + " rows") + " on former owner " + old);
      }
      if (former.isEmpty()) line.append(" (no former owner known to the harness)");
      seen.add(line.toString());
      if (want.max() > 0 && problems.size() == before) proven++;
    }
    long empty = moved.stream().filter(s -> expected.get(s.path("id").asText()).max() == 0).count();
    String measured = moved.size() + " moved, " + proven + " proven (rows as expected on every new owner, none on the former), "
        + empty + " with no expected row, " + problems.size() + " problems";
    String threshold = "each moved shard's expected rows on every new owner, 0 on former owners";
    String detail = String.join("; ", problems.isEmpty() ? seen : problems);
    if (!problems.isEmpty()) {
      return Verdict.fail(name, measured, threshold, detail).withExamples(Map.of("shards", seen.stream().limit(20).toList()));
    }
    if (proven == 0) return Verdict.unknown(name, "no moved shard had an expected row to prove the move: " + detail);
    return Verdict.pass(name, measured, threshold, "node-local counts vs rows computed from the generator and history: " + detail);
  }

  private static long localRows(Run run, String nodeId, JsonNode shard) {
    try {
      long[] n = {0};
      run.target().http().querySql(run.target().node(nodeId).clientUrl(), run.database(),
          "SELECT count(*) AS n FROM " + HttpActualData.quote(shard.path("table").asText()),
          Map.of("local", "true", "shard", shard.path("id").asText()), row -> n[0] = row.elements().next().asLong());
      return n[0];
    } catch (ClusterHttp.HttpError e) {
      return e.status() == 404 ? 0 : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Scenario 4.2, decommission: the listing shows the node Decommissioned and owning nothing, and the
   * harness's own node-local reads on it find no row of any of the run's tables.
   */
  public static Verdict decommissioned(Run run, String nodeId) throws Exception {
    String name = "node " + nodeId + " decommissioned";
    List<String> still = new ArrayList<>();
    for (JsonNode s : shards(run, null)) {
      for (JsonNode n : s.path("node_ids")) if (n.asText().equals(nodeId)) still.add(s.path("id").asText());
    }
    String status = "";
    for (JsonNode n : run.target().http().getJson(anyUrl(run) + "/api/v3/cluster/nodes")) {
      if (n.path("id").asText().equals(nodeId)) status = n.path("status").asText();
    }
    Map<String, Long> served = new LinkedHashMap<>();
    List<String> unreadable = new ArrayList<>();
    for (var t : run.dataset().tables()) {
      try {
        served.put(t.name(), nodeLocalRows(run, nodeId, t.name()));
      } catch (Exception e) {
        unreadable.add(t.name() + ": " + e.getMessage());
      }
    }
    long rows = served.values().stream().mapToLong(Long::longValue).sum();
    String measured = "status " + status + ", owns " + still.size() + " shards, serves " + rows + " rows node-locally " + served;
    String threshold = "Decommissioned, owns 0 shards, serves 0 rows";
    String detail = (still.isEmpty() ? "no shard lists node " + nodeId : "still listed by " + still)
        + "; node-local count(*) on node " + nodeId + " per table " + served + (unreadable.isEmpty() ? "" : "; unreadable: " + unreadable);
    if (!still.isEmpty() || !status.equals("Decommissioned") || rows > 0) return Verdict.fail(name, measured, threshold, detail);
    if (!unreadable.isEmpty() || served.isEmpty()) {
      return Verdict.unknown(name, "listing says Decommissioned and owning nothing, but the node's own rows could not be read: " + detail);
    }
    return Verdict.pass(name, measured, threshold, detail);
  }

  /** count(*) of one table on one node's own storage (every shard it holds); a 404 means it holds none. */
  private static long nodeLocalRows(Run run, String nodeId, String table) throws Exception {
    long[] n = {0};
    try {
      run.target().http().querySql(run.target().node(nodeId).clientUrl(), run.database(),
          "SELECT count(*) AS n FROM " + HttpActualData.quote(table), Map.of("local", "true"), row -> n[0] = row.elements().next().asLong());
    } catch (ClusterHttp.HttpError e) {
      if (e.status() == 404) return 0;
      throw e;
    }
    return n[0];
  }
}
