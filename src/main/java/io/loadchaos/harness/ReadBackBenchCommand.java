package io.loadchaos.harness;

import io.loadchaos.check.ActualData;
import io.loadchaos.check.PointKey;
import io.loadchaos.check.ReadBackCheck;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.GeneratorConfig;
import io.loadchaos.datagen.LineProtocolGenerator;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.local.LocalCluster;
import io.loadchaos.local.LocalNode;
import io.loadchaos.refcluster.bench.BenchCommand;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.HttpActualData;
import io.loadchaos.target.QueryApi;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench read-back}: where read-back time goes. Writes points of a dataset into a local
 * cluster with the harness's own generator and history, then times the expected side alone, the
 * raw scan (HTTP + node, no decoding), scan + decode + hashing, and the whole {@link ReadBackCheck}.
 */
@Command(name = "read-back", mixinStandardHelpOptions = true,
    description = "Read-back rates on a local cluster: expected side, raw scan, decode + hash, whole check.")
public final class ReadBackBenchCommand implements Callable<Integer> {
  private static final String DB = "readback";

  @Option(names = "--nodes", defaultValue = "3")
  int nodes;

  @Option(names = "--replication-factor", defaultValue = "3")
  int rf;

  @Option(names = "--points", defaultValue = "2000000", description = "points to write")
  long points;

  @Option(names = "--dataset", defaultValue = "devops")
  String dataset;

  @Option(names = "--batch", defaultValue = "5000", description = "points per batch (the capacity run's size)")
  int batchSize;

  @Option(names = "--writers", defaultValue = "16", description = "generator writers (batch id space)")
  int writers;

  @Option(names = "--info-every", defaultValue = "50",
      description = "every k-th batch is recorded as info (timed out, yet written), as in an overloaded step; 0: none")
  int infoEvery;

  @Option(names = "--repeats", defaultValue = "3")
  int repeats;

  @Option(names = "--phases", split = ",", defaultValue = "expected,raw,decode,check",
      description = "which phases to time: expected, raw, decode, check")
  List<String> phases;

  @Option(names = "--profile", description = "record the nodes with Java Flight Recorder and print their top sampled methods")
  boolean profile;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("loadchaos-readback-bench");
    Path jfrDir = dir.resolve("jfr");
    Files.createDirectories(jfrDir);
    // a directory as filename: each node writes its own recording (named by pid) into it
    List<String> jvm = new ArrayList<>();
    if (profile) jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfrDir + "/");
    try (LocalCluster cluster = LocalCluster.builder().nodes(nodes).replicationFactor(rf).dataDir(dir).nodeJvmArgs(jvm).start()) {
      DatasetSpec spec = DatasetSpec.resolve(dataset).withPoints(points);
      LineProtocolGenerator gen = new LineProtocolGenerator(spec, new GeneratorConfig(42, writers, batchSize,
          System.currentTimeMillis() * 1_000_000L));
      History history = new History();
      long written = write(cluster, gen, history);
      DatagenExpectedData expected = new DatagenExpectedData(spec, gen);
      ClusterHttp http = new ClusterHttp(null, Duration.ofMinutes(5));
      HttpActualData actual = new HttpActualData(http, cluster.nodes().stream().map(LocalNode::clientUrl).toList(), DB,
          expected.tagKeysByTable(), QueryApi.SQL);
      List<History.Op> ops = history.ops();
      System.out.printf("read-back bench: %,d points written (%d nodes RF=%d, %s, batches of %d, every %d-th batch info); load average %s%n",
          written, nodes, rf, dataset, batchSize, infoEvery, loadAverage());
      Map<String, ActualData.Expected> hints = new HashMap<>();
      Map<String, List<double[]>> results = new HashMap<>();
      for (int r = 0; r < repeats; r++) {
        for (String phase : phases) {
          double cpu0 = nodeCpu(cluster);
          double self0 = selfCpu();
          long t0 = System.nanoTime();
          long rows = switch (phase) {
            case "expected" -> expectedSide(expected, ops, hints);
            case "raw" -> raw(actual, hints(expected, ops, hints), http);
            case "decode" -> decode(actual, hints(expected, ops, hints));
            case "check" -> {
              var f = new ReadBackCheck(expected, actual).run(ops);
              if (f.lost + f.unexpected + f.failPresent + f.wrongValue + f.duplicated != 0) {
                throw new IllegalStateException("the bench data should read back clean: lost " + f.lost + ", unexpected "
                    + f.unexpected + ", fail-present " + f.failPresent + ", wrong " + f.wrongValue + ", dup " + f.duplicated);
              }
              yield f.actualRows;
            }
            default -> throw new IllegalArgumentException("unknown phase " + phase + " (expected, raw, decode, check)");
          };
          double secs = (System.nanoTime() - t0) / 1e9;
          double[] m = {secs, rows, nodeCpu(cluster) - cpu0, selfCpu() - self0};
          results.computeIfAbsent(phase, p -> new ArrayList<>()).add(m);
          System.out.printf("  repeat %d %-8s %,10d rows in %6.2f s = %,9.0f rows/s; node CPU %5.1f s, bench CPU %5.1f s%s%n",
              r + 1, phase, rows, secs, rows / secs, m[2], m[3], phase.equals("raw") ? String.format(" (%.1f MB/s)", rawBytes / secs / 1e6) : "");
        }
      }
      System.out.printf("read-back bench medians of %d (load average now %s):%n", repeats, loadAverage());
      for (String phase : phases) {
        List<double[]> l = results.get(phase);
        double secs = median(l, 0);
        double rows = median(l, 1);
        System.out.printf("  %-8s %6.2f s  %,9.0f rows/s  node CPU %5.1f s  bench CPU %5.1f s%n", phase, secs, rows / secs,
            median(l, 2), median(l, 3));
      }
      if (profile) {
        for (LocalNode n : cluster.nodes()) n.terminate(); // JFR dumps on a clean exit
        BenchCommand.printProfile(jfrDir);
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private long rawBytes;

  /** Writes the batches (every ok one acknowledged, info ones written too, as a timed-out write may be). */
  private long write(LocalCluster cluster, LineProtocolGenerator gen, History history) throws Exception {
    // (writer, seq) of the batches to write, round-robin over the writers as concurrent writers go
    List<long[]> plan = new ArrayList<>();
    long planned = 0;
    for (long seq = 0; planned < points && seq <= BatchId.MAX_SEQ; seq++) {
      boolean any = false;
      for (int w = 0; w < writers && planned < points; w++) {
        int n = gen.pointsInBatch(w, seq);
        if (n == 0) continue;
        plan.add(new long[] {w, seq});
        planned += n;
        any = true;
      }
      if (!any) break; // the dataset's volume is smaller than --points
    }
    long batches = plan.size();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicLong next = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    List<String> urls = cluster.nodes().stream().map(n -> n.clientUrl() + "/api/v3/write_lp?db=" + DB + "&precision=" + gen.spec().precision()).toList();
    List<Thread> threads = new ArrayList<>();
    Exception[] failure = new Exception[1];
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (long b; (b = next.getAndIncrement()) < batches && failure[0] == null; ) {
          int w = (int) plan.get((int) b)[0];
          long seq = plan.get((int) b)[1];
          int node = (int) (b % urls.size());
          long start = history.nowMicros();
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(urls.get(node)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gen.batch(w, seq))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204) throw new IllegalStateException("write answered " + r.statusCode() + ": " + r.body());
            boolean info = infoEvery > 0 && b % infoEvery == infoEvery - 1;
            history.record(OpKind.WRITE, BatchId.of(w, seq), node, start, history.nowMicros() - start,
                info ? Outcome.INFO : Outcome.OK, info ? 0 : 204, gen.pointsInBatch(w, seq));
            acked.addAndGet(gen.pointsInBatch(w, seq));
          } catch (Exception e) {
            failure[0] = e;
          }
        }
      }, "readback-bench-writer-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) th.join();
    if (failure[0] != null) throw failure[0];
    return acked.get();
  }

  private static long expectedSide(DatagenExpectedData expected, List<History.Op> ops, Map<String, ActualData.Expected> hints) {
    Map<String, long[]> bounds = new HashMap<>();
    long[] n = {0, 0};
    for (History.Op op : ops) {
      expected.forEachPoint(op.batchId(), p -> {
        long[] b = bounds.computeIfAbsent(p.table(), t -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
        b[0] = Math.min(b[0], p.timestampNanos());
        b[1] = Math.max(b[1], p.timestampNanos());
        b[2]++;
        n[1] += PointKey.hash(p, true);
        n[0]++;
      });
    }
    bounds.forEach((t, b) -> hints.put(t, new ActualData.Expected(b[0], b[1], b[2])));
    return n[0];
  }

  private static Map<String, ActualData.Expected> hints(DatagenExpectedData expected, List<History.Op> ops,
      Map<String, ActualData.Expected> hints) {
    if (hints.isEmpty()) expectedSide(expected, ops, hints);
    return hints;
  }

  private long raw(HttpActualData actual, Map<String, ActualData.Expected> hints, ClusterHttp http) throws Exception {
    long lines = 0;
    rawBytes = 0;
    for (var e : hints.entrySet()) {
      for (HttpActualData.Window w : actual.plan(e.getKey(), e.getValue())) {
        long[] r = http.drain(w.baseUrl(), actual.api(), actual.database(), w.query());
        rawBytes += r[0];
        lines += r[1];
      }
    }
    return lines;
  }

  private static long decode(HttpActualData actual, Map<String, ActualData.Expected> hints) throws Exception {
    long[] n = {0, 0};
    for (var e : hints.entrySet()) {
      actual.scan(e.getKey(), e.getValue(), p -> {
        n[0]++;
        n[1] += PointKey.hash(p, true);
      });
    }
    return n[0];
  }

  private static double nodeCpu(LocalCluster cluster) {
    double total = 0;
    for (LocalNode n : cluster.nodes()) {
      total += ProcessHandle.of(n.pid()).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
    return total;
  }

  private static double selfCpu() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  private static String loadAverage() {
    return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static double median(List<double[]> l, int i) {
    double[] v = l.stream().mapToDouble(m -> m[i]).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
