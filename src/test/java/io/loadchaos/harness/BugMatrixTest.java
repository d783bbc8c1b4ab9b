package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.check.Verdict;
import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every strategy simulation against the reference cluster's matching deliberate defect: the run
 * exits non-zero and the named verdict fails, while faults were injected and healed. About 30
 * minutes, so not part of {@code mvn verify}: {@code mvn -B test -Pbug-matrix} runs it
 * (docs/chaos.md has the table and the measured results).
 */
@Tag("bug-matrix")
class BugMatrixTest {

  static Stream<Arguments> pairings() {
    return Stream.of(
        Arguments.of("BaselineWrite", "ack-without-write=0.02", "read-back lost", Map.of()),
        Arguments.of("BasicReplication", "no-replication", "same answer from every node", Map.of()),
        // not quorum-one: every batch also writes an RF=1 table whose single owner is often among the killed
        Arguments.of("QuorumWrite", "ack-without-write=0.2", "no ack below quorum", Map.of()),
        Arguments.of("NodeFailureDuringWrite", "drop-hints", "replica consistency", Map.of()),
        Arguments.of("NodeRecoveryCatchUp", "drop-hints", "replica consistency", Map.of()),
        Arguments.of("DataConsistency", "no-fsync", "replica consistency", Map.of()),
        Arguments.of("QueryShardedData", "prune-off-by-one", "sharded totals", Map.of()),
        Arguments.of("ShardPruning", "no-pruning", "shard pruning", Map.of()),
        Arguments.of("QueryAcrossHashPartitions", "prune-wrong-partition", "aggregate across hash partitions", Map.of()),
        Arguments.of("NodeFailureDuringQuery", "partial-results", "no silent partial results", Map.of()),
        Arguments.of("AddNodeAndRebalance", "move-early-cleanup", "read-back lost", Map.of("loadchaos.replicationFactor", "1")),
        // RF=3: node 3 owns every hot shard, so its moves always race writes (at RF=1 it may own none)
        Arguments.of("DecommissionNode", "move-skip-catchup", "replica consistency", Map.of()),
        Arguments.of("HardCrash", "no-fsync", "replica consistency", Map.of()),
        Arguments.of("ReadWriteDuringRebalance", "move-skip-catchup", "read-back lost", Map.of("loadchaos.replicationFactor", "1")),
        Arguments.of("ManagementApiContract", "duplicate-node-ok", "api add duplicate node", Map.of()),
        Arguments.of("PartitionMinority", "quorum-one", "no ack from the cut-off side", Map.of()),
        Arguments.of("SlowReplica", "wait-all-owners", "slow owner off the write path", Map.of()));
  }

  @ParameterizedTest(name = "{0} vs --bug {1} fails on ''{2}''")
  @MethodSource("pairings")
  void simulationFailsOnItsVerdict(String simulation, String bug, String verdict, Map<String, String> extra) throws Exception {
    Map<String, String> props = new LinkedHashMap<>(extra);
    props.put("loadchaos.bug", bug);
    var res = SimulationRunner.run("bug-" + simulation, simulation + "Simulation", props);
    assertThat(res.exitCode()).as("exit code of %s with --bug %s", simulation, bug).isNotZero();
    RunResult r = ResultsJson.read(res.runDir());
    Verdict named = r.verdicts().stream().filter(v -> v.name().equals(verdict)).findFirst()
        .orElseThrow(() -> new AssertionError("no verdict '" + verdict + "' in " + r.verdicts()));
    assertThat(named.status()).as("%s: %s", verdict, named).isEqualTo(Verdict.Status.FAIL);
    for (String mustPass : new String[] {"heal", "faults injected"}) {
      r.verdicts().stream().filter(v -> v.name().equals(mustPass))
          .forEach(v -> assertThat(v.status()).as("%s: %s", mustPass, v).isIn(Verdict.Status.PASS, Verdict.Status.SKIPPED));
    }
  }
}
