package io.loadchaos.target.compose;

import io.loadchaos.check.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scans collected container logs for signs that a process died badly: JVM uncaught exceptions and
 * OutOfMemoryError, JVM crashes, and Rust/Go panics (a real InfluxDB 3 node is written in Rust).
 * Exceptions a node logs and handles (a peer down during a fault) are expected and not counted.
 */
public final class ContainerLogScan {
  public static final String VERDICT = "node logs";

  /** What counts as a bad sign, by kind. */
  static final Map<String, Pattern> SIGNS = new LinkedHashMap<>();

  static {
    SIGNS.put("out of memory", Pattern.compile("OutOfMemoryError|out of memory|memory allocation of \\d+ bytes failed"));
    SIGNS.put("uncaught exception", Pattern.compile("Exception in thread \"|Uncaught exception|uncaught exception"));
    SIGNS.put("panic", Pattern.compile("panicked at|(^|\\s)panic: "));
    SIGNS.put("crash", Pattern.compile("A fatal error has been detected by the Java Runtime|SIGSEGV|SIGABRT|core dumped"));
  }

  private static final int MAX_EXAMPLES = 5;

  private ContainerLogScan() {}

  /** Scans every {@code *.log} file of {@code logDir}; no logs at all is UNKNOWN, not a pass. */
  public static Verdict scan(Path logDir) {
    List<Path> logs;
    try (Stream<Path> s = Files.list(logDir)) {
      logs = s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
    } catch (IOException e) {
      return Verdict.unknown(VERDICT, "no container logs were collected in " + logDir + ": " + e.getMessage());
    }
    if (logs.isEmpty()) return Verdict.unknown(VERDICT, "no container logs were collected in " + logDir);
    Map<String, List<String>> examples = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    long lines = 0;
    for (Path log : logs) {
      String container = log.getFileName().toString().replaceFirst("\\.log$", "");
      try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
          no++;
          lines++;
          for (var sign : SIGNS.entrySet()) {
            if (sign.getValue().matcher(line).find()) {
              counts.merge(sign.getKey(), 1, Integer::sum);
              List<String> ex = examples.computeIfAbsent(sign.getKey(), k -> new ArrayList<>());
              if (ex.size() < MAX_EXAMPLES) ex.add(container + ":" + no + ": " + abbreviate(line));
              break;
            }
          }
        }
      } catch (IOException e) {
        return Verdict.unknown(VERDICT, "cannot read " + log + ": " + e.getMessage());
      }
    }
    int bad = counts.values().stream().mapToInt(Integer::intValue).sum();
    String measured = bad == 0 ? "0 bad lines" : bad + " bad lines " + counts;
    String detail = logs.size() + " container logs, " + lines + " lines scanned for "
        + String.join(", ", SIGNS.keySet());
    return Verdict.of(VERDICT, bad == 0, measured, "0", detail).withExamples(examples);
  }

  private static String abbreviate(String line) {
    String s = line.strip();
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
