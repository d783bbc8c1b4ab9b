package io.loadchaos.cost;

import io.loadchaos.chaos.NodeControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * CPU (utime + stime of {@code /proc/<pid>/stat}) and memory (VmRSS, VmHWM of
 * {@code /proc/<pid>/status}) of a node's processes and all their descendants, for nodes whose
 * processes the target started on this host (local processes, or containers of a local Docker).
 */
public final class ProcSource implements UsageSource {
  /** USER_HZ, the unit of utime/stime: 100 on every Linux architecture the JDK runs on. */
  static final double TICKS_PER_SECOND = 100;
  private static final Path PROC = Path.of("/proc");

  private final Function<String, List<Long>> pidsOf;

  /** {@code pidsOf}: the node's current top-level pids (their descendants are added). */
  public ProcSource(Function<String, List<Long>> pidsOf) {
    this.pidsOf = pidsOf;
  }

  /** The pids a target's node control shows (a node that is not running has none). */
  public static ProcSource of(NodeControl control) {
    return new ProcSource(id -> {
      try {
        return control.process(id).hostPids();
      } catch (Exception e) {
        return List.of(); // not running right now
      }
    });
  }

  public static boolean available() {
    return Files.isRegularFile(PROC.resolve("self").resolve("stat"));
  }

  @Override
  public String name() {
    return "/proc";
  }

  @Override
  public List<ProcessUsage> read(String nodeId) {
    Set<Long> pids = new LinkedHashSet<>();
    for (long pid : pidsOf.apply(nodeId)) {
      pids.add(pid);
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isPresent()) {
        try (Stream<ProcessHandle> d = h.get().descendants()) {
          d.forEach(c -> pids.add(c.pid()));
        }
      }
    }
    List<ProcessUsage> out = new ArrayList<>();
    for (long pid : pids) {
      usage(pid).ifPresent(out::add);
    }
    return out;
  }

  /** The process's usage, empty when it is gone (or a zombie, whose counters no longer move). */
  static Optional<ProcessUsage> usage(long pid) {
    Path dir = PROC.resolve(Long.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"));
      // the command name may hold spaces and parentheses: the fields start after the last ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      if (f[0].equals("Z") || f[0].equals("X")) {
        return Optional.empty();
      }
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
      double rss = Double.NaN;
      double hwm = Double.NaN;
      for (String line : Files.readAllLines(dir.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line) / 1024.0;
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line) / 1024.0;
        }
      }
      return Optional.of(new ProcessUsage(pid + "@" + f[19], cpu, rss, hwm));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // exited while being read
    }
  }

  private static double kib(String line) {
    return Double.parseDouble(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
  }
}
