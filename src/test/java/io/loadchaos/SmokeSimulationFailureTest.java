package io.loadchaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A failing Gatling assertion must fail Maven while the HTML report is still written: runs
 * {@code mvn gatling:test -Dsmoke.p99=0} for real, in a separate results folder.
 */
class SmokeSimulationFailureTest {

  @Test
  void failingAssertionFailsMavenButKeepsTheHtmlReport() throws Exception {
    Path projectDir = Path.of(System.getProperty("loadchaos.projectDir", "."));
    Path results = projectDir.resolve("target/gatling-failure-test");
    deleteTree(results);
    Path log = projectDir.resolve("target/gatling-failure-test.log");
    Process mvn =
        new ProcessBuilder(
                List.of(
                    "mvn", "-B", "gatling:test",
                    "-Dgatling.simulationClass=io.loadchaos.simulations.SmokeSimulation",
                    "-Dsmoke.p99=0", "-Dsmoke.users=5",
                    "-Dgatling.resultsFolder=" + results))
            .directory(projectDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(mvn.waitFor(8, TimeUnit.MINUTES)).as("maven finished").isTrue();

    String output = Files.readString(log);
    assertThat(mvn.exitValue()).as("maven exit code\n" + output).isNotZero();
    assertThat(output).contains("99th percentile of response time is less than or equal to 0.0 : false");
    try (Stream<Path> files = Files.walk(results)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("index.html")))
          .as("Gatling HTML report under " + results)
          .isNotEmpty();
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
