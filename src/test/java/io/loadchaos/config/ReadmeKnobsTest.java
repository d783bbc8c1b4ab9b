package io.loadchaos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's knob table must list every knob the code accepts. */
class ReadmeKnobsTest {

  @Test
  void everyKnobIsDocumentedWithItsDefault() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("loadchaos.projectDir", ".")).resolve("README.md"));
    for (Knob<?> k : Knobs.ALL) {
      assertThat(readme).as("README row for " + k.property())
          .contains("| `" + k.property() + "` / `" + k.envVar() + "` | `" + k.defaultValue() + "` |");
    }
  }
}
