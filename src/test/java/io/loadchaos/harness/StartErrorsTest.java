package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input stops `mvn gatling:test` before any load, as one readable message naming what is wrong. */
class StartErrorsTest {

  @Test
  void aMisspeltKnobStopsTheRunNamingTheClosestKnob() throws Exception {
    var res = SimulationRunner.run("start-error-knob", "BaselineWriteSimulation", Map.of("loadchaos.writerz", "3"));
    assertThat(res.exitCode()).isNotZero();
    assertThat(res.output()).contains("[loadchaos] the run cannot start:")
        .contains("-Dloadchaos.writerz: no such knob (did you mean -Dloadchaos.writers?")
        .doesNotContain("InvocationTargetException");
    assertThat(res.runDir()).isNull();
  }

  @Test
  void aBadClusterFileNamesTheFileTheNodeAndTheField() throws Exception {
    Path file = SimulationRunner.projectDir().resolve("target/it-bad-cluster.yaml");
    Files.writeString(file, "nodes:\n  - id: \"1\"\n    start: [\"influxd\"]\n");
    var res = SimulationRunner.run("start-error-cluster", "CrashRestartSimulation", Map.of("loadchaos.cluster", file.toString()));
    assertThat(res.exitCode()).isNotZero();
    assertThat(res.output()).contains("[loadchaos] the run cannot start:")
        .contains("cluster file " + file.toAbsolutePath())
        .contains("node \"1\": field 'url': missing");
  }

  @Test
  void aClusterThatCannotBeReachedLeavesNoEmptyRunFolder() throws Exception {
    // port 1 on loopback refuses: the target cannot open, so the run never had anything to keep
    var res = SimulationRunner.run("start-error-refused", "BaselineWriteSimulation",
        Map.of("loadchaos.target", "external", "loadchaos.urls", "http://127.0.0.1:1"));
    assertThat(res.exitCode()).isNotZero();
    assertThat(res.output()).contains("[loadchaos] the run cannot start:")
        .contains("no node of the external target answers HTTP: node 1 http://127.0.0.1:1: connection refused");
    assertThat(res.runDir()).isNull();
  }
}
