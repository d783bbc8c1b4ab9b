package io.loadchaos.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeOptionsTest {
  static final Path FILE = Path.of(System.getProperty("loadchaos.projectDir", ".")).resolve("docker/compose.yaml");

  @Test
  void runIdsBecomeValidComposeProjectNames() {
    assertThat(ComposeTarget.projectName("NodeFailureDuringWrite-20261126-171452"))
        .isEqualTo("nodefailureduringwrite-20261126-171452");
    assertThat(ComposeTarget.projectName("__My Run: #1")).isEqualTo("my-run-1");
    assertThatThrownBy(() -> ComposeTarget.projectName("--"))
        .hasMessageContaining("run id '--' has no usable characters");
  }

  @Test
  void badOptionsNameTheKnob() {
    assertThatThrownBy(() -> ComposeTarget.Options.defaults(Path.of("nope/compose.yaml"), "r", Path.of("x")))
        .hasMessageContaining("loadchaos.composeFile: no compose file at nope/compose.yaml");
    assertThatThrownBy(() -> ComposeTarget.Options.defaults(FILE, "r", Path.of("x")).withNodes(5))
        .hasMessageContaining("loadchaos.nodes: the compose target runs 1..4 nodes, got 5");
    assertThatThrownBy(() -> new ComposeTarget.Options(FILE, "r", Path.of("x"), 3, 0, List.of(), "", Duration.ofSeconds(1),
        List.of(), Map.of())).hasMessageContaining("loadchaos.replicationFactor");
    assertThat(new ComposeTarget.Options(FILE, "r", Path.of("x"), 3, 3, List.of(), " ", Duration.ofSeconds(1),
        List.of(), Map.of()).token()).isNull();
  }

  @Test
  void peerLinksHaveOnePortPerOrderedPair() {
    assertThat(ComposeTarget.peerLinkPort(1, 2)).isEqualTo(19012);
    assertThat(ComposeTarget.peerLinkPort(4, 3)).isEqualTo(19043);
  }
}
