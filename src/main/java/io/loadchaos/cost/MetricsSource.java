package io.loadchaos.cost;

import io.loadchaos.target.ClusterHttp;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code process_cpu_seconds_total} (and {@code process_resident_memory_bytes} when present) from a
 * node's Prometheus {@code /metrics}: the Prometheus client's standard process metrics, for targets
 * whose processes the harness cannot see. A sampled counter: a restart shows as a decrease.
 */
public final class MetricsSource implements UsageSource {
  static final String CPU = "process_cpu_seconds_total";
  static final String RSS = "process_resident_memory_bytes";

  private final ClusterHttp http;
  private final Function<String, String> urlOf;

  public MetricsSource(ClusterHttp http, Function<String, String> urlOf) {
    this.http = http;
    this.urlOf = urlOf;
  }

  @Override
  public String name() {
    return "/metrics";
  }

  @Override
  public List<ProcessUsage> read(String nodeId) throws Exception {
    Map<String, Double> m = http.metrics(urlOf.apply(nodeId));
    Double cpu = m.get(CPU);
    if (cpu == null) {
      throw new IllegalStateException("node " + nodeId + "'s /metrics has no " + CPU);
    }
    Double rss = m.get(RSS);
    double mib = rss == null ? Double.NaN : rss / (1024 * 1024);
    return List.of(new ProcessUsage("metrics", cpu, mib, Double.NaN));
  }
}
