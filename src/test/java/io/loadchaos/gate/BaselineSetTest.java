package io.loadchaos.gate;

import static io.loadchaos.gate.GateTest.gate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.report.ResultsJson;
import io.loadchaos.report.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline file: format 2 round trip, migration of the single-run format. */
class BaselineSetTest {

  @TempDir Path dir;

  @Test
  void aSetRoundTripsThroughItsFile() throws Exception {
    BaselineSet.LoadAverage load = new BaselineSet.LoadAverage(1.5, 1.25, 0.75, 2);
    BaselineSet set = BaselineSet.of("Fixture", List.of(BaselineSet.Entry.of(GateFixtures.withConfig(
        Map.of("writers", "4", "dataset", "devops", "bug", "slow-write=1.3", "runDir", "target/x"), "Fixture-1"), load)), 10);
    set = new BaselineSet(set.format(), set.simulation(), set.keep(), Map.of(Baseline.Kind.P99, 0.2), set.runs());
    Path file = dir.resolve("b.json");
    set.write(file);
    BaselineSet.Loaded back = BaselineSet.read(file);
    assertThat(back.migration()).isNull();
    assertThat(back.set()).isEqualTo(set);
    RunIdentity id = back.set().runs().get(0).identity();
    assertThat(id.simulation()).isEqualTo("Fixture");
    assertThat(id.target()).isEqualTo("local");
    assertThat(id.dataset()).isEqualTo("devops");
    // the build under test and where results go are not part of the identity
    assertThat(id.knobs()).containsEntry("writers", "4").doesNotContainKeys("bug", "runDir");
    assertThat(back.set().minEffect(Baseline.Kind.P99, 0.05)).isEqualTo(0.2);
    assertThat(Files.readString(file)).contains("\"format\" : 2").contains("\"oneMinute\" : 1.5").contains("\"p99\" : 0.2");
  }

  @Test
  void aSingleRunBaselineIsMigratedAsASetOfOneAndSaysSo() throws Exception {
    Path file = dir.resolve("old.json");
    RunResult old = GateFixtures.run(1.0);
    new Baseline(old.simulation(), old.runId(), "2026-11-26T12:00:00Z",
        Map.of(Baseline.Kind.THROUGHPUT, new Baseline.Tolerance(0.2, 0)), Baseline.metricsOf(old)).write(file);
    BaselineSet.Loaded loaded = BaselineSet.read(file);
    assertThat(loaded.migration()).contains("single-run format").contains("set of 1 run").contains("Fixture-20261126-120000");
    assertThat(loaded.set().runs()).singleElement().satisfies(e -> {
      assertThat(e.runId()).isEqualTo("Fixture-20261126-120000");
      assertThat(e.identity()).isNull();
      assertThat(e.metrics()).isNotEmpty().allSatisfy(m -> assertThat(m.tolerance()).isNull());
    });

    Path run = dir.resolve("run");
    Files.createDirectories(run);
    ResultsJson.write(run, GateFixtures.run(1.0, 1.0, "Fixture-20261130-120000"));
    GateTest.Cli cmp = gate("--baseline", file.toString(), "--run", run.toString());
    assertThat(cmp.exit()).isEqualTo(GateCommand.UNDECIDED);
    assertThat(cmp.out()).contains("note: baseline").contains("single-run format").contains("baseline has 1 run; needs >= 3");

    // --update rewrites it in format 2 with the migrated run kept
    GateTest.Cli up = gate("--baseline", file.toString(), "--run", run.toString(), "--update");
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(up.out()).contains("rewriting it in format 2").contains("holds 2 of at most 10 runs").contains("needs >= 3");
    BaselineSet now = BaselineSet.read(file).set();
    assertThat(now.runs()).extracting(BaselineSet.Entry::runId).containsExactly("Fixture-20261126-120000", "Fixture-20261130-120000");
    assertThat(now.identity()).isNotNull();
  }

  @Test
  void theCommittedBaselineStillLoads() throws Exception {
    Path committed = Path.of("baselines/BaselineWrite.json");
    BaselineSet.Loaded loaded = BaselineSet.read(committed);
    assertThat(loaded.set().simulation()).isEqualTo("BaselineWrite");
    assertThat(loaded.set().runs()).isNotEmpty();
  }

  @Test
  void badSetsAreNamed() throws Exception {
    Path f = dir.resolve("f.json");
    Files.writeString(f, "{\"format\":2,\"simulation\":\"Fixture\",\"keep\":10,\"runs\":[]}");
    assertThatThrownBy(() -> BaselineSet.read(f)).hasMessageContaining("f.json").hasMessageContaining("'runs' is missing or empty");
    Files.writeString(f, "{\"format\":3,\"simulation\":\"Fixture\",\"keep\":10,\"runs\":[{\"runId\":\"a\",\"metrics\":[]}]}");
    assertThatThrownBy(() -> BaselineSet.read(f)).hasMessageContaining("'format' is 3, expected 2");
    Files.writeString(f, "{\"format\":2,\"simulation\":\"Fixture\",\"keep\":10,\"runs\":[{\"runId\":\"a\",\"metrics\":[]}]}");
    assertThatThrownBy(() -> BaselineSet.read(f)).hasMessageContaining("runs[0].metrics is missing or empty");
    Files.writeString(f, "{\"format\":2,\"simulation\":\"Fixture\",\"keep\":10,\"minEffect\":{\"p99\":1.5},"
        + "\"runs\":[{\"runId\":\"a\",\"metrics\":[{\"name\":\"x\",\"kind\":\"p99\",\"value\":1}]}]}");
    assertThatThrownBy(() -> BaselineSet.read(f)).hasMessageContaining("minEffect.p99 must be in [0, 1)");
  }
}
