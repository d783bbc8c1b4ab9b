package io.loadchaos.target.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes sure the images a compose run needs are on the Docker daemon, building the project's own
 * ({@link #OWN}) with docker/build-images.sh when one is missing or was built from other sources.
 * Staleness is a label: every image the compose target builds carries {@code io.loadchaos.inputs} =
 * {@link AppSources#inputsHash} of what it was built from; a different or absent value means stale.
 * Images that are not the project's (a user's LOADCHAOS_NODE_IMAGE) are never built, only required.
 */
public final class ComposeImages {
  public static final String INPUTS_LABEL = "io.loadchaos.inputs";
  public static final String PROJECT_LABEL = "io.loadchaos.project";
  public static final String NODE_IMAGE = "loadchaos-node:local";
  public static final String FAULTPROXY_IMAGE = "loadchaos-faultproxy:local";
  /** The images docker/build-images.sh builds (both at once). */
  public static final List<String> OWN = List.of(NODE_IMAGE, FAULTPROXY_IMAGE);
  /** LOADCHAOS_IMAGE_BUILD: {@code auto} (default) builds; {@code never} uses what is there as it is. */
  public static final String BUILD_MODE_ENV = "LOADCHAOS_IMAGE_BUILD";
  static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
  private static final Pattern STEP = Pattern.compile("^\\[build-images] step (\\d+/\\d+): (.*)$");
  private static final Pattern ERROR = Pattern.compile("^\\[build-images] error: (.*)$");

  private ComposeImages() {}

  public enum State {
    /** ours, built from the current inputs */
    FRESH,
    /** ours, not on the daemon */
    MISSING,
    /** ours, built from other inputs (or by hand, without the label) */
    STALE,
    /** not ours and present: used as it is */
    FOREIGN,
    /** not ours and absent: we cannot build it */
    FOREIGN_MISSING
  }

  public record Decision(String image, State state, String reason) {
    public boolean build() {
      return state == State.MISSING || state == State.STALE;
    }

    @Override
    public String toString() {
      return image + ": " + reason;
    }
  }

  /**
   * What to do with {@code image}; {@code labels} empty when it is not on the daemon, {@code inputs}
   * the current inputs hash.
   */
  public static Decision decide(String image, Optional<Map<String, String>> labels, String inputs) {
    boolean ours = OWN.contains(image);
    if (labels.isEmpty()) {
      return ours ? new Decision(image, State.MISSING, "missing (not on the Docker daemon)")
          : new Decision(image, State.FOREIGN_MISSING, "not on the Docker daemon");
    }
    if (!ours) return new Decision(image, State.FOREIGN, "present (not built by loadchaos, used as it is)");
    String built = labels.get().get(INPUTS_LABEL);
    if (built == null) {
      return new Decision(image, State.STALE, "stale (no " + INPUTS_LABEL + " label: built by hand from target/loadchaos.jar?)");
    }
    if (!built.equals(inputs)) {
      return new Decision(image, State.STALE, "stale (built from other sources: " + INPUTS_LABEL + "=" + built
          + ", now " + inputs + ")");
    }
    return new Decision(image, State.FRESH, "up to date (" + INPUTS_LABEL + "=" + inputs + ")");
  }

  /**
   * Ensures {@code images} are present, building the project's own from this JVM's code when they
   * are missing or stale. {@code dockerDir} holds build-images.sh and the Dockerfiles; the build's
   * output goes to {@code runDir/image-build.log} and, line by line, to {@code progress}.
   */
  public static void ensure(DockerClient docker, List<String> images, Path dockerDir, Path runDir, Map<String, String> env,
      Consumer<String> progress) throws IOException, InterruptedException {
    // the inputs are only looked at when one of the images is the project's own
    boolean anyOwn = images.stream().anyMatch(OWN::contains);
    AppSources app = anyOwn ? AppSources.ofRunningJvm() : null;
    String inputs = anyOwn ? app.inputsHash(dockerDir, env) : "";
    List<Decision> decisions = images.stream().map(i -> decide(i, labels(docker, i), inputs)).toList();
    for (Decision d : decisions) {
      if (d.state() == State.FOREIGN_MISSING) {
        throw new IllegalStateException("image " + d.image() + " is not on the Docker daemon: pull or load it (the compose"
            + " target builds only " + String.join(" and ", OWN) + ")");
      }
    }
    List<Decision> toBuild = decisions.stream().filter(Decision::build).toList();
    if (toBuild.isEmpty()) return;
    if ("never".equals(env.getOrDefault(BUILD_MODE_ENV, "auto"))) {
      for (Decision d : toBuild) {
        if (d.state() == State.MISSING) {
          throw new IllegalStateException("image " + d.image() + " is missing and " + BUILD_MODE_ENV + "=never: run 'mvn -B"
              + " package -DskipTests && bash docker/build-images.sh' (or unset " + BUILD_MODE_ENV + ")");
        }
        progress.accept("using image " + d.image() + " as it is (" + BUILD_MODE_ENV + "=never): " + d.reason());
      }
      return;
    }
    Path script = dockerDir.resolve("build-images.sh");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("image " + toBuild.get(0) + ", and there is no " + script + " to build it with");
    }
    progress.accept("images " + toBuild + ": building " + String.join(" and ", OWN) + " from " + app.code() + " + "
        + app.libs().size() + " jars (log: " + runDir.resolve("image-build.log") + ")");
    long t0 = System.nanoTime();
    build(app, inputs, script, runDir.resolve("image-build.log"), env, BUILD_TIMEOUT, progress);
    for (String image : OWN) {
      Decision after = decide(image, labels(docker, image), inputs);
      if (after.state() != State.FRESH) {
        throw new IllegalStateException("docker/build-images.sh ended but image " + after + "; see "
            + runDir.resolve("image-build.log"));
      }
    }
    progress.accept("images built in " + (System.nanoTime() - t0) / 1_000_000_000 + " s: " + String.join(", ", OWN)
        + " (" + INPUTS_LABEL + "=" + inputs + ")");
  }

  /**
   * {@link #ensure} for the project's own images, with a Docker client of its own: for callers that
   * need {@link #NODE_IMAGE} without a compose run (e.g. a test starting one node container).
   */
  public static void ensureOwn(Path dockerDir, Path logDir, Consumer<String> progress) throws IOException, InterruptedException {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig()).connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofMinutes(2))
        .build();
    try (DockerClient docker = DockerClientImpl.getInstance(config, http)) {
      ensure(docker, OWN, dockerDir, logDir, System.getenv(), progress);
    }
  }

  private static Optional<Map<String, String>> labels(DockerClient docker, String image) {
    try {
      var config = docker.inspectImageCmd(image).exec().getConfig();
      Map<String, String> labels = config == null ? null : config.getLabels();
      return Optional.of(labels == null ? Map.of() : labels);
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Runs {@code script} on a copy of {@code app} laid out in a temporary directory (removed
   * afterwards, also on failure), relaying its step lines; fails with the step that failed.
   */
  static void build(AppSources app, String inputs, Path script, Path log, Map<String, String> env, Duration timeout,
      Consumer<String> progress) throws IOException, InterruptedException {
    Path work = Files.createDirectories(script.toAbsolutePath().getParent().getParent().resolve("target/docker"));
    Path appDir = Files.createTempDirectory(work, "app-");
    try {
      app.writeTo(appDir);
      ProcessBuilder pb = new ProcessBuilder("bash", script.toAbsolutePath().toString()).redirectErrorStream(true);
      pb.environment().putAll(env);
      pb.environment().put("LOADCHAOS_APP_DIR", appDir.toString());
      pb.environment().put("LOADCHAOS_IMAGE_INPUTS", inputs);
      // the base image is jlink'ed from the JDK this JVM runs on
      Path javaBin = Path.of(System.getProperty("java.home"), "bin");
      if (Files.isExecutable(javaBin.resolve("jlink"))) {
        pb.environment().put("PATH", javaBin + File.pathSeparator + pb.environment().getOrDefault("PATH", ""));
      }
      Files.createDirectories(log.toAbsolutePath().getParent());
      Progress p = new Progress(progress);
      Process proc = pb.start();
      Thread reader = new Thread(() -> relay(proc, log, p), "loadchaos-image-build-output");
      reader.setDaemon(true);
      reader.start();
      boolean done;
      try {
        done = proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        stop(proc);
        throw e;
      }
      if (!done) stop(proc);
      reader.join(10_000);
      if (!done) throw new IllegalStateException(p.failure("did not finish within " + timeout, log));
      if (proc.exitValue() != 0) throw new IllegalStateException(p.failure("exited with " + proc.exitValue(), log));
    } finally {
      deleteTree(appDir);
    }
  }

  private static void relay(Process proc, Path log, Progress p) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        w.write(line);
        w.write('\n');
        w.flush();
        p.line(line);
      }
    } catch (IOException e) {
      // the process is gone or the log is not writable; the exit code still decides
    }
  }

  /** TERM the script (its EXIT trap removes its work dir and smoke container) and its children. */
  private static void stop(Process proc) throws InterruptedException {
    List<ProcessHandle> children = proc.descendants().toList();
    proc.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!proc.waitFor(30, TimeUnit.SECONDS)) {
      proc.descendants().forEach(ProcessHandle::destroyForcibly);
      proc.destroyForcibly();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("removing the image build's app directory " + dir, e);
    }
  }

  /** Turns the script's output into progress lines and remembers the current step and error. */
  static final class Progress {
    private final Consumer<String> out;
    private final long t0 = System.nanoTime();
    private final Deque<String> tail = new ArrayDeque<>();
    private String step;
    private String error;

    Progress(Consumer<String> out) {
      this.out = out;
    }

    synchronized void line(String line) {
      Matcher s = STEP.matcher(line);
      Matcher e = ERROR.matcher(line);
      if (s.matches()) {
        step = "step " + s.group(1) + ": " + s.group(2);
        out.accept("building image " + String.join(" + ", OWN) + " (" + step + ", +" + (System.nanoTime() - t0) / 1_000_000_000
            + " s)");
        return;
      }
      if (e.matches()) error = e.group(1);
      if (tail.size() == 5) tail.removeFirst();
      tail.addLast(line);
      out.accept("  " + line.replaceFirst("^\\[build-images] ", ""));
    }

    synchronized String failure(String how, Path log) {
      String where = step == null ? "before its first step" : "at " + step;
      String what = error != null ? error : String.join(" | ", new ArrayList<>(tail));
      return "building the compose images failed " + where + ": " + what + " (docker/build-images.sh " + how
          + "; full output: " + log + ")";
    }
  }
}
