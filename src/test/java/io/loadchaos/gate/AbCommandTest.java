package io.loadchaos.gate;

import static io.loadchaos.gate.GateTest.gate;
import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.report.ResultsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gate ab} and {@code gate bench} end to end through real child processes, with a stand-in
 * for Maven (a shell script that writes a prepared results.json where -Dloadchaos.runDir points):
 * the driver, the run discovery and the verdicts are real, the simulation is not.
 */
class AbCommandTest {

  @TempDir Path dir;

  @Test
  void abFlagsTheSlowBuildAndTheSwappedRunIsAnImprovementAndTheBenchCountsIt() throws Exception {
    Path fixtures = dir.resolve("fixtures");
    double[] noise = {1.0, 1.02, 0.98};
    for (int i = 0; i < noise.length; i++) {
      for (String kind : new String[] {"clean", "slow"}) {
        Path f = fixtures.resolve(kind + i);
        Files.createDirectories(f);
        ResultsJson.write(f, GateFixtures.run(1.0, noise[i] * (kind.equals("slow") ? 1.3 : 1.0), "Fixture-" + kind + i));
      }
    }
    Path mvn = dir.resolve("fake-mvn.sh");
    Files.writeString(mvn, """
        #!/bin/bash
        # stands in for mvn gatling:test: copies a prepared run into -Dloadchaos.runDir
        echo "$@" >> "%1$s/args.log"
        kind=clean; out=
        for a in "$@"; do
          case "$a" in
            -Dloadchaos.runDir=*) out="${a#-Dloadchaos.runDir=}" ;;
            -Dloadchaos.bug=slow-write=*) kind=slow ;;
          esac
        done
        n=$(cat "%1$s/count" 2>/dev/null || echo 0); echo $((n + 1)) > "%1$s/count"
        mkdir -p "$out/run$n" && cp "%2$s/$kind$((n / 2 %% 3))/results.json" "$out/run$n/"
        """.formatted(dir, fixtures));
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

    GateTest.Cli ab = gate("ab", "--pairs", "3", "--mvn", mvn.toString(), "--project-dir", dir.toString(), "--out",
        dir.resolve("ab").toString(), "--b-props", "-Dloadchaos.bug=slow-write=1.3", "--kinds", "p50,throughput");
    assertThat(ab.exit()).as(ab.out() + ab.err()).isEqualTo(GateCommand.REGRESSED);
    assertThat(ab.out()).contains("pair 3/3 B: running ... Fixture-slow").contains("B/A per pair")
        .containsPattern("write p50 \\[steady\\] +3 pairs .*\\+30\\.0% +\\[\\+\\d+\\.\\d%, \\+\\d+\\.\\d%\\] .*regressed")
        .contains("GATE FAILED");
    assertThat(Files.readString(dir.resolve("args.log")))
        .contains("gatling:test -Dgatling.simulationClass=io.loadchaos.simulations.BaselineWriteSimulation -Dloadchaos.runDir=" + dir.resolve("ab/pair1-A"));
    assertThat(dir.resolve("ab/ab.json")).exists();
    // A B, then B A: a drifting machine does not always favour the side that runs first
    String args = Files.readString(dir.resolve("args.log"));
    assertThat(args.indexOf("ab/pair1-A")).isLessThan(args.indexOf("ab/pair1-B"));
    assertThat(args.indexOf("ab/pair2-B")).isLessThan(args.indexOf("ab/pair2-A"));

    // swapped, with --expect as CI uses it to prove the gate: exit 0 only when the outcome is the expected one
    GateTest.Cli swapped = gate("ab", "--pairs", "3", "--mvn", mvn.toString(), "--project-dir", dir.toString(), "--out",
        dir.resolve("swapped").toString(), "--a-props", "-Dloadchaos.bug=slow-write=1.3", "--kinds", "p50,throughput",
        "--expect", "regressed");
    assertThat(swapped.out()).containsPattern("write p50 \\[steady\\] .*-23\\.1% .*improved").contains("GATE PASSED")
        .contains("expected regressed, got passed: FAILED");
    assertThat(swapped.exit()).isEqualTo(1);

    Files.delete(dir.resolve("count"));
    GateTest.Cli bench = gate("bench", "--trials", "1", "--pairs", "3", "--effects", "1.3", "--mvn", mvn.toString(),
        "--project-dir", dir.toString(), "--out", dir.resolve("bench").toString(), "--kinds", "p50");
    assertThat(bench.exit()).as(bench.out() + bench.err()).isZero();
    assertThat(bench.out()).contains("trial 1/1 round 3/3 B slow-write=1.3").contains("9/9 runs")
        .containsPattern("clean vs clean +1 +0 +1 +0 +false alarms 0/1")
        .containsPattern("slow-write=1.3 +1 +1 +0 +0 +detected 1/1")
        .contains("  clean vs clean: p50 0/1").contains("  slow-write=1.3: p50 1/1");
    assertThat(dir.resolve("bench/bench.json")).exists();
  }

  @Test
  void benchRoundsPlaceEachConditionAsFarBeforeTheControlAsAfterIt() {
    List<GateBenchCommand.Condition> cs = Stream.of("clean", "f1.1", "f1.3")
        .map(l -> new GateBenchCommand.Condition(l, List.of())).toList();
    // rounds 1 and 2 share a rotation: after A in round 1, before A (reversed) in round 2
    assertThat(labels(GateBenchCommand.roundOrder(cs, 1))).containsExactly("clean", "f1.1", "f1.3");
    assertThat(labels(GateBenchCommand.roundOrder(cs, 2))).containsExactly("f1.3", "f1.1", "clean");
    assertThat(labels(GateBenchCommand.roundOrder(cs, 3))).containsExactly("f1.1", "f1.3", "clean");
    assertThat(labels(GateBenchCommand.roundOrder(cs, 4))).containsExactly("clean", "f1.3", "f1.1");
    assertThat(AbCommand.aFirst(1)).isTrue();
    assertThat(AbCommand.aFirst(2)).isFalse();
  }

  private static List<String> labels(List<GateBenchCommand.Condition> cs) {
    return cs.stream().map(GateBenchCommand.Condition::label).toList();
  }
}
