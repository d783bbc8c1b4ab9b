package io.loadchaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The read-back algorithm over a deterministic in-memory dataset: batch b writes series s0..s3 at
 * timestamp b. The integration tests run it against real clusters.
 */
class ReadBackCheckTest {

  static final class Dataset implements ExpectedData {
    @Override
    public Map<String, List<String>> tagKeysByTable() {
      return Map.of("cpu", List.of("host"));
    }

    @Override
    public void forEachPoint(long batchId, Consumer<Point> visitor) {
      for (int s = 0; s < 4; s++) {
        visitor.accept(new Point("cpu", "host=s" + s, batchId, Map.of("v", (double) batchId + s / 10.0, "n", batchId)));
      }
    }
  }

  private static History history(Outcome... outcomes) {
    History h = new History();
    for (int b = 0; b < outcomes.length; b++) {
      h.record(OpKind.WRITE, b, 0, b * 1000L, 100, outcomes[b], 0, 4);
    }
    return h;
  }

  /** Actual data = all points of the given batches, then edited by the test. */
  private static List<ExpectedData.Point> stored(long... batches) {
    List<ExpectedData.Point> out = new ArrayList<>();
    for (long b : batches) new Dataset().forEachPoint(b, out::add);
    return out;
  }

  private static ReadBackCheck.Findings check(History h, List<ExpectedData.Point> rows) throws Exception {
    return new ReadBackCheck(new Dataset(), (table, expected, c) -> rows.forEach(c)).run(h.ops());
  }

  @Test
  void cleanRunHasNoFindings() throws Exception {
    var f = check(history(Outcome.OK, Outcome.OK, Outcome.FAIL), stored(0, 1));
    assertThat(f.okPoints).isEqualTo(8);
    assertThat(f.lost + f.unexpected + f.failPresent + f.wrongValue + f.duplicated).isZero();
    assertThat(ReadBackCheck.verdicts(f)).allMatch(Verdict::passed);
  }

  @Test
  void missingAcknowledgedPointIsLostWithAnExample() throws Exception {
    List<ExpectedData.Point> rows = stored(0, 1);
    rows.remove(5);
    var f = check(history(Outcome.OK, Outcome.OK), rows);
    assertThat(f.lost).isEqualTo(1);
    assertThat(f.examples.get("lost")).singleElement().asString().contains("host=s1 @1");
    assertThat(ReadBackCheck.verdicts(f).get(0).status()).isEqualTo(Verdict.Status.FAIL);
  }

  @Test
  void infoPointsMayBeEitherWayButAreCounted() throws Exception {
    List<ExpectedData.Point> rows = stored(0, 1);
    rows.remove(6); // half of batch 1 (info) applied: partial write
    var f = check(history(Outcome.OK, Outcome.INFO, Outcome.INFO), rows);
    assertThat(f.lost).isZero();
    assertThat(f.recovered).isEqualTo(3);
    assertThat(f.notRecovered).isEqualTo(5);
    assertThat(ReadBackCheck.verdicts(f)).allMatch(Verdict::passed);
  }

  @Test
  void failedWriteThatAppearsIsUnexpected() throws Exception {
    var f = check(history(Outcome.OK, Outcome.FAIL), stored(0, 1));
    assertThat(f.failPresent).isEqualTo(4);
    assertThat(ReadBackCheck.verdicts(f).get(1).status()).isEqualTo(Verdict.Status.FAIL);
  }

  @Test
  void neverWrittenRowsWrongValuesAndDuplicatesAreFound() throws Exception {
    List<ExpectedData.Point> rows = stored(0, 1);
    rows.add(new ExpectedData.Point("cpu", "host=ghost", 7, Map.of("v", 1.0)));
    rows.set(0, new ExpectedData.Point("cpu", "host=s0", 0, Map.of("v", 99.0, "n", 0L)));
    rows.add(rows.get(3));
    var f = check(history(Outcome.OK, Outcome.OK), rows);
    assertThat(f.unexpected).isEqualTo(1);
    assertThat(f.wrongValue).isEqualTo(1);
    assertThat(f.duplicated).isEqualTo(1);
    assertThat(f.examples.get("wrong-value").get(0)).contains("expected").contains("99");
  }

  @Test
  void numericTypesFromJsonCompareEqualToGeneratedOnes() throws Exception {
    List<ExpectedData.Point> rows = new ArrayList<>();
    for (var p : stored(0)) {
      rows.add(new ExpectedData.Point(p.table(), p.seriesKey(), p.timestampNanos(),
          Map.of("v", p.fields().get("v"), "n", Integer.valueOf(((Long) p.fields().get("n")).intValue()))));
    }
    var f = check(history(Outcome.OK), rows);
    assertThat(f.wrongValue + f.lost + f.unexpected).isZero();
  }

  @Test
  void zeroRowsReadWhilePointsWereAcknowledgedIsUnknownNotLost() throws Exception {
    var f = check(history(Outcome.OK, Outcome.OK), List.of());
    assertThat(f.lost).isEqualTo(8);
    var verdicts = ReadBackCheck.verdicts(f, "/query (influxql v1) at http://127.0.0.1:1");
    assertThat(verdicts).hasSize(4).allMatch(v -> v.status() == Verdict.Status.UNKNOWN);
    assertThat(verdicts.get(0).detail()).contains("read 0 rows through /query (influxql v1)").contains("8 points");
  }

  @Test
  void readersAreGivenEachTablesExpectedTimeBounds() throws Exception {
    List<ActualData.Expected> hints = new ArrayList<>();
    new ReadBackCheck(new Dataset(), (table, expected, c) -> {
      hints.add(expected);
      stored(0, 1).forEach(c);
    }).run(history(Outcome.OK, Outcome.FAIL).ops());
    assertThat(hints).first().satisfies(h -> {
      assertThat(h.points()).isEqualTo(8);
      assertThat(h.minNanos()).isLessThanOrEqualTo(h.maxNanos());
    });
  }

  @Test
  void timeWindowsCoverEveryInstantOnce() {
    var e = new ActualData.Expected(100, 1_099, 10_000);
    List<long[]> w = e.windows(3_000);
    assertThat(w.get(0)).containsExactly(Long.MIN_VALUE, 100);
    assertThat(w.get(w.size() - 1)).containsExactly(1_100, Long.MAX_VALUE);
    for (int i = 1; i < w.size(); i++) assertThat(w.get(i)[0]).isEqualTo(w.get(i - 1)[1]);
    assertThat(w).hasSize(2 + 4);
    assertThat(ActualData.Expected.NONE.windows(10)).singleElement()
        .satisfies(x -> assertThat(x).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE));
  }
}
