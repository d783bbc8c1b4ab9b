package io.loadchaos.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.loadchaos.check.ActualData;
import io.loadchaos.check.ExpectedData.Point;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read-back's fast path: rows decoded token by token, windows read concurrently over real sockets. */
class StreamingReadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void tokenDecodingGivesTheSamePointsAsTreeDecoding() throws Exception {
    String lines = String.join("\n",
        "{\"iox::measurement\":\"cpu\",\"time\":\"2024-01-01T00:00:01.5\",\"host\":\"a\",\"region\":\"eu\",\"u\":1.0,\"n\":3,\"ok\":true,\"s\":\"x y\"}",
        "{\"time\":17,\"host\":\"b\",\"big\":18446744073709551615,\"neg\":-5,\"f\":false,\"nothing\":null,\"e\":1e3}",
        "{\"time\":\"2024-01-01T00:00:02Z\",\"host\":5,\"region\":true,\"nested\":{\"a\":[1,2]},\"arr\":[1],\"dup\":1,\"dup\":null}",
        "{\"time\":\"2024-01-01 00:00:03\",\"region\":null,\"host\":\"c\",\"host\":\"d\",\"v\":-0.0}");
    List<String> tags = List.of("host", "region");
    List<Point> streamed = new ArrayList<>();
    try (JsonParser p = JSON.getFactory().createParser(lines)) {
      RowDecoder.decodeAll("cpu", p, tags, streamed::add);
    }
    List<Point> trees = new ArrayList<>();
    for (String line : lines.split("\n")) {
      JsonNode row = JSON.readTree(line);
      ((ObjectNode) row).remove("iox::measurement");
      trees.add(RowDecoder.decode("cpu", row, tags));
    }
    assertThat(streamed).isEqualTo(trees);
    assertThat(streamed.get(0).fields()).containsEntry("u", 1.0).containsEntry("n", 3L).containsEntry("ok", true);
    assertThat(streamed.get(2).seriesKey()).isEqualTo("host=5,region=true");
  }

  @Test
  void aRowThatIsNotAnObjectIsAnError() throws Exception {
    try (JsonParser p = JSON.getFactory().createParser("[1,2]")) {
      assertThatThrownBy(() -> RowDecoder.decodeAll("cpu", p, List.of(), x -> {})).hasMessageContaining("expected a JSON object per row");
    }
  }

  /** A node answering every query with {@code rows} JSON lines whose time is the request's sequence number. */
  private String node(int rows, AtomicInteger inFlight, AtomicInteger maxInFlight) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger seq = new AtomicInteger();
    s.createContext("/api/v3/query_sql", ex -> {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(20); // long enough for the windows to overlap
        int q = seq.incrementAndGet();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
          sb.append("{\"time\":").append(q * 1_000_000L + i).append(",\"host\":\"").append(s.getAddress().getPort())
              .append("\",\"v\":").append(i).append("}\n");
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
    });
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  @Test
  void windowsAreReadConcurrentlyOverTheNodesAndRowsDeliveredOneCallAtATime() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<String> urls = List.of(node(5000, inFlight, maxInFlight), node(5000, inFlight, maxInFlight), node(5000, inFlight, maxInFlight));
    var data = new HttpActualData(new ClusterHttp(null, Duration.ofSeconds(10)), urls, "db", Map.of("cpu", List.of("host")), QueryApi.SQL);
    var expected = new ActualData.Expected(0, 999, 12_000);
    int windows = data.plan("cpu", expected).size();
    AtomicInteger inCallback = new AtomicInteger();
    AtomicInteger overlapping = new AtomicInteger();
    List<Point> got = new ArrayList<>();
    data.scan("cpu", expected, p -> {
      if (inCallback.incrementAndGet() > 1) overlapping.incrementAndGet();
      got.add(p);
      inCallback.decrementAndGet();
    });
    assertThat(overlapping).as("callbacks running at once").hasValue(0);
    assertThat(got).hasSize(windows * 5000);
    Set<String> keys = new HashSet<>();
    for (Point p : got) keys.add(p.seriesKey() + "@" + p.timestampNanos());
    assertThat(keys).as("every row exactly once").hasSize(windows * 5000);
    assertThat(maxInFlight.get()).as("windows in flight at once").isBetween(2, HttpActualData.PARALLEL);
  }

  @Test
  void aFailingWindowFailsTheScanNamingItsNode() throws Exception {
    HttpServer bad = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    bad.createContext("/api/v3/query_sql", ex -> {
      byte[] body = "{\"error\":\"boom\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    });
    bad.start();
    servers.add(bad);
    String badUrl = "http://127.0.0.1:" + bad.getAddress().getPort();
    List<String> urls = List.of(node(10, new AtomicInteger(), new AtomicInteger()), badUrl);
    var data = new HttpActualData(new ClusterHttp(null, Duration.ofSeconds(10)), urls, "db", Map.of(), QueryApi.SQL);
    assertThatThrownBy(() -> data.scan("cpu", new ActualData.Expected(0, 99, 100), p -> {}))
        .hasMessageContaining("through " + badUrl).hasMessageContaining("boom");
  }
}
