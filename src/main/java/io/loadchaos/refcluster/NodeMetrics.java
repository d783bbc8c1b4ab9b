package io.loadchaos.refcluster;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The node's Prometheus metrics (names are part of the harness contract). */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public final Counter writes = Counter.builder("loadchaos.writes").description("write requests accepted (2xx)").register(registry);
  public final Counter writeFailures =
      Counter.builder("loadchaos.write.failures").description("write requests answered with an error").register(registry);
  public final Counter pointsWritten =
      Counter.builder("loadchaos.points.written").description("points acknowledged by this node as coordinator").register(registry);
  public final Counter replicationSends =
      Counter.builder("loadchaos.replication.sends").description("writes sent to peer owners (incl. hint replays)").register(registry);
  public final Counter replicationFailures =
      Counter.builder("loadchaos.replication.failures").description("peer sends that failed or timed out").register(registry);
  public final Counter queryFragments =
      Counter.builder("loadchaos.query.fragments").description("shard fragments this node read, locally or for a peer").register(registry);
  public final Counter queries = Counter.builder("loadchaos.queries").description("SQL queries planned by this node").register(registry);
  public final Counter hintsReplayed =
      Counter.builder("loadchaos.hints.replayed").description("hinted writes delivered to their owner").register(registry);
  public final Timer walFsync =
      Timer.builder("loadchaos.wal.fsync").description("WAL group-commit fsync latency").publishPercentiles(0.5, 0.99).register(registry);

  public NodeMetrics() {
    // the Prometheus client's standard process metrics, so a harness that cannot see the node's
    // process (an external target) can still measure its CPU per point
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
        .description("CPU time of the node process (user + system)").register(registry);
    Gauge.builder("process.resident.memory", NodeMetrics::residentBytes).baseUnit("bytes")
        .description("resident set size of the node process (VmRSS)").register(registry);
  }

  /** VmRSS of /proc/self/status; NaN where there is no /proc. */
  private static double residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Double.parseDouble(line.substring(6).replace("kB", "").trim()) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: no value
    }
    return Double.NaN;
  }

  public void recordFsync(long nanos) {
    walFsync.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void hintsPendingGauge(String peer, Supplier<Number> pending) {
    Gauge.builder("loadchaos.hints.pending", pending).tag("peer", peer).description("hinted writes waiting for a peer").register(registry);
  }

  /** Only on a node with an object store (docs/storage.md): what its start replayed, and its snapshot cycles. */
  public void snapshotGauges(Supplier<Number> walRecordsReplayed, Supplier<Number> snapshotCycle) {
    Gauge.builder("loadchaos.wal.replayed.records", walRecordsReplayed)
        .description("WAL records replayed at this start (only the tail the snapshots do not cover)").register(registry);
    Gauge.builder("loadchaos.snapshot.cycle", snapshotCycle).description("number of the last committed snapshot cycle").register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}
