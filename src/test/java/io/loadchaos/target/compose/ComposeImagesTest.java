package io.loadchaos.target.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadchaos.target.compose.ComposeImages.Decision;
import io.loadchaos.target.compose.ComposeImages.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compose target's build-or-not decision, the image inputs fingerprint and the app layout. */
class ComposeImagesTest {
  static final Path PROJECT = Path.of(System.getProperty("loadchaos.projectDir", "."));

  @TempDir Path tmp;

  @Test
  void missingOrStaleProjectImagesAreBuiltFreshOnesAndForeignOnesAreNot() {
    String node = ComposeImages.NODE_IMAGE;
    assertThat(ComposeImages.decide(node, Optional.empty(), "abc")).extracting(Decision::state, Decision::build)
        .containsExactly(State.MISSING, true);
    Decision byHand = ComposeImages.decide(node, Optional.of(Map.of("io.loadchaos.project", "loadchaos")), "abc");
    assertThat(byHand.state()).isEqualTo(State.STALE);
    assertThat(byHand.reason()).contains("no io.loadchaos.inputs label");
    Decision other = ComposeImages.decide(ComposeImages.FAULTPROXY_IMAGE, Optional.of(Map.of(ComposeImages.INPUTS_LABEL, "old")),
        "abc");
    assertThat(other.build()).isTrue();
    assertThat(other.reason()).contains("io.loadchaos.inputs=old, now abc");
    assertThat(ComposeImages.decide(node, Optional.of(Map.of(ComposeImages.INPUTS_LABEL, "abc")), "abc"))
        .extracting(Decision::state, Decision::build).containsExactly(State.FRESH, false);
    // a user's own image (e.g. a real InfluxDB 3) is never built, only required
    assertThat(ComposeImages.decide("influxdb:3-enterprise", Optional.of(Map.of()), "abc"))
        .extracting(Decision::state, Decision::build).containsExactly(State.FOREIGN, false);
    assertThat(ComposeImages.decide("influxdb:3-enterprise", Optional.empty(), "abc"))
        .extracting(Decision::state, Decision::build).containsExactly(State.FOREIGN_MISSING, false);
  }

  @Test
  void inputsHashFollowsClassContentAndJarNamesButNotTimestamps() throws IOException {
    Path classes = Files.createDirectories(tmp.resolve("target/classes/io/x"));
    Files.writeString(classes.resolve("A.class"), "a1");
    Path jar = Files.writeString(tmp.resolve("dep-1.0.jar"), "jar bytes");
    Files.writeString(tmp.resolve("target/runtime-classpath.txt"), jar.toString() + "\n");
    Path docker = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(docker.resolve("node.Dockerfile"), "FROM x");

    AppSources app = AppSources.of(tmp.resolve("target/classes"), "");
    assertThat(app.libs()).containsExactly(jar);
    String h = app.inputsHash(docker, Map.of());
    assertThat(h).hasSize(12).isEqualTo(app.inputsHash(docker, Map.of()));

    Files.setLastModifiedTime(classes.resolve("A.class"), FileTime.fromMillis(0));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(0));
    assertThat(app.inputsHash(docker, Map.of())).as("timestamps only").isEqualTo(h);

    Files.writeString(classes.resolve("A.class"), "a2");
    String h2 = app.inputsHash(docker, Map.of());
    assertThat(h2).as("a class changed").isNotEqualTo(h);
    Files.writeString(docker.resolve("node.Dockerfile"), "FROM y");
    String h3 = app.inputsHash(docker, Map.of());
    assertThat(h3).as("a Dockerfile changed").isNotEqualTo(h2);
    assertThat(app.inputsHash(docker, Map.of("LOADCHAOS_BASE_IMAGE", "eclipse-temurin:17-jre"))).as("another base")
        .isNotEqualTo(h3);
    Files.writeString(jar, "other jar bytes");
    assertThat(app.inputsHash(docker, Map.of())).as("a jar changed size").isNotEqualTo(h3);
  }

  @Test
  void theLaidOutAppIsReproducibleAndRunsWithJavaJar() throws Exception {
    AppSources app = AppSources.ofRunningJvm();
    assertThat(app.code()).as("tests run from target/classes").isDirectory();
    assertThat(app.libs()).as("runtime jars from target/runtime-classpath.txt, no test jars")
        .isNotEmpty().noneMatch(p -> p.getFileName().toString().startsWith("gatling-")
            || p.getFileName().toString().startsWith("assertj-"));
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    app.writeTo(a);
    app.writeTo(b);
    assertThat(Files.mismatch(a.resolve("loadchaos.jar"), b.resolve("loadchaos.jar"))).as("same bytes").isEqualTo(-1L);
    try (JarFile j = new JarFile(a.resolve("loadchaos.jar").toFile());
        Stream<Path> lib = Files.list(a.resolve("lib"))) {
      Attributes m = j.getManifest().getMainAttributes();
      assertThat(m.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo(AppSources.MAIN_CLASS);
      assertThat(m.getValue(Attributes.Name.CLASS_PATH).split(" ")).hasSize(app.libs().size());
      assertThat(lib.count()).isEqualTo(app.libs().size());
    }
    // what the image's entrypoint runs: java -jar /app/loadchaos.jar
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        a.resolve("loadchaos.jar").toString(), "--help").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as(out).contains("node").contains("faultproxy");
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void aFailedBuildNamesItsStepAndLeavesNoWorkDirectory() throws Exception {
    Path script = PROJECT.resolve("docker/build-images.sh");
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(classes.resolve("X.class"), "x");
    AppSources app = new AppSources(classes, List.of());
    Path log = tmp.resolve("run/image-build.log");
    List<String> lines = new ArrayList<>();
    Path dockerWork = PROJECT.resolve("target/docker");
    List<Path> before = listing(dockerWork);
    // build() lays out a real app (loadchaos.jar + lib/), so the script passes its file checks and
    // stops at the daemon check: DOCKER_HOST points at a socket nobody listens on
    Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-docker.sock"));
    assertThatThrownBy(() -> ComposeImages.build(app, "abc", script, log, env, Duration.ofMinutes(1), lines::add))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed at step 1/6: prerequisites")
        .hasMessageContaining("no Docker daemon answers: run 'bash docker/ensure-docker.sh'")
        .hasMessageContaining(log.toString());
    assertThat(lines).first().asString().startsWith("building image loadchaos-node:local + loadchaos-faultproxy:local (step 1/6");
    assertThat(Files.readString(log)).contains("[build-images] error: no Docker daemon answers");
    assertThat(listing(dockerWork)).as("no app-* or build.* directory left in target/docker").isEqualTo(before);
  }

  private static List<Path> listing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
