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
    return check(h, rows, true);
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
  // ---- per-point hash: permutations and type changes are drilled into ----

  private static ReadBackCheck.Findings check(History h, List<ExpectedData.Point> rows, boolean exactTypes) throws Exception {
    ActualData actual = new ActualData() {
      @Override
      public boolean exactNumericTypes() {
        return exactTypes;
      }

      @Override
      public void scan(String table, Expected expected, Consumer<ExpectedData.Point> c) {
        rows.forEach(c);
      }
    };
    return new ReadBackCheck(new Dataset(), actual).run(h.ops());
  }

  /** Runs the check over {@code rows}, counting the scans of the table. */
  private static ReadBackCheck.Findings checkCountingScans(History h, List<ExpectedData.Point> rows, int[] scans) throws Exception {
    ActualData actual = (table, expected, c) -> {
      scans[0]++;
      rows.forEach(c);
    };
    return new ReadBackCheck(new Dataset(), actual).run(h.ops());
  }

  @Test
  void seriesWithInfoPointsAreJudgedDuringTheFirstScan() throws Exception {
    List<ExpectedData.Point> rows = stored(0, 1, 2);
    rows.remove(6); // batch 1 (info) half applied
    int[] scans = {0};
    var f = checkCountingScans(history(Outcome.OK, Outcome.INFO, Outcome.OK), rows, scans);
    assertThat(scans[0]).as("scans of the table").isEqualTo(1);
    assertThat(f.recovered).isEqualTo(3);
    assertThat(f.notRecovered).isEqualTo(1);
    assertThat(f.lost + f.unexpected + f.failPresent + f.wrongValue + f.duplicated).isZero();
  }

  @Test
  void findingsAtTheKeysOfInfoAndFailWritesAreFoundInTheFirstScan() throws Exception {
    List<ExpectedData.Point> rows = stored(0, 1, 3);
    rows.add(stored(2).get(1)); // written by a failed write: fail-present
    rows.add(stored(1).get(2)); // an info point returned twice: duplicated
    rows.remove(4); // batch 1 (info), host=s0: not recovered
    int[] scans = {0};
    var f = checkCountingScans(history(Outcome.OK, Outcome.INFO, Outcome.FAIL, Outcome.OK), rows, scans);
    assertThat(scans[0]).as("scans of the table").isEqualTo(1);
    assertThat(f.failPresent).isEqualTo(1);
    assertThat(f.examples.get("fail-present")).singleElement().asString().contains("host=s1 @2");
    assertThat(f.duplicated).isEqualTo(1);
    assertThat(f.examples.get("duplicated")).singleElement().asString().isEqualTo("cpu,host=s2 @1");
    assertThat(f.recovered).isEqualTo(3);
    assertThat(f.notRecovered).isEqualTo(1);
    assertThat(f.lost + f.unexpected + f.wrongValue).isZero();
  }

  @Test
  void aSeriesWhoseAggregatesDifferIsStillDrilledAfterTheFirstScan() throws Exception {
    List<ExpectedData.Point> rows = stored(0, 1, 2);
    rows.add(new ExpectedData.Point("cpu", "host=zz", 7, Map.of("v", 1.0)));
    rows.set(0, new ExpectedData.Point("cpu", "host=s0", 0, Map.of("v", 9.5, "n", 0L))); // batch 0 is ok, s0 has info points
    rows.set(9, new ExpectedData.Point("cpu", "host=s1", 2, Map.of("v", 9.5, "n", 2L)));
    int[] scans = {0};
    var f = checkCountingScans(history(Outcome.OK, Outcome.INFO, Outcome.OK), rows, scans);
    assertThat(scans[0]).as("the first scan, then one for the series no info point announced").isEqualTo(2);
    assertThat(f.unexpected).isEqualTo(1);
    assertThat(f.wrongValue).isEqualTo(2);
    assertThat(f.recovered).isEqualTo(4);
    assertThat(f.lost + f.duplicated + f.failPresent).isZero();
  }

  private static Verdict verdict(ReadBackCheck.Findings f, String name) {
    return ReadBackCheck.verdicts(f).stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void valuesRotatedAmongASeriesTimestampsAreWrongValues() throws Exception {
    // same count and the same multiset of (timestamp) and (field, value): only a per-point hash sees it
    List<ExpectedData.Point> rows = stored(0, 1, 2);
    List<ExpectedData.Point> s0 = rows.stream().filter(p -> p.seriesKey().equals("host=s0")).toList();
    for (int i = 0; i < s0.size(); i++) {
      ExpectedData.Point p = s0.get(i);
      rows.set(rows.indexOf(p), new ExpectedData.Point(p.table(), p.seriesKey(), p.timestampNanos(),
          s0.get((i + 1) % s0.size()).fields()));
    }
    var f = check(history(Outcome.OK, Outcome.OK, Outcome.OK), rows);
    assertThat(f.wrongValue).isEqualTo(3);
    assertThat(f.lost + f.unexpected + f.duplicated).isZero();
    assertThat(f.examples.get("wrong-value")).anySatisfy(e -> assertThat(e)
        .contains("cpu,host=s0 @0 expected {n=0(int), v=0.0(float)} got {n=1(int), v=1.0(float)}"));
    assertThat(verdict(f, "read-back wrong-value").status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(verdict(f, "read-back lost").status()).isEqualTo(Verdict.Status.PASS);
  }

  /** Batch 1's float v of series s0 is 1.0: stored as the integer 1. */
  private static List<ExpectedData.Point> floatStoredAsInteger() {
    List<ExpectedData.Point> rows = stored(0, 1);
    int i = 4; // batch 1, host=s0
    ExpectedData.Point p = rows.get(i);
    assertThat(p.fields().get("v")).isEqualTo(1.0);
    rows.set(i, new ExpectedData.Point(p.table(), p.seriesKey(), p.timestampNanos(), Map.of("v", 1L, "n", 1L)));
    return rows;
  }

  @Test
  void aFloatStoredAsAnIntegerIsAWrongValueOnAnExactlyTypedSource() throws Exception {
    var f = check(history(Outcome.OK, Outcome.OK), floatStoredAsInteger(), true);
    assertThat(f.wrongValue).isEqualTo(1);
    assertThat(f.examples.get("wrong-value")).singleElement().asString()
        .contains("host=s0 @1").contains("v=1.0(float)").contains("v=1(int)");
    assertThat(verdict(f, "read-back wrong-value").status()).isEqualTo(Verdict.Status.FAIL);
  }

  @Test
  void aValueOnlySourceCannotSeeAFloatStoredAsAnIntegerAndSaysSo() throws Exception {
    // InfluxDB 1.x JSON writes the float 1.0 as 1: such a source compares numbers by value only
    var f = check(history(Outcome.OK, Outcome.OK), floatStoredAsInteger(), false);
    assertThat(f.wrongValue).isZero();
    Verdict v = verdict(f, "read-back wrong-value");
    assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
    assertThat(v.detail()).contains("numbers compared by value only").contains("float->integer");
    // a different value is still a wrong value there
    List<ExpectedData.Point> rows = stored(0, 1);
    rows.set(4, new ExpectedData.Point("cpu", "host=s0", 1, Map.of("v", 2L, "n", 1L)));
    assertThat(check(history(Outcome.OK, Outcome.OK), rows, false).wrongValue).isEqualTo(1);
  }

  @Test
  void integralFloatsRoundTripExactlyAsFloats() throws Exception {
    // batch 0 series s0 has v = 0.0 and batch 1 series s0 v = 1.0: read as Double, they match
    var f = check(history(Outcome.OK, Outcome.OK), stored(0, 1), true);
    assertThat(f.wrongValue + f.lost + f.unexpected).isZero();
  }

  // ---- last write wins for overwritten keys ----

  /**
   * Batches 0 and 1 both write cpu,host=a @100 (v = the batch id; batch 1's point overwrites); batch
   * 2 writes host=b @200 twice, lines 0 and 1 (v 20 then 21, wins: last in one batch).
   */
  static final class Overwrites implements ExpectedData {
    @Override
    public Map<String, List<String>> tagKeysByTable() {
      return Map.of("cpu", List.of("host"));
    }

    @Override
    public void forEachPoint(long batchId, Consumer<Point> visitor) {
      if (batchId < 2) {
        visitor.accept(new Point("cpu", "host=a", 100, Map.of("v", batchId), batchId == 1));
      } else {
        visitor.accept(new Point("cpu", "host=b", 200, Map.of("v", 20L), false));
        visitor.accept(new Point("cpu", "host=b", 200, Map.of("v", 21L), true));
      }
    }
  }

  private record W(long batch, long start, long end, Outcome outcome) {}

  private static ReadBackCheck.Findings overwrites(List<W> writes, long a, long b) throws Exception {
    History h = new History();
    for (W w : writes) h.record(OpKind.WRITE, w.batch(), 0, w.start(), (int) (w.end() - w.start()), w.outcome(), 0, 1);
    List<ExpectedData.Point> rows = List.of(new ExpectedData.Point("cpu", "host=a", 100, Map.of("v", a)),
        new ExpectedData.Point("cpu", "host=b", 200, Map.of("v", b)));
    return new ReadBackCheck(new Overwrites(), (table, expected, c) -> rows.forEach(c)).run(h.ops());
  }

  private static final W B2 = new W(2, 0, 10, Outcome.OK);

  @Test
  void aStaleValueOfASupersededBatchIsAWrongValue() throws Exception {
    // batch 1 was acknowledged after batch 0 ended: its value must be the one read
    var f = overwrites(List.of(new W(0, 0, 100, Outcome.OK), new W(1, 1_000, 1_100, Outcome.OK), B2), 0, 21);
    assertThat(f.wrongValue).isEqualTo(1);
    assertThat(f.examples.get("wrong-value")).singleElement().asString()
        .contains("cpu,host=a @100 stale: value of batch 0 (line 0) superseded by batch 1")
        .contains("expected {v=1(int)} got {v=0(int)}");
    assertThat(verdict(f, "read-back wrong-value").status()).isEqualTo(Verdict.Status.FAIL);
  }

  @Test
  void theEarlierLineOfAnAcknowledgedBatchIsStale() throws Exception {
    var f = overwrites(List.of(new W(0, 0, 100, Outcome.OK), new W(1, 1_000, 1_100, Outcome.OK), B2), 1, 20);
    assertThat(f.wrongValue).isEqualTo(1);
    assertThat(f.examples.get("wrong-value")).singleElement().asString()
        .contains("cpu,host=b @200 stale: value of batch 2 (line 0) superseded by line 1 of the same batch");
  }

  @Test
  void theLatestAcknowledgedWriteWins() throws Exception {
    var f = overwrites(List.of(new W(0, 0, 100, Outcome.OK), new W(1, 1_000, 1_100, Outcome.OK), B2), 1, 21);
    assertThat(f.wrongValue + f.lost + f.unexpected + f.failPresent + f.duplicated).isZero();
    assertThat(ReadBackCheck.verdicts(f)).allMatch(Verdict::passed);
  }

  @Test
  void aLaterInfoWriteMayWinOrNot() throws Exception {
    List<W> h = List.of(new W(0, 0, 100, Outcome.OK), new W(1, 1_000, 1_100, Outcome.INFO), B2);
    assertThat(ReadBackCheck.verdicts(overwrites(h, 1, 21))).allMatch(Verdict::passed);
    assertThat(ReadBackCheck.verdicts(overwrites(h, 0, 21))).allMatch(Verdict::passed);
  }

  @Test
  void anInfoWriteIsNeverSupersededBecauseItMayTakeEffectLate() throws Exception {
    // a timed-out write can still be applied after the later acknowledged one
    List<W> h = List.of(new W(0, 0, 100, Outcome.INFO), new W(1, 1_000, 1_100, Outcome.OK), B2);
    assertThat(ReadBackCheck.verdicts(overwrites(h, 0, 21))).allMatch(Verdict::passed);
    assertThat(ReadBackCheck.verdicts(overwrites(h, 1, 21))).allMatch(Verdict::passed);
  }

  @Test
  void overlappingAcknowledgedWritesMayEitherWin() throws Exception {
    List<W> h = List.of(new W(0, 0, 2_000, Outcome.OK), new W(1, 1_000, 1_100, Outcome.OK), B2);
    assertThat(ReadBackCheck.verdicts(overwrites(h, 0, 21))).allMatch(Verdict::passed);
    assertThat(ReadBackCheck.verdicts(overwrites(h, 1, 21))).allMatch(Verdict::passed);
  }

  @Test
  void aFailedOverwriteNeverCounts() throws Exception {
    List<W> h = List.of(new W(0, 0, 100, Outcome.OK), new W(1, 1_000, 1_100, Outcome.FAIL), B2);
    assertThat(ReadBackCheck.verdicts(overwrites(h, 0, 21))).allMatch(Verdict::passed);
    var f = overwrites(h, 1, 21);
    assertThat(f.failPresent).isEqualTo(1);
    assertThat(f.examples.get("fail-present")).singleElement().asString().contains("the value of a failed write");
    assertThat(verdict(f, "read-back unexpected").status()).isEqualTo(Verdict.Status.FAIL);
  }

  @Test
  void bothVersionsOfAnOverwrittenKeyStoredAreADuplicateEvenWhenAggregatesMatch() throws Exception {
    // count and hash sum of the two ok writes equal those of the two stored rows: only drilling sees it
    History h = new History();
    h.record(OpKind.WRITE, 0, 0, 0, 100, Outcome.OK, 0, 1);
    h.record(OpKind.WRITE, 1, 0, 1_000, 100, Outcome.OK, 0, 1);
    List<ExpectedData.Point> rows = List.of(new ExpectedData.Point("cpu", "host=a", 100, Map.of("v", 1L)),
        new ExpectedData.Point("cpu", "host=a", 100, Map.of("v", 0L)));
    var f = new ReadBackCheck(new Overwrites(), (table, expected, c) -> rows.forEach(c)).run(h.ops());
    assertThat(f.duplicated).isEqualTo(1);
    assertThat(verdict(f, "read-back duplicated").status()).isEqualTo(Verdict.Status.FAIL);
  }

  // ---- nothing acknowledged ----

  @Test
  void noAcknowledgedPointIsUnknownNotPass() throws Exception {
    var f = check(history(Outcome.FAIL, Outcome.INFO), stored(1));
    assertThat(f.okPoints).isZero();
    var verdicts = ReadBackCheck.verdicts(f, "/api/v3/query_sql (sql) at http://127.0.0.1:1");
    assertThat(verdicts).hasSize(4).allSatisfy(v -> {
      assertThat(v.status()).isEqualTo(Verdict.Status.UNKNOWN);
      assertThat(v.detail()).contains("no point was acknowledged");
    });
    assertThat(ReadBackCheck.verdicts(check(history(), List.of()))).allMatch(v -> v.status() == Verdict.Status.UNKNOWN);
  }
}
