package io.loadchaos.refcluster.bench;

import io.loadchaos.local.LocalCluster;
import io.loadchaos.local.LocalNode;
import io.loadchaos.refcluster.lp.LineProtocolParser;
import io.loadchaos.refcluster.lp.ParseResult;
import io.loadchaos.refcluster.lp.Precision;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadchaos bench lp-parse|cluster-write}: throughput of the reference cluster's hot paths. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Reference-cluster benchmarks (print a rate).",
    subcommands = {BenchCommand.LpParse.class, BenchCommand.ClusterWrite.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Line protocol text of {@code count} points starting at sequence {@code seq}: 100 hosts x 4 fields. */
  static String batch(long seq, int count, long baseTimeNs) {
    StringBuilder sb = new StringBuilder(count * 110);
    for (int i = 0; i < count; i++) {
      long n = seq + i;
      sb.append("cpu,host=host-").append(n % 100).append(",region=r").append(n % 5).append(",dc=dc1 usage_user=")
          .append((n % 1000) / 10.0).append(",usage_system=").append((n % 777) / 7.0).append(",procs=").append(n % 300)
          .append("i,ok=t ").append(baseTimeNs + n * 1000L).append('\n');
    }
    return sb.toString();
  }

  private static final byte[][] HOSTS = texts(100, n -> "cpu,host=host-" + n + ",region=r");
  private static final byte[][] USER = texts(1000, n -> ",dc=dc1 usage_user=" + (n / 10.0) + ",usage_system=");
  private static final byte[][] SYSTEM = texts(777, n -> (n / 7.0) + ",procs=");
  private static final byte[][] PROCS = texts(300, n -> n + "i,ok=t ");

  private static byte[][] texts(int n, IntFunction<String> f) {
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      out[i] = f.apply(i).getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  /**
   * The same bytes as {@code batch(seq, count, baseTimeNs)}, from precomputed pieces: the bench
   * client shares the cores with the nodes, so it must not spend them formatting doubles.
   */
  static byte[] batchBytes(long seq, int count, long baseTimeNs) {
    byte[] buf = new byte[count * 128];
    int pos = 0;
    for (int i = 0; i < count; i++) {
      long n = seq + i;
      if (pos + 128 > buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      pos = put(buf, pos, HOSTS[(int) (n % 100)]);
      buf[pos++] = (byte) ('0' + n % 5);
      pos = put(buf, pos, USER[(int) (n % 1000)]);
      pos = put(buf, pos, SYSTEM[(int) (n % 777)]);
      pos = put(buf, pos, PROCS[(int) (n % 300)]);
      long t = baseTimeNs + n * 1000L;
      int digits = 1;
      for (long x = t; x >= 10; x /= 10) {
        digits++;
      }
      for (int d = digits - 1; d >= 0; d--) {
        buf[pos + d] = (byte) ('0' + t % 10);
        t /= 10;
      }
      pos += digits;
      buf[pos++] = '\n';
    }
    return Arrays.copyOf(buf, pos);
  }

  private static int put(byte[] buf, int pos, byte[] b) {
    System.arraycopy(b, 0, buf, pos, b.length);
    return pos + b.length;
  }

  /** CPU seconds the node processes have used so far (Linux /proc via ProcessHandle). */
  static double nodeCpuSeconds(LocalCluster cluster) {
    double total = 0;
    for (LocalNode n : cluster.nodes()) {
      total += ProcessHandle.of(n.pid()).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
    return total;
  }

  static double selfCpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** Top sampled methods (leaf frames) and top project frames over all nodes' recordings. */
  public static void printProfile(Path jfrDir) throws IOException {
    Map<String, Integer> leaf = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    double gcPauseSeconds = 0;
    int samples = 0;
    List<Path> recordings;
    try (var files = Files.list(jfrDir)) {
      recordings = files.filter(f -> f.toString().endsWith(".jfr")).toList();
    }
    if (recordings.isEmpty()) {
      System.out.println("profile: no recordings in " + jfrDir);
    }
    for (Path jfr : recordings) {
      for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(jfr)) {
        if (e.getEventType().getName().equals("jdk.GarbageCollection")) {
          gcPauseSeconds += e.getDuration("sumOfPauses").toNanos() / 1e9;
          continue;
        }
        if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
          continue;
        }
        samples++;
        var frames = e.getStackTrace().getFrames();
        leaf.merge(frameName(frames.get(0)), 1, Integer::sum);
        var thread = e.getThread("sampledThread");
        threads.merge(thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName().replaceAll("[-#]?[0-9]+", ""), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (var f : frames) {
          String name = frameName(f);
          if (name.startsWith("io.loadchaos.") && seen.add(name)) {
            inclusive.merge(name, 1, Integer::sum);
          }
        }
        for (var f : frames) {
          String name = frameName(f);
          if (name.startsWith("io.loadchaos.")) {
            ours.merge(name, 1, Integer::sum);
            break;
          }
        }
      }
    }
    System.out.printf("profile: %d execution samples over all nodes%n  top leaf methods:%n", samples);
    printTop(leaf, samples);
    System.out.println("  top io.loadchaos frames (innermost project frame of each sample):");
    printTop(ours, samples);
    System.out.println("  io.loadchaos methods by inclusive samples (the method or anything it calls):");
    printTop(inclusive, samples);
    System.out.println("  samples by thread:");
    printTop(threads, samples);
    System.out.printf("  GC pauses: %.2f s in total over all nodes%n", gcPauseSeconds);
  }

  private static String frameName(jdk.jfr.consumer.RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void printTop(Map<String, Integer> counts, int samples) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(16)
        .forEach(e -> System.out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
  }

  @Command(name = "lp-parse", mixinStandardHelpOptions = true, description = "Line-protocol parsing rate on one thread.")
  static final class LpParse implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "10", description = "measurement time")
    int seconds;

    @Override
    public Integer call() {
      // the body as a node gets it: UTF-8 bytes, parsed without building a String of it
      byte[] body = batchBytes(0, 100_000, 1_700_000_000_000_000_000L);
      long bytes = body.length;
      // warm up by work done, not wall time: the machine may be shared
      for (int i = 0; i < 20; i++) {
        LineProtocolParser.parse(body, Precision.NANOSECOND, 0);
      }
      long lines = 0;
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long cpu0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long end = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        ParseResult r = LineProtocolParser.parse(body, Precision.NANOSECOND, 0);
        if (!r.errors().isEmpty()) {
          throw new IllegalStateException("bench data did not parse: " + r.errors().get(0));
        }
        lines += r.points().size();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpuSecs = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
      System.out.printf("lp-parse: %,d lines in %.1f s = %,.0f lines/s wall (%.1f MB/s) on one thread; %.1f CPU s = %,.0f lines per CPU-second%n",
          lines, secs, lines / secs, lines / 100_000.0 * bytes / secs / 1e6, cpuSecs, lines / cpuSecs);
      return 0;
    }
  }

  @Command(name = "cluster-write", mixinStandardHelpOptions = true,
      description = "Points/s a local cluster acknowledges (204) from line-protocol batches, fsync on.")
  static final class ClusterWrite implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3")
    int nodes;

    @Option(names = "--replication-factor", defaultValue = "3")
    int rf;

    @Option(names = "--batch", defaultValue = "5000", description = "points per request")
    int batchSize;

    @Option(names = "--writers", defaultValue = "6", description = "concurrent client connections (spread over the nodes)")
    int writers;

    @Option(names = "--seconds", defaultValue = "20", description = "measurement time after a 5 s warm-up")
    int seconds;

    @Option(names = "--max-points", defaultValue = "5000000", description = "stop after this many points (bounds node memory)")
    long maxPoints;

    @Option(names = "--profile", description = "record the nodes with Java Flight Recorder and print the top sampled methods")
    boolean profile;

    @Option(names = "--bug", description = "deliberate defect of the nodes (repeatable), e.g. slow-write=2 to calibrate it")
    List<String> bugs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Path dir = Files.createTempDirectory("loadchaos-bench");
      Path jfrDir = dir.resolve("jfr");
      Files.createDirectories(jfrDir);
      // a directory as filename: each node writes its own recording (named by pid) into it
      List<String> jvm = profile ? List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfrDir + "/") : List.of();
      try (LocalCluster cluster = LocalCluster.builder().nodes(nodes).replicationFactor(rf).dataDir(dir).nodeJvmArgs(jvm).bugs(bugs).start()) {
        double cpuBefore = nodeCpuSeconds(cluster);
        double clientCpuBefore = selfCpuSeconds();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong seq = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long base = (System.currentTimeMillis() - 600_000) * 1_000_000L;
        long warmEnd = System.nanoTime() + 5_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        long[] measuredStart = new long[1];
        AtomicLong ackedAtWarm = new AtomicLong(-1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          LocalNode target = cluster.nodes().get(w % cluster.nodes().size());
          URI uri = URI.create(target.clientUrl() + "/api/v3/write_lp?db=bench&precision=nanosecond");
          Thread t = new Thread(() -> {
            while (System.nanoTime() < end && seq.get() < maxPoints) {
              if (System.nanoTime() >= warmEnd && ackedAtWarm.compareAndSet(-1, acked.get())) {
                measuredStart[0] = System.nanoTime();
              }
              long s = seq.getAndAdd(batchSize);
              byte[] body = batchBytes(s, batchSize, base);
              try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 204) {
                  acked.addAndGet(batchSize);
                } else {
                  failed.incrementAndGet();
                }
              } catch (Exception e) {
                failed.incrementAndGet();
              }
            }
          }, "bench-writer-" + w);
          threads.add(t);
          t.start();
        }
        for (Thread t : threads) {
          t.join();
        }
        long stop = System.nanoTime();
        long fromWarm = ackedAtWarm.get() < 0 ? 0 : ackedAtWarm.get();
        double secs = measuredStart[0] == 0 ? 0 : (stop - measuredStart[0]) / 1e9;
        long measured = acked.get() - fromWarm;
        System.out.printf("cluster-write: %d nodes RF=%d, batches of %d, %d writers: %,d points acknowledged in %.1f s = %,.0f points/s"
                + " (%d failed requests; %,d points in total)%n",
            nodes, rf, batchSize, writers, measured, secs, secs == 0 ? 0 : measured / secs, failed.get(), acked.get());
        double cpu = nodeCpuSeconds(cluster) - cpuBefore;
        double clientCpu = selfCpuSeconds() - clientCpuBefore;
        System.out.printf("cluster-write: node processes used %.1f CPU s in total = %,.0f acknowledged points per node-CPU-second%n",
            cpu, cpu == 0 ? 0 : acked.get() / cpu);
        System.out.printf("cluster-write: the bench client itself used %.1f CPU s (%,.0f points per client-CPU-second)%n",
            clientCpu, clientCpu == 0 ? 0 : acked.get() / clientCpu);
        if (profile) {
          for (LocalNode n : cluster.nodes()) {
            n.terminate(); // JFR dumps on a clean exit
          }
          printProfile(jfrDir);
        }
      } finally {
        try (var paths = Files.walk(dir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      return 0;
    }
  }
}
