package io.loadchaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.QueryLedger.Answer;
import io.loadchaos.history.QueryLedger.Group;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The bounds the history allows for an answer, per group, and what falls outside them. */
class QueryCorrectnessCheckTest {

  /** A point of table cpu: host tag, integer field v. */
  record P(String host, long ts, long v, boolean repeats) implements QueryMeaning.QueryPoint {
    @Override
    public String table() {
      return "cpu";
    }

    @Override
    public long timestampNanos() {
      return ts;
    }

    @Override
    public String tag(String key) {
      return key.equals("host") ? host : null;
    }

    @Override
    public Long integerField(String name) {
      return name.equals("v") ? v : null;
    }

    @Override
    public boolean repeatsKey() {
      return repeats;
    }
  }

  private final Map<Long, List<P>> batches = new HashMap<>();
  private final History history = new History();
  private final QueryMeaning.Points points = (id, visitor) -> batches.getOrDefault(id, List.of()).forEach(visitor);

  private static final QueryMeaning BY_HOST = QueryMeaning.all("cpu").groupBy("host").sum("v");
  private static final QueryMeaning TOTAL = QueryMeaning.all("cpu");
  private static final QueryMeaning LATEST = QueryMeaning.all("cpu").limit(10);

  /** Batch {@code id}: one point per host in {@code hosts}, each with value 10 * id + index. */
  private void batch(long id, String... hosts) {
    List<P> ps = new ArrayList<>();
    for (int i = 0; i < hosts.length; i++) ps.add(new P(hosts[i], id * 1000 + i, 10 * id + i, false));
    batches.put(id, ps);
  }

  private void write(long id, long startMicros, long latencyMicros, Outcome o) {
    history.record(OpKind.WRITE, id, 0, startMicros, latencyMicros, o, o == Outcome.OK ? 204 : o == Outcome.FAIL ? 400 : 503,
        batches.get(id).size());
  }

  private QueryCorrectnessCheck.Findings check(List<long[]> stale, boolean strictFinal, Answer... answers) {
    Map<String, QueryMeaning> templates = new LinkedHashMap<>();
    templates.put("by-host", BY_HOST);
    templates.put("total", TOTAL);
    templates.put("latest", LATEST);
    return new QueryCorrectnessCheck(templates, points, history.ops(), stale, 1_000_000).run(List.of(answers), strictFinal);
  }

  private static Answer load(String template, long start, long end, Group... groups) {
    return Answer.of(template, OpKind.QUERY_SQL, 1, "2", start, end, null, List.of(groups), false);
  }

  private static Answer fin(String template, Group... groups) {
    return Answer.of(template, OpKind.QUERY_SQL, 0, "1", 90_000_000, 90_100_000, null, List.of(groups), true);
  }

  private static Group g(String host, long count, Long sum) {
    return new Group(host, count, sum);
  }

  /** Two ok batches long before the query: every group is exact, count and sum. */
  private void twoSettledBatches() {
    batch(1, "a", "b", "a");
    batch(2, "a", "b");
    write(1, 0, 100_000, Outcome.OK);
    write(2, 200_000, 100_000, Outcome.OK);
  }

  @Test
  void anAnswerInsideTheBoundsPasses() {
    twoSettledBatches();
    // a: 10 + 12 + 20 = 42 (3 rows), b: 11 + 21 = 32 (2 rows)
    var f = check(List.of(), true, load("by-host", 5_000_000, 5_200_000, g("a", 3, 42L), g("b", 2, 32L)),
        load("total", 5_000_000, 5_100_000, g("", 5, null)), load("latest", 5_000_000, 5_100_000, g("", 5, null)));
    assertThat(f.examples).isEmpty();
    assertThat(f.wrongAnswers).isZero();
    assertThat(f.loadCompared).isEqualTo(3);
    assertThat(f.exactGroups).isEqualTo(3);
    assertThat(f.exactSums).isEqualTo(2);
  }

  @Test
  void aCountOneTooHighOrTooLowFails() {
    twoSettledBatches();
    var f = check(List.of(), true, load("by-host", 31_200_000, 31_300_000, g("a", 4, 42L), g("b", 2, 32L)),
        load("total", 5_000_000, 5_100_000, g("", 4, null)));
    assertThat(f.wrongAnswers).isEqualTo(2);
    assertThat(f.examples).containsExactly(
        "by-host via node 2 at +31.2 s (query-sql): group host=a count 4 not in [3, 3]",
        "total via node 2 at +5.0 s (query-sql): the whole result count 4 not in [5, 5]");
  }

  @Test
  void aMissingGroupFails() {
    twoSettledBatches();
    var f = check(List.of(), true, fin("by-host", g("a", 3, 42L)));
    assertThat(f.examples).containsExactly("by-host via node 1 in the final round: group host=b missing (count 0) not in [2, 2]");
  }

  @Test
  void aPhantomGroupFails() {
    twoSettledBatches();
    var f = check(List.of(), true, fin("by-host", g("a", 3, 42L), g("b", 2, 32L), g("zz", 0, null)));
    assertThat(f.examples).containsExactly("by-host via node 1 in the final round: group host=zz was never written, yet returned with count 0");
  }

  @Test
  void aGroupReturnedTwiceFails() {
    twoSettledBatches();
    var f = check(List.of(), true, fin("by-host", g("a", 3, 42L), g("b", 2, 32L), g("b", 2, 32L)));
    assertThat(f.examples).containsExactly("by-host via node 1 in the final round: group host=b returned twice");
  }

  @Test
  void anExactSumMismatchFails() {
    twoSettledBatches();
    var f = check(List.of(), true, fin("by-host", g("a", 3, 41L), g("b", 2, 32L)));
    assertThat(f.examples).containsExactly("by-host via node 1 in the final round: group host=a sum(v) 41 != 42 (count 3 is exact)");
  }

  @Test
  void aConcurrentWriteMakesTheRangeInexact() {
    twoSettledBatches();
    batch(3, "a");
    // invoked before the query ended, acknowledged after it started: may or may not be seen
    write(3, 4_900_000, 300_000, Outcome.OK);
    Answer without = load("by-host", 5_000_000, 5_100_000, g("a", 3, 42L), g("b", 2, 32L));
    Answer with = load("by-host", 5_000_000, 5_100_000, g("a", 4, 42L + 30), g("b", 2, 32L));
    var f = check(List.of(), true, without, with);
    assertThat(f.examples).isEmpty();
    // b is exact in both answers; a is a range [3, 4], so its sum is not judged
    assertThat(f.exactGroups).isEqualTo(2);
    assertThat(f.exactSums).isEqualTo(2);
    // too many is still wrong
    assertThat(check(List.of(), true, load("by-host", 5_000_000, 5_100_000, g("a", 5, 0L), g("b", 2, 32L))).examples)
        .containsExactly("by-host via node 2 at +5.0 s (query-sql): group host=a count 5 not in [3, 4]");
  }

  @Test
  void aWriteAcknowledgedWithinTheReplicationGraceIsNotRequired() {
    twoSettledBatches();
    batch(3, "a");
    write(3, 4_000_000, 100_000, Outcome.OK); // acknowledged 0.9 s before the query started
    var f = check(List.of(), true, load("by-host", 5_000_000, 5_100_000, g("a", 3, 42L), g("b", 2, 32L)));
    assertThat(f.examples).isEmpty();
  }

  @Test
  void failedWritesNeverCountAndInfoWritesMayCount() {
    twoSettledBatches();
    batch(3, "a");
    batch(4, "b");
    write(3, 400_000, 100_000, Outcome.FAIL);
    write(4, 600_000, 100_000, Outcome.INFO);
    // b may hold the info point or not
    assertThat(check(List.of(), true, fin("by-host", g("a", 3, 42L), g("b", 3, 72L))).examples).isEmpty();
    assertThat(check(List.of(), true, fin("by-host", g("a", 3, 42L), g("b", 2, 32L))).examples).isEmpty();
    // the failed write's point must not be there
    assertThat(check(List.of(), true, fin("by-host", g("a", 4, 72L), g("b", 2, 32L))).examples)
        .containsExactly("by-host via node 1 in the final round: group host=a count 4 not in [3, 3]");
  }

  @Test
  void writesAcknowledgedDuringAFaultMayBeStaleUnderLoadButNotInTheFinalRound() {
    twoSettledBatches();
    batch(3, "a");
    write(3, 10_000_000, 100_000, Outcome.OK);
    List<long[]> fault = List.<long[]>of(new long[] {9_000_000, 20_000_000});
    // a lagging replica that was down answers without batch 3: allowed under load
    assertThat(check(fault, true, load("by-host", 30_000_000, 30_100_000, g("a", 3, 42L), g("b", 2, 32L))).examples).isEmpty();
    // after heal and settle it is not
    assertThat(check(fault, true, fin("by-host", g("a", 3, 42L), g("b", 2, 32L))).examples)
        .containsExactly("by-host via node 1 in the final round: group host=a count 3 not in [4, 4]");
    // unless the cluster never settled
    assertThat(check(fault, false, fin("by-host", g("a", 3, 42L), g("b", 2, 32L))).examples).isEmpty();
  }

  @Test
  void aRetriedBatchCountsOnce() {
    twoSettledBatches();
    batch(3, "a");
    write(3, 400_000, 100_000, Outcome.INFO);
    write(3, 600_000, 100_000, Outcome.OK);
    assertThat(check(List.of(), true, fin("by-host", g("a", 4, 72L), g("b", 2, 32L))).examples).isEmpty();
  }

  @Test
  void aRepeatedKeyMayMergeWithItsOriginalRow() {
    twoSettledBatches();
    batches.put(3L, List.of(new P("a", 1000, 99, true)));
    write(3, 400_000, 100_000, Outcome.OK);
    // 3 rows if the overwrite replaced a row of batch 1, 4 if its original was never written
    var f = check(List.of(), true, fin("by-host", g("a", 3, 0L), g("b", 2, 32L)));
    assertThat(f.examples).isEmpty();
    assertThat(f.exactSums).isEqualTo(1);
  }

  @Test
  void theLimitQueryReturnsAsManyRowsAsCanExist() {
    twoSettledBatches();
    assertThat(check(List.of(), true, fin("latest", g("", 5, null))).examples).isEmpty();
    assertThat(check(List.of(), true, fin("latest", g("", 4, null))).examples)
        .containsExactly("latest via node 1 in the final round: 4 rows not in [5, 5] for LIMIT 10");
  }

  @Test
  void unreadableAggregatesAreWrong() {
    var p = QueryCorrectnessCheck.parse(BY_HOST, List.of("host", "n"), List.<Object[]>of(new Object[] {"a", 3}));
    assertThat(p.problem()).isEqualTo("no sum column 's' in [host, n]");
    var ok = QueryCorrectnessCheck.parse(BY_HOST, List.of("host", "n", "s"),
        List.<Object[]>of(new Object[] {"a", 3, "42"}, new Object[] {"b", 2L, 32.0}));
    assertThat(ok.problem()).isNull();
    assertThat(ok.groups()).containsExactly(g("a", 3, 42L), g("b", 2, 32L));
    assertThat(QueryCorrectnessCheck.parse(TOTAL, List.of("n"), List.<Object[]>of(new Object[] {1.5})).problem())
        .isEqualTo("count is not a non-negative integer: 1.5");
    // InfluxQL answers an aggregate over no rows with no row at all
    assertThat(QueryCorrectnessCheck.parse(TOTAL, List.of(), List.of()).groups()).isEmpty();
  }
}
