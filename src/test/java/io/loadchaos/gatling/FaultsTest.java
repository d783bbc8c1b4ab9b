package io.loadchaos.gatling;

import static io.loadchaos.gatling.Faults.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.chaos.FaultSpec;
import io.loadchaos.chaos.FaultTimeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every typed form builds exactly the FaultSpec the positional form of the simulations built
 * before, and the YAML files of docs/examples read into the same model.
 */
class FaultsTest {

  private static void same(Faults typed, FaultTimeline positional) {
    assertThat(typed.timeline().faults()).containsExactlyElementsOf(positional.faults());
  }

  @Test
  void everyFaultOfTheSimulationsMapsOntoThePositionalSpec() {
    // AddNodeAndRebalance
    same(faults().at(seconds(10)).addNode().moving(2, table("cpu")).named("add-node-and-move"),
        FaultTimeline.builder().at(10)
            .fault("add-node-and-move", FaultSpec.Action.ADD_NODE, "all", null, Map.of("moves", "2", "table", "cpu")).build());
    // ClientLatency
    same(faults().at(seconds(10)).latency(link(node("1"), proxied()), millis(150)).healAfter(seconds(10)).named("slow-node-1"),
        FaultTimeline.builder().at(10).fault("slow-node-1", FaultSpec.Action.LATENCY, "node:1", Duration.ofSeconds(10),
            Map.of("latency", "150ms", "from", "proxied")).build());
    // CrashRestart
    same(faults().at(seconds(12)).kill(randomNode()).healAfter(seconds(6)).named("crash"),
        FaultTimeline.builder().at(12).fault("crash", FaultSpec.Action.KILL, "random", Duration.ofSeconds(6), Map.of()).build());
    // DataConsistency
    same(faults().at(seconds(5)).kill(node("1")).healAfter(seconds(6))
            .at(seconds(24)).pause(node("2")).healAfter(seconds(5))
            .at(seconds(38)).restart(node("3")),
        FaultTimeline.builder().at(5).fault(FaultSpec.Action.KILL, "node:1", Duration.ofSeconds(6))
            .at(24).fault(FaultSpec.Action.PAUSE, "node:2", Duration.ofSeconds(5))
            .at(38).fault(FaultSpec.Action.RESTART, "node:3", null).build());
    // DecommissionNode
    same(faults().at(seconds(5)).addNode().named("add-node").at(seconds(15)).decommission(node("3")).named("decommission-3"),
        FaultTimeline.builder()
            .at(5).fault("add-node", FaultSpec.Action.ADD_NODE, "all", null, Map.of())
            .at(15).fault("decommission-3", FaultSpec.Action.DECOMMISSION, "node:3", null, Map.of()).build());
    // HardCrash
    same(faults().at(seconds(10)).kill(randomNode()),
        FaultTimeline.builder().at(10).fault(FaultSpec.Action.KILL, "random", null).build());
    // NodeFailureDuringQuery
    same(faults().at(seconds(10)).kill(node("2")).healAfter(seconds(10)),
        FaultTimeline.builder().at(10).fault(FaultSpec.Action.KILL, "node:2", Duration.ofSeconds(10)).build());
    // NodeFailureDuringWrite
    same(faults().at(seconds(12)).kill(randomNode()).healAfter(seconds(10)),
        FaultTimeline.builder().at(12).fault(FaultSpec.Action.KILL, "random", Duration.ofSeconds(10)).build());
    // NodeRecoveryCatchUp
    same(faults().at(seconds(8)).kill(node("3")).healAfter(seconds(15)),
        FaultTimeline.builder().at(8).fault(FaultSpec.Action.KILL, "node:3", Duration.ofSeconds(15)).build());
    // PartitionMinority
    same(faults().at(seconds(10)).partition(minority()).healAfter(seconds(12)).named("partition-minority"),
        FaultTimeline.builder().at(10).fault("partition-minority", FaultSpec.Action.PARTITION, "minority",
            Duration.ofSeconds(12), Map.of()).build());
    // QuorumWrite
    same(faults().at(seconds(12)).kill(majority()).healAfter(seconds(8)).named("kill-majority"),
        FaultTimeline.builder().at(12).fault("kill-majority", FaultSpec.Action.KILL, "majority", Duration.ofSeconds(8), Map.of())
            .build());
    // ReadWriteDuringRebalance
    same(faults().at(seconds(8)).moveShards(table("cpu"), 2, toNewNode()).newestFirst().named("move-2-shards"),
        FaultTimeline.builder().at(8).fault("move-2-shards", FaultSpec.Action.MOVE_SHARD, "table:cpu", null,
            Map.of("to", "new", "count", "2", "pick", "newest")).build());
    // SlowReplica
    same(faults().at(seconds(10)).latency(link(node("3"), peers()), millis(400)).jitter(millis(50))
            .healAfter(seconds(15)).named("slow-node-3"),
        FaultTimeline.builder().at(10).fault("slow-node-3", FaultSpec.Action.LATENCY, "node:3", Duration.ofSeconds(15),
            Map.of("latency", "400ms", "jitter", "50ms", "from", "peers")).build());
    // no faults
    assertThat(Faults.none().timeline().faults()).isEmpty();
  }

  @Test
  void theYamlExamplesReadIntoTheSameModel() {
    Path examples = Path.of(System.getProperty("loadchaos.projectDir", ".")).resolve("docs/examples/capacity");
    same(faults().at(seconds(0)).kill(node("3")).named("node-3-down"),
        FaultTimeline.fromFile(examples.resolve("one-node-down.yaml").toString()));
    same(faults().at(seconds(0)).latency(link(node("3"), peers()), millis(50)).named("slow-replica-3"),
        FaultTimeline.fromFile(examples.resolve("slow-replica.yaml").toString()));
    // docs/chaos.md's example: a named kill and a single-link latency with the default name
    same(faults().at(seconds(15)).kill(node("2")).healAfter(seconds(10)).named("crash-2")
            .at(seconds(30)).latency(link(node("1"), node("3")), millis(200)).jitter(millis(50)).healAfter(seconds(20)),
        FaultTimeline.parse("""
            faults:
              - name: crash-2
                at: 15s
                duration: 10s
                action: kill
                target: node:2
              - {at: 30s, duration: 20s, action: latency, target: "1->3", params: {latency: 200ms, jitter: 50ms}}
            """, "chaos.md"));
  }

  @Test
  void everyTargetWritesItsYamlText() {
    assertThat(node("2").spec()).isEqualTo("node:2");
    assertThat(randomNode().spec()).isEqualTo("random");
    assertThat(allNodes().spec()).isEqualTo("all");
    assertThat(minority().spec()).isEqualTo("minority");
    assertThat(majority(table("cpu")).spec()).isEqualTo("majority:cpu");
    assertThat(minority(table("cpu")).spec()).isEqualTo("minority:cpu");
    assertThat(shardOwners(table("cpu")).spec()).isEqualTo("shard-owners:cpu");
    assertThat(link(node("1"), node("3")).spec()).isEqualTo("1->3");
    assertThat(clientLink(node("2")).spec()).isEqualTo("client->2");
    assertThat(link(node("3"), clients()).params()).isEqualTo(Map.of("from", "clients"));
  }

  @Test
  void networkAndClusterFormsCarryTheParamsTheirNemesisReads() {
    FaultSpec bw = faults().at(seconds(1)).bandwidth(node("1"), 64).timeline().faults().get(0);
    assertThat(bw.action()).isEqualTo(FaultSpec.Action.BANDWIDTH);
    assertThat(bw.params()).isEqualTo(Map.of("rate", "64"));
    assertThat(faults().timeout(clientLink(node("1")), millis(0)).timeline().faults().get(0).params())
        .isEqualTo(Map.of("timeout", "0ms"));
    assertThat(faults().resetPeer(node("2"), millis(100)).stream("both").timeline().faults().get(0).params())
        .isEqualTo(Map.of("timeout", "100ms", "stream", "both"));
    FaultSpec down = faults().linkDown(link(node("1"), node("2"))).timeline().faults().get(0);
    assertThat(down.name()).isEqualTo("link-down-1->2");
    assertThat(faults().isolate(node("1")).timeline().faults().get(0).target()).isEqualTo("node:1");
    assertThat(faults().disconnect(node("1")).term(node("2")).timeline().faults())
        .extracting(FaultSpec::action).containsExactly(FaultSpec.Action.DISCONNECT, FaultSpec.Action.TERM);
    assertThat(faults().moveShards(table("cpu"), 1, toNode(node("4"))).timeline().faults().get(0).params())
        .isEqualTo(Map.of("to", "4", "count", "1"));
    assertThat(faults().nodeStatus(node("2"), "Inactive").timeline().faults().get(0).params())
        .isEqualTo(Map.of("status", "Inactive"));
  }

  @Test
  void anOffsetSetAfterAFaultIsTheNextFaultsNotItsOwn() {
    var specs = faults().at(seconds(3)).kill(node("1")).at(seconds(9)).timeline().faults();
    assertThat(specs).hasSize(1);
    assertThat(specs.get(0).at()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aModifierWithoutItsFaultNamesWhatIsMissing() {
    assertThatThrownBy(() -> faults().healAfter(seconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("healAfter(): no fault yet");
    assertThatThrownBy(() -> faults().kill(node("1")).jitter(millis(5)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("jitter() applies to [latency], not to the kill fault");
    assertThatThrownBy(() -> faults().kill(node("1")).newestFirst())
        .hasMessageContaining("newestFirst() applies to [move-shard, add-node]");
    assertThatThrownBy(() -> faults().latency(node("1"), millis(5)).stream("sideways"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected downstream, upstream or both");
  }
}
