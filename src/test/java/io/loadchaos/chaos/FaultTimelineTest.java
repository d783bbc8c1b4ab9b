package io.loadchaos.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTimelineTest {

  @Test
  void yamlTimelineIsParsedAndOrdered() {
    FaultTimeline t = FaultTimeline.parse("""
        faults:
          - {at: 30s, action: latency, target: "1->3", duration: 20s, params: {latency: 200ms, jitter: 50ms}}
          - {name: crash, at: 10s, action: kill, target: "node:2", duration: 10s}
        """, "t.yaml");
    assertThat(t.faults()).extracting(FaultSpec::name).containsExactly("crash", "latency-1->3");
    assertThat(t.faults().get(1).param("jitter", "")).isEqualTo("50ms");
    assertThat(t.faults().get(0).duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.needsLinkProxies()).isTrue();
  }

  @Test
  void badEntriesNameTheEntryAndTheField() {
    assertThatThrownBy(() -> FaultTimeline.parse("faults:\n  - {at: 1s, action: explode, target: random}\n", "f.yaml"))
        .hasMessageContaining("f.yaml: faults[0]").hasMessageContaining("unknown fault action 'explode'");
    assertThatThrownBy(() -> FaultTimeline.parse("faults:\n  - {at: 1s, action: kill}\n", "f.yaml"))
        .hasMessageContaining("'target' is required");
    assertThatThrownBy(() -> FaultTimeline.parse("faults:\n  - {at: 1s, action: kill, target: random, when: now}\n", "f.yaml"))
        .hasMessageContaining("unknown key 'when'");
    assertThatThrownBy(() -> FaultTimeline.parse("nope: 1\n", "f.yaml")).hasMessageContaining("'faults:'");
  }

  @Test
  void selectorsResolveWithTheSeedSoRunsRepeat() {
    List<String> nodes = List.of("1", "2", "3");
    TargetSelector a = new TargetSelector(7, t -> List.of(List.of("1", "2", "3")));
    TargetSelector b = new TargetSelector(7, t -> List.of(List.of("1", "2", "3")));
    for (int i = 0; i < 5; i++) assertThat(a.resolve("random", nodes)).isEqualTo(b.resolve("random", nodes));
    assertThat(a.resolve("minority", nodes)).hasSize(1);
    assertThat(a.resolve("majority", nodes)).hasSize(2);
    assertThat(a.resolve("majority:cpu", nodes)).hasSize(2);
    assertThat(a.resolve("node:3", nodes)).containsExactly("3");
    assertThatThrownBy(() -> a.resolve("node:9", nodes)).hasMessageContaining("no node '9'");
  }
}
