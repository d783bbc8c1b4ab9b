package io.loadchaos.refcluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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

  public void recordFsync(long nanos) {
    walFsync.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void hintsPendingGauge(String peer, Supplier<Number> pending) {
    Gauge.builder("loadchaos.hints.pending", pending).tag("peer", peer).description("hinted writes waiting for a peer").register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}
