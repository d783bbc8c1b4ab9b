package io.loadchaos.target.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Docker Compose CLI for one project: v2 ({@code docker compose}) when the docker CLI has
 * the plugin, else v1 ({@code docker-compose}). Every call names the project and the file, so only
 * that project's resources are touched. Output goes to a log file (and into the error on failure).
 */
public final class ComposeCli {
  private final List<String> base;
  private final Path file;
  private final String project;
  private final List<String> profiles;
  private final Map<String, String> env;
  private final Path log;

  public ComposeCli(List<String> base, Path file, String project, List<String> profiles, Map<String, String> env,
      Path log) {
    this.base = List.copyOf(base);
    this.file = file;
    this.project = project;
    this.profiles = List.copyOf(profiles);
    this.env = Map.copyOf(env);
    this.log = log;
  }

  /** The Compose CLI present on this machine, v2 preferred. */
  public static List<String> detect() {
    for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      List<String> cmd = new ArrayList<>(candidate);
      cmd.add("version");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return candidate;
        p.destroyForcibly();
      } catch (IOException e) {
        // this candidate is not installed; try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("no Docker Compose CLI found (neither 'docker compose' nor 'docker-compose'):"
        + " run 'bash docker/ensure-docker.sh'");
  }

  public List<String> base() {
    return base;
  }

  /** The full command line {@code compose -p PROJECT -f FILE [--profile P].. args}. */
  public List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("-p", project, "-f", file.toString()));
    for (String p : profiles) cmd.addAll(List.of("--profile", p));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The environment every call gets on top of this process's own. */
  public Map<String, String> env() {
    return env;
  }

  /** Runs {@link #command}; fails with its output on a non-zero exit. */
  public void run(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = command(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("loadchaos-compose", ".out");
    try {
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroy();
        throw e;
      }
      if (!done) {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      appendLog("$ " + String.join(" ", cmd) + "\n" + output);
      if (!done) throw new IOException(String.join(" ", cmd) + ": no answer within " + timeout + "\n" + output);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n" + output.strip());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private void appendLog(String text) {
    if (log == null) return;
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the compose log is a convenience; the command's own result decides success
    }
  }
}
