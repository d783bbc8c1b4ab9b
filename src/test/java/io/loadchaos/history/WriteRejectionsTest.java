package io.loadchaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.report.ResultsJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteRejectionsTest {
  /** What InfluxDB 1.6.7 answered (400) to a devops mem line with an unsigned field, seen with curl. */
  static final String INFLUXDB_1_6_7_UNSIGNED =
      "{\"error\":\"unable to parse 'mem,host=host_0,region=us-east-1 used=123i,free=456u,used_percent=55.5,swapping=false"
          + " 1796116583000': invalid number\"}";
  /** The same when other lines of the batch parsed (400 too; the harness records it as info). */
  static final String INFLUXDB_1_6_7_PARTIAL =
      "{\"error\":\"partial write: unable to parse 'mem,host=host_0,region=us-east-1 used=123i,free=456u,used_percent=55.5,"
          + "swapping=false 1796116583000': invalid number dropped=0\"}";

  @Test
  void countsFailAndInfoPerStatusAndIgnoresOk() {
    WriteRejections r = new WriteRejections();
    r.record(204, Outcome.OK, "");
    for (int i = 0; i < 3; i++) r.record(400, Outcome.FAIL, "{\"error\":\"bad line " + i + "\"}");
    r.record(400, Outcome.INFO, INFLUXDB_1_6_7_PARTIAL);
    r.record(503, Outcome.INFO, "{\"error\":\"no quorum\"}");
    r.record(503, Outcome.INFO, "{\"error\":\"no quorum\"}");
    r.record(-1, Outcome.INFO, null);
    r.record(-7, Outcome.INFO, "java.net.ConnectException: Connection refused");

    var s = r.summary();
    assertThat(s.statuses()).extracting(WriteRejections.Status::status).containsExactly(-1, 400, 503);
    var none = s.statuses().get(0);
    assertThat(none.label()).isEqualTo("no response");
    assertThat(none.info()).isEqualTo(2);
    assertThat(none.bodies()).containsExactly("java.net.ConnectException: Connection refused");
    var bad = s.statuses().get(1);
    assertThat(bad.fail()).isEqualTo(3);
    assertThat(bad.info()).isEqualTo(1);
    assertThat(bad.bodies()).hasSize(4);
    var busy = s.statuses().get(2);
    assertThat(busy.attempts()).isEqualTo(2);
    assertThat(busy.bodies()).containsExactly("{\"error\":\"no quorum\"}");
    assertThat(s.attempts()).isEqualTo(8);
    assertThat(s.consoleLines()).first().isEqualTo("rejected writes: no response x2 (fail 0, info 2) "
        + "\"java.net.ConnectException: Connection refused\"");
    assertThat(s.consoleLines()).contains("rejected writes: 503 x2 (fail 0, info 2) \"{\"error\":\"no quorum\"}\"");
  }

  @Test
  void keepsTheFirstFiveDistinctBodiesAbbreviated() {
    WriteRejections r = new WriteRejections();
    String longBody = "x".repeat(150) + "\n\n   " + "y".repeat(300);
    r.record(400, Outcome.FAIL, longBody);
    r.record(400, Outcome.FAIL, longBody);
    for (int i = 0; i < 20; i++) r.record(400, Outcome.FAIL, "body " + i);
    var st = r.summary().statuses().get(0);
    assertThat(st.fail()).isEqualTo(22);
    assertThat(st.bodies()).hasSize(WriteRejections.MAX_BODIES);
    assertThat(st.bodies().get(0)).isEqualTo("x".repeat(150) + " " + "y".repeat(49) + "...")
        .hasSize(WriteRejections.MAX_BODY_CHARS + 3);
    assertThat(st.bodies().subList(1, 5)).containsExactly("body 0", "body 1", "body 2", "body 3");
    // a surrogate pair at the cut is dropped whole, never split
    assertThat(WriteRejections.abbreviate("a".repeat(199) + "\uD83D\uDE00" + "tail")).isEqualTo("a".repeat(199) + "...");
  }

  @Test
  void hintsOnceWhenTheTargetRejectsUnsignedIntegers() {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    WriteRejections r = new WriteRejections(log::add);
    r.record(503, Outcome.INFO, "{\"error\":\"no quorum\"}");
    r.record(400, Outcome.FAIL, "{\"error\":\"unable to parse 'cpu usage=1.5 1': invalid number\"}");
    assertThat(r.hint()).isNull();
    r.record(400, Outcome.FAIL, INFLUXDB_1_6_7_UNSIGNED);
    r.record(400, Outcome.INFO, INFLUXDB_1_6_7_PARTIAL);
    assertThat(r.hint()).startsWith("the target rejects unsigned integer fields (e.g. 400 \"{\"error\":\"unable to parse "
        + "'mem,host=host_0,region=us-east-1 used=123i,free=456u")
        .endsWith("invalid number\"}\"); rerun with -Dloadchaos.fieldTypes=no-unsigned");
    assertThat(log).containsExactly("hint: " + r.hint());
    assertThat(r.summary().hint()).isEqualTo(r.hint());
    assertThat(r.summary().consoleLines()).last().isEqualTo("hint: " + r.hint());
  }

  @Test
  void detectsUnsignedRejectionsOfSeveralTargets() {
    assertThat(WriteRejections.rejectsUnsigned(INFLUXDB_1_6_7_UNSIGNED)).isTrue();
    assertThat(WriteRejections.rejectsUnsigned(INFLUXDB_1_6_7_PARTIAL)).isTrue();
    // several bad lines are joined with newlines (escaped in JSON); the unsigned field may end the field set
    assertThat(WriteRejections.rejectsUnsigned("{\"error\":\"unable to parse 'm a=1,b=2u 1': invalid number\\n"
        + "unable to parse 'm b=3u': invalid number\"}")).isTrue();
    assertThat(WriteRejections.rejectsUnsigned("{\"error\":\"Unsigned integers are not supported\"}")).isTrue();
    assertThat(WriteRejections.rejectsUnsigned("{\"error\":\"unable to parse 'm a=1.5.5 1': invalid number\"}")).isFalse();
    assertThat(WriteRejections.rejectsUnsigned("{\"error\":\"field type conflict: input field \\\"free\\\" on measurement"
        + " \\\"mem\\\" is type integer, already exists as type float dropped=1\"}")).isFalse();
    assertThat(WriteRejections.rejectsUnsigned("{\"error\":\"no quorum\"}")).isFalse();
    assertThat(WriteRejections.rejectsUnsigned(null)).isFalse();
  }

  @Test
  void manyThreadsCountExactlyAndStayBounded() throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    WriteRejections r = new WriteRejections(log::add);
    int threads = 8;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          switch (i % 4) {
            case 0 -> r.record(400, Outcome.FAIL, "bad line " + id + "-" + i);
            case 1 -> r.record(400, Outcome.INFO, INFLUXDB_1_6_7_PARTIAL);
            case 2 -> r.record(503, Outcome.INFO, "{\"error\":\"no quorum\"}");
            default -> r.record(-1, Outcome.INFO, null);
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    var s = r.summary();
    long quarter = (long) threads * perThread / 4;
    assertThat(s.statuses()).hasSize(3);
    assertThat(s.statuses().get(0).info()).isEqualTo(quarter);
    assertThat(s.statuses().get(1).fail()).isEqualTo(quarter);
    assertThat(s.statuses().get(1).info()).isEqualTo(quarter);
    assertThat(s.statuses().get(1).bodies()).hasSize(WriteRejections.MAX_BODIES).doesNotHaveDuplicates();
    assertThat(s.statuses().get(2).bodies()).hasSize(1);
    assertThat(s.attempts()).isEqualTo((long) threads * perThread);
    assertThat(log).hasSize(1);
  }

  @Test
  void summaryRoundTripsThroughJsonAndRestores() throws Exception {
    WriteRejections r = new WriteRejections();
    r.record(400, Outcome.FAIL, INFLUXDB_1_6_7_UNSIGNED);
    r.record(-1, Outcome.INFO, null);
    var s = r.summary();
    String json = ResultsJson.mapper().writeValueAsString(s);
    assertThat(json).contains("\"status\" : 400").contains("\"hint\"").doesNotContain("\"attempts\"");
    var back = ResultsJson.mapper().readValue(json, WriteRejections.Summary.class);
    assertThat(back).isEqualTo(s);
    List<String> log = new ArrayList<>();
    var restored = WriteRejections.restore(back, log::add);
    assertThat(restored.summary()).isEqualTo(s);
    assertThat(log).as("a restored hint was already logged by the run").isEmpty();
    assertThat(WriteRejections.restore(null, log::add).summary()).isEqualTo(WriteRejections.Summary.NONE);
  }
}
