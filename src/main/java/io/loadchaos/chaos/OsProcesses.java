package io.loadchaos.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process and its descendants as {@code /proc} shows them. Each pid is kept with its start time
 * (field 22 of {@code /proc/<pid>/stat}), so a pid the kernel reuses for another process counts as
 * gone. A process is stopped when every one of its threads is in state T (or t).
 */
public final class OsProcesses implements NodeProcess {
  private static final Path PROC = Path.of("/proc");
  private final Map<Long, String> startTimes;

  private OsProcesses(Map<Long, String> startTimes) {
    this.startTimes = startTimes;
  }

  /** The process and its descendants now; throws when /proc cannot show them. */
  public static OsProcesses of(ProcessHandle root) {
    if (!Files.isDirectory(PROC.resolve("self"))) {
      throw new UnsupportedOperationException("no /proc on this system: the harness cannot observe process states");
    }
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    try (Stream<ProcessHandle> d = root.descendants()) {
      d.forEach(all::add);
    }
    Map<Long, String> times = new LinkedHashMap<>();
    for (ProcessHandle h : all) {
      String[] stat = stat(h.pid());
      times.put(h.pid(), stat == null ? null : stat[19]);
    }
    return new OsProcesses(times);
  }

  public List<Long> pids() {
    return List.copyOf(startTimes.keySet());
  }

  @Override
  public List<Long> hostPids() {
    return pids();
  }

  @Override
  public String describe() {
    return "pids " + startTimes.keySet();
  }

  @Override
  public State observe() {
    boolean anyAlive = false;
    boolean allStopped = true;
    List<String> evidence = new ArrayList<>();
    for (var e : startTimes.entrySet()) {
      long pid = e.getKey();
      String[] stat = stat(pid);
      if (stat == null || e.getValue() == null || !stat[19].equals(e.getValue())) {
        evidence.add(pid + " gone");
        continue;
      }
      String state = stat[0];
      if (state.equals("Z") || state.equals("X")) {
        evidence.add(pid + " " + state + " (exited)");
        continue;
      }
      anyAlive = true;
      List<String> threads = threadStates(pid);
      long notStopped = threads.stream().filter(s -> !s.equals("T") && !s.equals("t")).count();
      if (notStopped > 0) allStopped = false;
      evidence.add(pid + " " + state + (threads.size() > 1 ? " (" + (threads.size() - notStopped) + " of " + threads.size()
          + " threads in T)" : ""));
    }
    return new State(!anyAlive, anyAlive && allStopped, String.join(", ", evidence));
  }

  /** The fields of /proc/<pid>/stat after the command name: [0] is the state, [19] the start time; null if absent. */
  private static String[] stat(long pid) {
    return statFile(PROC.resolve(Long.toString(pid)).resolve("stat"));
  }

  private static String[] statFile(Path file) {
    try {
      String s = Files.readString(file);
      // the command name may hold spaces and parentheses: the fields start after the last ')'
      return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static List<String> threadStates(long pid) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
      tasks.forEach(t -> {
        String[] f = statFile(t.resolve("stat"));
        if (f != null) out.add(f[0]);
      });
    } catch (IOException e) {
      // the process exited while being read: its threads count as none
    }
    return out;
  }
}
