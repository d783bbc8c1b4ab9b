package io.loadchaos.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityPlanTest {
  @TempDir Path dir;

  @Test
  void theExamplePlanSweepsRfWithOneNodeDown() {
    CapacityPlan p = CapacityPlan.read(Path.of(System.getProperty("loadchaos.projectDir", "."))
        .resolve("docs/examples/capacity/rf-sweep.yaml"));
    assertThat(p.name()).isEqualTo("rf");
    assertThat(p.dimension()).isEqualTo("replicationFactor");
    assertThat(p.cases()).extracting(CapacityPlan.Case::label)
        .containsExactly("replicationFactor=1", "replicationFactor=2", "replicationFactor=3", "RF=3, one node down");
    assertThat(p.cases().get(0).knobs()).containsEntry("replicationFactor", "1").containsEntry("capacity.timeBudget", "2m");
    assertThat(p.cases().get(3).knobs()).containsEntry("replicationFactor", "3")
        .containsEntry("faults", "docs/examples/capacity/one-node-down.yaml");
    // the fault files of the examples are valid timelines
    for (String f : List.of("one-node-down.yaml", "slow-replica.yaml")) {
      assertThat(FaultTimeline.fromFile(Path.of(System.getProperty("loadchaos.projectDir", "."))
          .resolve("docs/examples/capacity/" + f).toString()).faults()).hasSize(1);
    }
  }

  @Test
  void badPlansNameTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> CapacityPlan.parse("values: [1]", "p.yaml"))
        .hasMessage("p.yaml: dimension: required, expected one of [nodes, replicationFactor, batchSize, dataset, faults]");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: rf\nvalues: [1]", "p.yaml"))
        .hasMessageStartingWith("p.yaml: dimension: unknown 'rf', expected one of [nodes");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes", "p.yaml"))
        .hasMessage("p.yaml: values: required, expected a non-empty list of nodes values");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: replicationFactor\nvalues: [1, 12]", "p.yaml"))
        .hasMessage("p.yaml: values[1]: replicationFactor: expected an integer in [1, 9] (got '12')");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes\nvalues: [{label: x}]", "p.yaml"))
        .hasMessage("p.yaml: values[0]: value: required, expected a nodes (1..9)");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes\nvalues: [{value: 3, knob: {}}]", "p.yaml"))
        .hasMessage("p.yaml: values[0]: unknown key 'knob', expected one of [knobs, label, value]");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes\nknobs: {capacity.timeBudgt: 2m}\nvalues: [3]", "p.yaml"))
        .hasMessage("p.yaml: knobs.capacity.timeBudgt: no such knob (every knob is in the README)");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes\nknobs: {capacity.growth: 1}\nvalues: [3]", "p.yaml"))
        .hasMessageStartingWith("p.yaml: knobs.capacity.growth: expected").hasMessageEndingWith("(got '1')");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes\nknobs: {nodes: 3}\nvalues: [3]", "p.yaml"))
        .hasMessage("p.yaml: knobs.nodes: is the dimension; give it per value under 'values:'");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes\nvalues: [3, 3]", "p.yaml"))
        .hasMessage("p.yaml: values[1]: label 'nodes=3' is used twice");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: nodes\nvalue: [3]", "p.yaml"))
        .hasMessage("p.yaml: unknown key 'value', expected one of [dimension, knobs, name, values]");
    assertThatThrownBy(() -> CapacityPlan.parse("dimension: [", "p.yaml")).hasMessageStartingWith("p.yaml: not valid YAML");
  }

  @Test
  void theSweepCommandRunsOneSimulationPerValueWithItsKnobs() throws Exception {
    Path plan = dir.resolve("plan.yaml");
    Files.writeString(plan, "name: batch\ndimension: batchSize\nknobs: {loadchaos.capacity.maxSteps: 6}\nvalues: [1000, 5000]\n");
    StringWriter out = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("capacity-sweep", "--plan", plan.toString(), "--dir", dir.toString(), "--dry-run")).isZero();
    assertThat(out.toString()).contains("1/2 batchSize=1000: mvn -B -o gatling:test -Dgatling.simulationClass="
        + "io.loadchaos.simulations.CapacitySimulation -Dloadchaos.runDir=" + dir.toAbsolutePath().resolve("batch-"))
        .contains("-Dloadchaos.batchSize=1000 -Dloadchaos.capacity.maxSteps=6")
        .contains("2/2 batchSize=5000:");

    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    Files.writeString(plan, "dimension: nodes\nvalues: [0]\n");
    assertThat(cli.execute("capacity-sweep", "--plan", plan.toString(), "--dry-run")).isEqualTo(2);
    assertThat(err.toString()).contains("plan.yaml: values[0]: nodes: expected an integer in [1, 9] (got '0')");
  }

  @Test
  void commandsCarryEveryKnobInNameOrder() {
    assertThat(CapacitySweepCommand.command("mvn", Path.of("/r"), Map.of("nodes", "5", "faults", "f.yaml")))
        .endsWith("-Dloadchaos.runDir=/r", "-Dloadchaos.faults=f.yaml", "-Dloadchaos.nodes=5");
  }
}
