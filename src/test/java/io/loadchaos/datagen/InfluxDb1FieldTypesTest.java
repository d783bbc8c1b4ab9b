package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.WriteRejections;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real InfluxDB 1.x ({@code /usr/bin/influxd}, Debian's influxdb package; skipped without
 * it): the devops dataset's unsigned field is rejected and the collector hints at the knob;
 * {@code no-unsigned} writes every point, with the same values.
 */
class InfluxDb1FieldTypesTest {
  static final Path INFLUXD = Path.of("/usr/bin/influxd");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Process influxd;
  private String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void startInfluxd() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(INFLUXD),
        "/usr/bin/influxd is absent: install Debian's influxdb package (apt-get install influxdb) to run this test");
    int httpPort = freePort();
    int rpcPort = freePort();
    Path conf = dir.resolve("influxdb.conf");
    Files.writeString(conf, """
        reporting-disabled = true
        bind-address = "127.0.0.1:%d"
        [meta]
          dir = "%s"
        [data]
          dir = "%s"
          wal-dir = "%s"
          query-log-enabled = false
        [monitor]
          store-enabled = false
        [http]
          bind-address = "127.0.0.1:%d"
          log-enabled = false
        """.formatted(rpcPort, dir.resolve("meta"), dir.resolve("data"), dir.resolve("wal"), httpPort));
    influxd = new ProcessBuilder(INFLUXD.toString(), "-config", conf.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("influxd.log").toFile()).start();
    base = "http://127.0.0.1:" + httpPort;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (send("GET", "/ping", null).statusCode() == 204) break;
      } catch (IOException e) {
        // not listening yet
      }
      if (!influxd.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("influxd did not answer /ping within 30 s; its log:\n"
            + Files.readString(dir.resolve("influxd.log")));
      }
      Thread.sleep(100);
    }
    assertThat(send("POST", "/query?q=" + enc("CREATE DATABASE loadchaos"), null).statusCode()).isEqualTo(200);
  }

  @AfterEach
  void stopInfluxd() throws Exception {
    if (influxd == null) return;
    influxd.destroy();
    if (!influxd.waitFor(15, TimeUnit.SECONDS)) {
      influxd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void unsignedFieldsAreRejectedWithAHintAndNoUnsignedWritesEveryPoint() throws Exception {
    DatasetSpec all = DatasetSpec.builtin("devops").withPoints(1_000);
    var genAll = TestData.gen(all, 42, 1, 1_000);

    // one batch: 800 cpu points, 100 mem points with free=...u, 100 cpu points of the next interval
    HttpResponse<String> rejected = send("POST", "/write?db=loadchaos&precision=ms", genAll.batch(0, 0));
    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(rejected.body()).startsWith("{\"error\":\"partial write: unable to parse 'mem,host=host_0,region=us-east-1 used=")
        .contains("u,used_percent=").contains("': invalid number\\n").endsWith("': invalid number dropped=0\"}\n");
    Outcome outcome = Outcome.ofWrite(rejected.statusCode(), rejected.body());
    assertThat(outcome).as("some lines were applied").isEqualTo(Outcome.INFO);
    List<String> log = new ArrayList<>();
    WriteRejections rejections = new WriteRejections(log::add);
    rejections.record(rejected.statusCode(), outcome, rejected.body());
    assertThat(rejections.hint()).contains("rerun with -Dloadchaos.fieldTypes=no-unsigned");
    assertThat(log).hasSize(1);
    assertThat(count("mem", "used")).isZero();
    assertThat(count("cpu", "usage_user")).isEqualTo(900);

    DatasetSpec signed = all.withFieldTypes(FieldTypes.NO_UNSIGNED);
    var genSigned = TestData.gen(signed, 42, 1, 1_000);
    HttpResponse<String> accepted = send("POST", "/write?db=loadchaos&precision=ms", genSigned.batch(0, 0));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(204);
    assertThat(count("mem", "free")).isEqualTo(100);
    // the value the target stores is the one the generator drew for the unsigned field
    long expected = TestData.points(genAll, 0, 0).stream().filter(p -> p.table().equals("mem"))
        .filter(p -> p.tags().get("host").equals("host_0") && p.tags().get("region").equals("us-east-1"))
        .map(p -> (Long) p.fields().get("free")).findFirst().orElseThrow();
    JsonNode row = query("SELECT free FROM mem WHERE host='host_0' AND region='us-east-1'").at("/results/0/series/0/values/0");
    assertThat(row.get(1).asLong()).isEqualTo(expected);
    assertThat(query("SHOW FIELD KEYS FROM mem").at("/results/0/series/0/values").toString()).contains("[\"free\",\"integer\"]");
  }

  private long count(String measurement, String field) throws Exception {
    JsonNode v = query("SELECT count(" + field + ") FROM " + measurement).at("/results/0/series/0/values/0/1");
    return v.isMissingNode() ? 0 : v.asLong();
  }

  private JsonNode query(String q) throws Exception {
    HttpResponse<String> r = send("GET", "/query?db=loadchaos&q=" + enc(q), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
