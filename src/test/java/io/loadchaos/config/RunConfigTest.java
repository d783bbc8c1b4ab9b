package io.loadchaos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunConfigTest {

  @Test
  void propertyBeatsEnvironmentBeatsSimulationDefaultBeatsKnobDefault() {
    Map<String, String> props = Map.of("loadchaos.writers", "7");
    Map<String, String> env = Map.of("LOADCHAOS_WRITERS", "5", "LOADCHAOS_BATCH_SIZE", "250");
    RunConfig c = RunConfig.resolve(props::get, env::get, Map.of("batchSize", "999", "duration", "5s"));
    assertThat(c.get(Knobs.WRITERS)).isEqualTo(7);
    assertThat(c.get(Knobs.BATCH_SIZE)).isEqualTo(250);
    assertThat(c.get(Knobs.DURATION)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.get(Knobs.NODES)).isEqualTo(3);
  }

  @Test
  void catalogIsMetaUnlessEtcdIsAskedForAndAnythingElseIsNamed() {
    assertThat(RunConfig.resolve(k -> null, k -> null, Map.of()).get(Knobs.CATALOG)).isEqualTo("meta");
    assertThat(RunConfig.resolve(Map.of("loadchaos.catalog", "etcd")::get, k -> null, Map.of()).get(Knobs.CATALOG)).isEqualTo("etcd");
    assertThatThrownBy(() -> RunConfig.resolve(Map.of("loadchaos.catalog", "zookeeper")::get, k -> null, Map.of()))
        .isInstanceOf(RunConfig.ConfigException.class)
        .hasMessageContaining("-Dloadchaos.catalog='zookeeper': expected one of meta, etcd");
  }

  @Test
  void everyBadKnobIsNamedWithWhatItAccepts() {
    Map<String, String> props = Map.of("loadchaos.writers", "zero", "loadchaos.endpoint", "v9",
        "loadchaos.duration", "soon");
    assertThatThrownBy(() -> RunConfig.resolve(props::get, k -> null, Map.of()))
        .isInstanceOf(RunConfig.ConfigException.class)
        .hasMessageContaining("-Dloadchaos.writers='zero': expected an integer in [1, 1000]")
        .hasMessageContaining("-Dloadchaos.endpoint='v9': expected one of v3, v2, v1")
        .hasMessageContaining("-Dloadchaos.duration='soon': expected a duration");
  }

  @Test
  void tokenIsRedactedEverywhere() {
    Map<String, String> props = Map.of("loadchaos.token", "s3cret", "loadchaos.nodes", "x");
    assertThatThrownBy(() -> RunConfig.resolve(props::get, k -> null, Map.of()))
        .hasMessageNotContaining("s3cret");
    RunConfig ok = RunConfig.resolve(Map.of("loadchaos.token", "s3cret")::get, k -> null, Map.of());
    assertThat(ok.get(Knobs.TOKEN)).isEqualTo("s3cret");
    assertThat(ok.redacted().toString()).doesNotContain("s3cret").contains("token=***");
  }

  @Test
  void envVarNamesFollowTheKnobNames() {
    assertThat(Knobs.BATCH_SIZE.envVar()).isEqualTo("LOADCHAOS_BATCH_SIZE");
    assertThat(Knobs.SLO_P99.envVar()).isEqualTo("LOADCHAOS_SLO_P99");
  }

  @Test
  void unknownSimulationDefaultIsRejected() {
    assertThatThrownBy(() -> RunConfig.resolve(k -> null, k -> null, Map.of("writerz", "3")))
        .hasMessageContaining("unknown knob 'writerz'");
  }

  @Test
  void aMisspeltKnobIsNamedWithTheClosestOne() {
    var unknown = RunConfig.unknownNames(List.of("loadchaos.writerz", "loadchaos.duration", "loadchaos.projectDir",
        "user.home"), List.of("LOADCHAOS_BATCHSIZE", "LOADCHAOS_SEED", "LOADCHAOS_DOCKERD_LOG", "PATH"));
    assertThat(unknown).containsExactly(
        "-Dloadchaos.writerz: no such knob (did you mean -Dloadchaos.writers? every knob is in the README)",
        "$LOADCHAOS_BATCHSIZE: no such knob (did you mean $LOADCHAOS_BATCH_SIZE? every knob is in the README)");
  }

  @Test
  void aWarmUpAsLongAsTheLoadIsRefusedNamingBothKnobs() {
    Map<String, String> props = Map.of("loadchaos.warmup", "20s", "loadchaos.duration", "20s");
    assertThatThrownBy(() -> RunConfig.resolve(props::get, k -> null, Map.of()))
        .isInstanceOf(RunConfig.ConfigException.class)
        .hasMessageContaining("-Dloadchaos.warmup='20s': must be shorter than -Dloadchaos.duration ('20s')");
    Map<String, String> ok = Map.of("loadchaos.warmup", "10s", "loadchaos.duration", "20s");
    assertThat(RunConfig.resolve(ok::get, k -> null, Map.of()).get(Knobs.WARMUP)).isEqualTo(Duration.ofSeconds(10));
  }
}
