package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.loadchaos.chaos.FaultTimeline;
import io.loadchaos.check.Verdict;
import io.loadchaos.datagen.BatchId;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external target that takes writes but has no query endpoint at all: read-back says UNKNOWN and
 * names what it asked, never "lost N"; settle accepts /ping where there is no /health.
 */
class NoQueryEndpointTest {
  @TempDir Path runs;
  private HttpServer sink;

  @BeforeEach
  void startWriteOnlySink() throws Exception {
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      if (path.equals("/api/v3/write_lp") || path.equals("/ping")) {
        ex.sendResponseHeaders(204, -1);
      } else {
        byte[] body = "404 page not found".getBytes();
        ex.sendResponseHeaders(404, body.length);
        ex.getResponseBody().write(body);
      }
      ex.close();
    });
    sink.start();
    System.setProperty("loadchaos.target", "external");
    System.setProperty("loadchaos.urls", "http://127.0.0.1:" + sink.getAddress().getPort());
    System.setProperty("loadchaos.runDir", runs.toString());
  }

  @AfterEach
  void stop() {
    for (String p : List.of("loadchaos.target", "loadchaos.urls", "loadchaos.runDir")) System.clearProperty(p);
    sink.stop(0);
  }

  @Test
  void readBackIsUnknownNamingTheMissingEndpoints() throws Exception {
    try (Run run = Run.start(RunSpec.of("NoQueryEndpoint"), FaultTimeline.none())) {
      assertThat(run.reading().possible()).isFalse();
      HttpClient client = HttpClient.newHttpClient();
      String url = run.target().nodes().get(0).clientUrl() + "/api/v3/write_lp?db=loadchaos&precision=nanosecond";
      for (int seq = 0; seq < 3; seq++) {
        int op = run.history().invoke(OpKind.WRITE, BatchId.of(0, seq), 0, run.generator().pointsInBatch(0, seq));
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofByteArray(run.generator().batch(0, seq))).build(), HttpResponse.BodyHandlers.discarding());
        run.history().complete(op, Outcome.ofWrite(r.statusCode(), null), r.statusCode());
      }
      // queries that all failed with an error: nothing to judge their correctness by
      for (int q = 0; q < 3; q++) run.history().complete(run.history().invoke(OpKind.QUERY_SQL, 0, 0, 0), Outcome.INFO, 404);
      Map<String, Verdict> byName = new LinkedHashMap<>();
      run.finish().forEach(v -> byName.put(v.name(), v));
      for (String name : List.of("read-back lost", "read-back unexpected", "read-back wrong-value", "read-back duplicated")) {
        assertThat(byName.get(name).status()).as(name).isEqualTo(Verdict.Status.UNKNOWN);
        assertThat(byName.get(name).detail()).contains("/api/v3/query_sql HTTP 404").contains("/query HTTP 404")
            .doesNotContain("lost");
      }
      assertThat(byName.get("query correctness").status()).isEqualTo(Verdict.Status.UNKNOWN);
      assertThat(byName.get("query correctness").detail()).contains("all 3 failed with an error").contains("/api/v3/query_sql HTTP 404");
      assertThat(byName.get("settle").status()).isEqualTo(Verdict.Status.PASS);
      assertThat(byName.get("replica consistency").status()).isEqualTo(Verdict.Status.SKIPPED);
    }
  }
}
