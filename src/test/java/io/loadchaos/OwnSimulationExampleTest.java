package io.loadchaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/examples/own-simulation stays a faithful external project: it depends on this build's
 * version and Gatling plugin, and its simulation stays as short as the docs promise. (.ci/run
 * builds and runs it after {@code mvn install}.)
 */
class OwnSimulationExampleTest {
  private static final Path EXAMPLE = Path.of("docs/examples/own-simulation");

  @Test
  void dependsOnThisBuildsVersionAndPlugin() throws IOException {
    String ours = Files.readString(Path.of("pom.xml"));
    String theirs = Files.readString(EXAMPLE.resolve("pom.xml"));
    assertThat(tag(theirs, "loadchaos.version")).as("loadchaos.version of the example pom").isEqualTo(projectVersion(ours));
    assertThat(tag(theirs, "version", "gatling-maven-plugin</artifactId>\\s*"))
        .as("gatling-maven-plugin version of the example pom").isEqualTo(tag(ours, "gatling-maven-plugin.version"));
    assertThat(theirs).as("the example imports loadchaos's pom for its managed versions").contains("<type>pom</type>");
  }

  @Test
  void theSimulationIsAtMost25Lines() throws IOException {
    Path sim = EXAMPLE.resolve("src/test/java/example/MyChaosSimulation.java");
    assertThat(Files.readAllLines(sim)).hasSizeLessThanOrEqualTo(25);
    assertThat(Files.readString(sim)).contains("extends Simulation").contains("setUp(").contains("lc.assertions()");
  }

  private static String projectVersion(String pom) {
    // the project's own version: the first <version> after its artifactId
    return tag(pom, "version", "<artifactId>loadchaos</artifactId>\\s*");
  }

  private static String tag(String xml, String name) {
    return tag(xml, name, "");
  }

  private static String tag(String xml, String name, String before) {
    Matcher m = Pattern.compile(before + "<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(xml);
    assertThat(m.find()).as("<" + name + "> in a pom").isTrue();
    return m.group(1).trim();
  }
}
