package io.loadchaos.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.local.LocalCluster;
import io.loadchaos.target.ClusterHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real reference node under writes, seen by both sources at the same moments: /proc of its
 * process and its own /metrics process_cpu_seconds_total must both see the CPU grow and agree.
 */
class NodeCostSourcesTest {
  @TempDir Path dir;

  @Test
  void procAndMetricsSeeTheSameNodeCpu() throws Exception {
    try (LocalCluster c = LocalCluster.builder().nodes(1).replicationFactor(1).dataDir(dir).start()) {
      String url = c.node("1").clientUrl();
      AtomicLong clock = new AtomicLong();
      ProcSource proc = new ProcSource(id -> List.of(c.node(id).pid()));
      MetricsSource metrics = new MetricsSource(new ClusterHttp(null, Duration.ofSeconds(5)), id -> url);
      CostSampler byProc = new CostSampler(List.of(proc), () -> List.of("1"), clock::get, Duration.ofSeconds(1));
      CostSampler byMetrics = new CostSampler(List.of(metrics), () -> List.of("1"), clock::get, Duration.ofSeconds(1));
      byProc.sample();
      byMetrics.sample();
      HttpClient http = HttpClient.newHttpClient();
      long t0 = 1_767_225_600_000_000_000L;
      for (int b = 0; b < 20; b++) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 500; i++) {
          body.append("m,host=h").append(i % 20).append(" v=").append(b * 500 + i).append(' ').append(t0 + b * 500L + i).append('\n');
        }
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v3/write_lp?db=cost&precision=nanosecond"))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(204);
      }
      clock.set(2_000_000);
      byMetrics.sample();
      byProc.sample();
      double p = byProc.ticks().get(1).cpuSeconds();
      double m = byMetrics.ticks().get(1).cpuSeconds();
      assertThat(p).as("/proc CPU seconds of the node over 10,000 points").isGreaterThan(0);
      assertThat(m).as("/metrics CPU seconds of the node over 10,000 points").isGreaterThan(0);
      // the two reads are a scrape apart (the scrape itself costs the node a little)
      assertThat(Math.abs(p - m)).as("/proc %s s vs /metrics %s s", p, m).isLessThanOrEqualTo(0.25 * Math.max(p, m) + 0.05);
      assertThat(byMetrics.peakRssMiB().get("1")).isGreaterThan(10);
      assertThat(byProc.peakRssMiB().get("1")).isGreaterThanOrEqualTo(byMetrics.peakRssMiB().get("1") * 0.5);
      assertThat(byMetrics.sourceNames()).isEqualTo("/metrics");
    }
  }
}
