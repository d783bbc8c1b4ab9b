package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.chaos.RecoveryVerdicts;
import io.loadchaos.check.Verdict;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import io.loadchaos.target.LocalTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bug matrix: each scenario simulation (docs/scenarios.md) paired with the reference cluster's deliberate defect
 * that its named verdict must catch. Every pairing also runs clean (the control): the same
 * simulation and knobs without the defect must pass, and the named verdict must PASS there, so a
 * verdict that fails everything proves nothing. {@code ci} marks one pairing per verdict family
 * for the fast subset in {@code .ci/run}.
 */
final class BugPairings {
  private BugPairings() {}

  record Pairing(String simulation, String bug, String verdict, Map<String, String> knobs, boolean ci) {
    @Override
    public String toString() {
      return simulation + " vs --bug " + bug + " fails on '" + verdict + "'" + (knobs.isEmpty() ? "" : " " + knobs);
    }

    /** The clean control's identity: the same simulation with the same knobs. */
    String control() {
      return simulation + (knobs.isEmpty() ? "" : " " + knobs);
    }
  }

  private static Pairing p(String simulation, String bug, String verdict) {
    return new Pairing(simulation, bug, verdict, Map.of(), false);
  }

  private static Pairing p(String simulation, String bug, String verdict, Map<String, String> knobs) {
    return new Pairing(simulation, bug, verdict, knobs, false);
  }

  private static Pairing ci(Pairing p) {
    return new Pairing(p.simulation(), p.bug(), p.verdict(), p.knobs(), true);
  }

  static final List<Pairing> ALL = List.of(
      p("BaselineWrite", "ack-without-write=0.02", "read-back lost"),
      p("BasicReplication", "no-replication", "same answer from every node"),
      // not quorum-one: every batch also writes an RF=1 table whose single owner is often among the killed
      p("QuorumWrite", "ack-without-write=0.2", "no ack below quorum"),
      p("NodeFailureDuringWrite", "drop-hints", "replica consistency"),
      ci(p("NodeRecoveryCatchUp", "drop-hints", "replica consistency")),
      p("DataConsistency", "no-fsync", "replica consistency"),
      p("QueryShardedData", "prune-off-by-one", "sharded totals"),
      p("ShardPruning", "no-pruning", "shard pruning"),
      p("QueryAcrossHashPartitions", "prune-wrong-partition", "aggregate across hash partitions"),
      p("NodeFailureDuringQuery", "partial-results", "no silent partial results"),
      p("AddNodeAndRebalance", "move-early-cleanup", "read-back lost", Map.of("loadchaos.replicationFactor", "1")),
      // RF=3: node 3 owns every hot shard, so its moves always race writes (at RF=1 it may own none)
      p("DecommissionNode", "move-skip-catchup", "replica consistency"),
      p("HardCrash", "no-fsync", "replica consistency"),
      // the default job: the restarted node never gets the writes it missed
      p("KillAndMove", "drop-hints", "replica consistency"),
      p("ReadWriteDuringRebalance", "move-skip-catchup", "read-back lost", Map.of("loadchaos.replicationFactor", "1")),
      p("ManagementApiContract", "duplicate-node-ok", "api add duplicate node"),
      p("PartitionMinority", "quorum-one", "no ack from the cut-off side"),
      p("SlowReplica", "wait-all-owners", "slow owner off the write path"),
      // the exactness defects: replicas agree and counts match, only an exact check sees them
      p("BaselineWrite", "phantom-write=0.05", "read-back unexpected"),
      // quorum's 36 series put ~14 points of each series in a 500-point batch, so there is something to rotate
      ci(p("BaselineWrite", "shuffle-values", "read-back wrong-value",
          Map.of("loadchaos.dataset", "quorum", "loadchaos.duration", "20s"))),
      p("BaselineWrite", "stale-overwrite", "read-back wrong-value", Map.of("loadchaos.dataset", "overwrites")),
      p("QueryAcrossHashPartitions", "merge-duplicates", "read-back duplicated"),
      ci(p("QueryAcrossHashPartitions", "wrong-aggregate", "query correctness")),
      p("DataConsistency", "lost-on-restart=50", "read-back lost"),
      // the harness's own observation against the cluster's and the proxy's claims
      p("ClientLatency", LocalTarget.PROXY_STALE_CONNECTIONS, "latency observed"),
      p("CrashRestart", "slow-start=40", RecoveryVerdicts.nodeRecoveryName("crash"), Map.of("loadchaos.slo.nodeRecovery", "20s")));

  /** Every pairing, or those whose description matches {@code -DbugMatrix.only=<regex>} (to re-run a few). */
  static Stream<Pairing> all() {
    String only = System.getProperty("bugMatrix.only", "");
    Pattern p = Pattern.compile(only.isBlank() ? ".*" : only);
    return ALL.stream().filter(x -> p.matcher(x.toString()).find());
  }

  static Stream<Pairing> ciSubset() {
    return ALL.stream().filter(Pairing::ci);
  }

  /** One clean run per distinct simulation + knobs, naming every verdict its pairings depend on. */
  static Stream<Pairing> controls(Stream<Pairing> pairings) {
    Map<String, Pairing> byControl = new LinkedHashMap<>();
    pairings.forEach(p -> byControl.merge(p.control(), p, (a, b) -> new Pairing(a.simulation(), a.bug() + ", " + b.bug(),
        a.verdict().equals(b.verdict()) ? a.verdict() : a.verdict() + "|" + b.verdict(), a.knobs(), a.ci() || b.ci())));
    return byControl.values().stream();
  }

  /** Runs the pairing with its defect: the run fails, on the named verdict, with faults injected and healed. */
  static void failsOnItsVerdict(Pairing p) throws Exception {
    Map<String, String> props = new LinkedHashMap<>(p.knobs());
    props.put("loadchaos.bug", p.bug());
    var res = SimulationRunner.run("bug-" + p.simulation(), p.simulation() + "Simulation", props);
    assertThat(res.exitCode()).as("exit code of %s with --bug %s", p.simulation(), p.bug()).isNotZero();
    RunResult r = ResultsJson.read(res.runDir());
    assertThat(verdict(r, p.verdict()).status()).as("%s: %s", p.verdict(), verdict(r, p.verdict())).isEqualTo(Verdict.Status.FAIL);
    for (String mustPass : new String[] {"heal", "faults injected"}) {
      r.verdicts().stream().filter(v -> v.name().equals(mustPass))
          .forEach(v -> assertThat(v.status()).as("%s: %s", mustPass, v).isEqualTo(Verdict.Status.PASS));
    }
  }

  /** Runs the control: no defect, the run passes and every named verdict of its pairings is PASS. */
  static void controlPasses(Pairing p) throws Exception {
    var res = SimulationRunner.run("clean-" + p.simulation(), p.simulation() + "Simulation", p.knobs());
    RunResult r = ResultsJson.read(res.runDir());
    for (String name : p.verdict().split("\\|")) {
      assertThat(verdict(r, name).status()).as("clean %s: %s", p.simulation(), verdict(r, name)).isEqualTo(Verdict.Status.PASS);
    }
    assertThat(res.exitCode()).as("clean %s failed: %s", p.simulation(),
        r.verdicts().stream().filter(v -> !v.passed()).toList()).isZero();
  }

  private static Verdict verdict(RunResult r, String name) {
    return r.verdicts().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no verdict '" + name + "' in " + r.verdicts()));
  }
}
