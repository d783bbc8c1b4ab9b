package io.loadchaos.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Verdict;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.harness.Run;
import io.loadchaos.harness.RunSpec;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.target.cluster.InfluxDb1ClusterFileTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/targets.md's reader example, named in a cluster file ({@code query: {class: ...}}), reads a real
 * InfluxDB 1.6.7 back for the read-back check: green on what was written, red on a batch recorded as
 * acknowledged that was never sent.
 */
class ClusterReaderExampleTest {
  @TempDir Path runs;

  @BeforeAll
  static void influxd() throws Exception {
    InfluxDb1ClusterFileTest.influxdInstalled();
  }

  @AfterEach
  void clear() {
    for (String p : List.of("loadchaos.cluster", "loadchaos.runDir")) System.clearProperty(p);
  }

  @Test
  void aUsersReaderClassJudgesReadBack() throws Exception {
    Path cluster = InfluxDb1ClusterFileTest.clusterFile("reader-example");
    Files.writeString(cluster, Files.readString(cluster).replace("query: influxql", "query: {class: " + CsvQueryReader.class.getName() + "}"));
    System.setProperty("loadchaos.cluster", cluster.toString());
    System.setProperty("loadchaos.runDir", runs.toString());
    try (Run run = Run.start(RunSpec.of("ReaderExample").withoutReplicaCheck(), FaultTimeline.none())) {
      HttpClient client = HttpClient.newHttpClient();
      String url = run.target().nodes().get(0).clientUrl() + "/write?db=loadchaos&precision=ms";
      for (int seq = 0; seq < 4; seq++) {
        int op = run.history().invoke(OpKind.WRITE, BatchId.of(0, seq), 0, run.generator().pointsInBatch(0, seq));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofByteArray(run.generator().batch(0, seq))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        run.history().complete(op, Outcome.OK, r.statusCode());
      }
      // recorded as acknowledged, never sent: the reader cannot find its points
      int fake = run.history().invoke(OpKind.WRITE, BatchId.of(1, 0), 0, run.generator().pointsInBatch(1, 0));
      run.history().complete(fake, Outcome.OK, 204);
      Map<String, Verdict> v = new LinkedHashMap<>();
      run.finish().forEach(x -> v.put(x.name(), x));
      assertThat(v.get("read-back lost").status()).isEqualTo(Verdict.Status.FAIL);
      assertThat(Long.parseLong(v.get("read-back lost").measured())).isEqualTo(run.generator().pointsInBatch(1, 0));
      assertThat(v.get("read-back unexpected").status()).isEqualTo(Verdict.Status.PASS);
      assertThat(v.get("read-back wrong-value").status()).isEqualTo(Verdict.Status.PASS);
      assertThat(v.get("read-back duplicated").status()).isEqualTo(Verdict.Status.PASS);
    }
  }
}
