package io.loadchaos.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How gate ab builds a child run's command line (no child is started here). */
class MavenRunsTest {

  @TempDir Path dir;

  @Test
  void propertiesSplitLikeAShellForTheSimpleCases() {
    assertThat(MavenRuns.Props.split("")).isEmpty();
    assertThat(MavenRuns.Props.split("  -Da=1   -Db=2 ")).containsExactly("-Da=1", "-Db=2");
    assertThat(MavenRuns.Props.split("-Dx='a b' \"-Dy=c d\" -Dz=''")).containsExactly("-Dx=a b", "-Dy=c d", "-Dz=");
    assertThatThrownBy(() -> MavenRuns.Props.split("-Dx='a")).hasMessageContaining("unbalanced quote");
  }

  @Test
  void aRunIsMavenWithTheSimulationItsOwnRunDirTheCommonAndTheSideProperties() throws Exception {
    MavenRuns r = new MavenRuns("mvn -B -o -q", dir, "BaselineWrite", "-Dloadchaos.duration=10s", Duration.ofMinutes(1));
    Path cluster = Files.writeString(dir.resolve("b.yaml"), "nodes: []\n");
    List<String> side = MavenRuns.side("-Dloadchaos.bug=slow-write=1.3", cluster);
    assertThat(r.command(dir.resolve("pair1-B"), side)).containsExactly("mvn", "-B", "-o", "-q", "gatling:test",
        "-Dgatling.simulationClass=io.loadchaos.simulations.BaselineWriteSimulation",
        "-Dloadchaos.runDir=" + dir.resolve("pair1-B").toAbsolutePath(), "-Dloadchaos.duration=10s",
        "-Dloadchaos.bug=slow-write=1.3", "-Dloadchaos.cluster=" + cluster.toAbsolutePath());
    assertThat(MavenRuns.simulationClass("com.example.MySimulation")).isEqualTo("com.example.MySimulation");
    assertThat(MavenRuns.simulationClass("SmokeSimulation")).isEqualTo("io.loadchaos.simulations.SmokeSimulation");
    assertThatThrownBy(() -> MavenRuns.side("", dir.resolve("nope.yaml"))).hasMessageContaining("nope.yaml does not exist");
    assertThatThrownBy(() -> new MavenRuns("mvn", dir.resolve("nope"), "X", "", Duration.ofMinutes(1)))
        .hasMessageContaining("--project-dir");
  }
}
