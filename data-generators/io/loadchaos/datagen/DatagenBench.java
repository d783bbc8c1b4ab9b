package io.loadchaos.datagen;

import com.sun.management.ThreadMXBean;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loadchaos datagen bench}: single-thread generation speed (lines/s, MB/s) and bytes
 * allocated per line, then the same generator over 1,000 and 10,000,000 series to show that memory
 * does not grow with the series count.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure single-thread line-protocol generation: lines/s, MB/s, allocation per line.")
public final class DatagenBench implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  @Option(names = "--spec", defaultValue = "devops", description = "spec to generate (default: ${DEFAULT-VALUE})")
  String spec;

  @Option(names = "--seconds", defaultValue = "10", description = "measured seconds (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "3", description = "warm-up seconds (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--batch-size", defaultValue = "5000", description = "points per batch (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Override
  public Integer call() {
    PrintWriter out = commandSpec.commandLine().getOut();
    if (seconds < 1 || seconds > 600 || warmupSeconds < 0 || warmupSeconds > 600) {
      commandSpec.commandLine().getErr().println("datagen bench: --seconds must be in 1..600 and --warmup-seconds in 0..600");
      return 2;
    }
    DatasetSpec dataset;
    try {
      dataset = DatasetSpec.resolve(spec).unbounded();
    } catch (IllegalArgumentException e) {
      commandSpec.commandLine().getErr().println("datagen bench: " + e.getMessage());
      return 2;
    }
    var gen = new LineProtocolGenerator(dataset, new GeneratorConfig(1, 1, batchSize, 0));
    out.printf("datagen bench: spec %s, batch size %d, 1 thread, %d s warm-up + %d s measured%n", dataset.name(),
        batchSize, warmupSeconds, seconds);
    out.flush();
    Result warm = run(gen, Duration.ofSeconds(warmupSeconds), 0);
    Result r = run(gen, Duration.ofSeconds(seconds), warm.nextSeq);
    out.printf("lines/s         %,.0f (wall clock)%n", r.lines / r.seconds);
    out.printf("lines/cpu-s     %,.0f (per second of this thread's CPU time: the per-core rate, even on a busy machine)%n",
        r.lines / r.cpuSeconds);
    out.printf("MB/s            %,.1f (%.1f bytes per line; %,.1f per cpu-s)%n", r.bytes / r.seconds / 1e6,
        (double) r.bytes / r.lines, r.bytes / r.cpuSeconds / 1e6);
    out.printf("allocated       %.3f bytes per line (thread allocation counter)%n", r.allocatedPerLine());
    out.flush();
    for (long series : List.of(1_000L, 10_000_000L)) {
      DatasetSpec wide = seriesSpec(series);
      var g = new LineProtocolGenerator(wide, new GeneratorConfig(1, 1, batchSize, 0));
      run(g, Duration.ofSeconds(1), 0);
      Result m = run(g, Duration.ofSeconds(2), 1_000_000);
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      out.printf("memory          %,d series: %.3f bytes allocated per line, %,.0f lines/s, heap after GC %,d KiB%n",
          series, m.allocatedPerLine(), m.lines / m.seconds, heap / 1024);
      out.flush();
    }
    out.println("memory note     series are computed from the point index, never stored: allocation per line and heap do not grow with the series count");
    out.flush();
    return 0;
  }

  /** One table whose series count is exactly {@code series} (1,000 x series/1,000). */
  private static DatasetSpec seriesSpec(long series) {
    var table = TableSpec.of("wide",
        List.of(TagSpec.sequential("group", 1000).withPrefix("g"), TagSpec.sequential("member", series / 1000).withPrefix("m")),
        List.of(FieldSpec.FloatField.random("value", 0, 100, 2)));
    return DatasetSpec.of("series-" + series, "ns", TimeSpec.inOrder(Duration.ofHours(-1), Duration.ofSeconds(10)), null,
        List.of(table));
  }

  private record Result(long lines, long bytes, double seconds, double cpuSeconds, long allocated, long nextSeq) {
    double allocatedPerLine() {
      return lines == 0 ? 0 : (double) allocated / lines;
    }
  }

  private static Result run(LineProtocolGenerator gen, Duration d, long firstSeq) {
    var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    BatchBuffer buffer = new BatchBuffer(1 << 20);
    long lines = 0;
    long bytes = 0;
    long seq = firstSeq;
    long allocBefore = threads.getThreadAllocatedBytes(tid);
    long cpuBefore = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long deadline = start + d.toNanos();
    long now = start;
    while (now < deadline) {
      for (int k = 0; k < 16; k++) {
        lines += gen.writeBatch(0, seq++, buffer);
        bytes += buffer.length();
      }
      now = System.nanoTime();
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - allocBefore;
    double cpu = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
    return new Result(lines, bytes, (now - start) / 1e9, cpu, allocated, seq);
  }
}
