package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed knob defaults and table setup read back as the same values their text forms gave. */
class RunSpecKnobsTest {

  @Test
  void typedKnobsResolveToTheValuesTheirTextFormsGave() {
    RunSpec spec = RunSpec.of("T").knob(Knobs.QUERY_USERS, 2).knob(Knobs.DURATION, Duration.ofSeconds(55))
        .knob(Knobs.QUERY_PAUSE, Duration.ofMillis(250)).knob(Knobs.FLIGHT, false).knob(Knobs.POINTS_PER_SECOND, 20000L)
        .knob(Knobs.DATASET, "quorum").knob(Knobs.BUGS, List.of("a", "b=0.1"));
    assertThat(spec.knobDefaults).containsEntry("duration", "55s").containsEntry("queryPause", "250ms")
        .containsEntry("queryUsers", "2").containsEntry("pointsPerSecond", "20000").containsEntry("bug", "a,b=0.1");
    RunConfig cfg = RunConfig.resolve(k -> null, e -> null, spec.knobDefaults);
    assertThat(cfg.get(Knobs.QUERY_USERS)).isEqualTo(2);
    assertThat(cfg.get(Knobs.DURATION)).isEqualTo(Duration.ofSeconds(55));
    assertThat(cfg.get(Knobs.QUERY_PAUSE)).isEqualTo(Duration.ofMillis(250));
    assertThat(cfg.get(Knobs.FLIGHT)).isFalse();
    assertThat(cfg.get(Knobs.POINTS_PER_SECOND)).isEqualTo(20000L);
    assertThat(cfg.get(Knobs.BUGS)).containsExactly("a", "b=0.1");
  }

  @Test
  void tableSetupReadsLikeTheRecordItBuilds() {
    assertThat(TableSetup.table("cpu").shardedBy("host").partitions(3).rf(2))
        .isEqualTo(new TableSetup("cpu", List.of("host"), 3, 2));
    assertThat(TableSetup.table("mem")).isEqualTo(new TableSetup("mem", List.of(), 1, 3));
    assertThatThrownBy(() -> TableSetup.table("cpu").partitions(0)).hasMessageContaining("table cpu: hash partitions must be >= 1");
  }
}
