package io.loadchaos.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Signals to child processes this JVM started, and the watchdog that kills them if this JVM dies.
 * Shared by every supervisor of child processes (cluster-file nodes, etcd ensembles).
 */
public final class ProcessSignals {
  private ProcessSignals() {}

  /** The signal to the process first, then to its descendants (a stopped parent cannot forward it). */
  public static void send(Process p, String sig) {
    List<String> pids = new ArrayList<>();
    pids.add(Long.toString(p.pid()));
    try (Stream<ProcessHandle> d = p.descendants()) {
      d.forEach(h -> pids.add(Long.toString(h.pid())));
    }
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
    cmd.addAll(pids);
    try {
      Process k = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0 && p.isAlive()) {
        throw new IllegalStateException("kill -" + sig + " " + pids + " failed: " + new String(k.getInputStream().readAllBytes()).trim());
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + sig + " " + pids + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pids);
    }
  }

  /** Waits up to {@code seconds} for the process to exit; false if it did not (or on interrupt). */
  public static boolean waitFor(Process p, int seconds) {
    try {
      return p.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Outlives this JVM: when it is gone (even SIGKILLed), resumes and kills every pid in the pid
   * file, which the caller keeps listing only processes it started.
   */
  public static Process watchdog(Path pidFile) {
    String f = pidFile.toAbsolutePath().toString();
    if (f.contains("'")) throw new IllegalArgumentException("run folder must not contain a quote: " + f);
    String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
        + "for p in $(cat '" + f + "'); do kill -CONT $p; kill -KILL $p; done 2>/dev/null";
    try {
      return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the watchdog for " + f, e);
    }
  }

  /** The last {@code lines} lines of a child's log, indented, for a start-failure message. */
  public static String logTail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return "    " + String.join("\n    ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "    (no log: " + e.getMessage() + ")";
    }
  }
}
