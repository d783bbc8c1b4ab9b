package io.loadchaos.check;

import io.loadchaos.check.ExpectedData.Point;
import io.loadchaos.history.History.Op;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-back: every ok point readable, every fail point absent, info points either way (counted as
 * recovered or not), nothing unexpected, values exact, no duplicates.
 *
 * <p>Pass 1 compares per-series aggregates (count + fingerprint of the ok points) with one scan of
 * each table. Pass 2 drills down, point by point, only into series whose aggregates differ or that
 * hold info/fail points. Memory is per series, plus per point of the drilled series only.
 */
public final class ReadBackCheck {
  public static final int MAX_EXAMPLES = 20;
  private static final int MAX_DRILLED_SERIES = 50_000;

  private final ExpectedData expected;
  private final ActualData actual;
  private final Map<String, ActualData.Expected> hints = new HashMap<>();

  public ReadBackCheck(ExpectedData expected, ActualData actual) {
    this.expected = expected;
    this.actual = actual;
  }

  /** Counts of each finding with up to {@link #MAX_EXAMPLES} examples each. */
  public static final class Findings {
    public long okPoints, failPoints, infoPoints, actualRows;
    public long lost, unexpected, failPresent, recovered, notRecovered, wrongValue, duplicated;
    public final Map<String, List<String>> examples = new LinkedHashMap<>();

    void example(String kind, String text) {
      List<String> l = examples.computeIfAbsent(kind, k -> new ArrayList<>());
      if (l.size() < MAX_EXAMPLES) l.add(text);
    }
  }

  private static final class SeriesAgg {
    long okCount, okFp, otherCount; // otherCount: info + fail points
    long actualCount, actualFp;
  }

  public Findings run(List<Op> history) throws Exception {
    Findings f = new Findings();
    Map<Long, Outcome> outcomeByBatch = writeOutcomes(history);
    Map<String, Map<String, SeriesAgg>> aggs = new HashMap<>();
    Map<String, long[]> bounds = new HashMap<>(); // table -> min, max, points
    for (var e : outcomeByBatch.entrySet()) {
      Outcome o = e.getValue();
      expected.forEachPoint(e.getKey(), p -> {
        long[] b = bounds.computeIfAbsent(p.table(), t -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
        b[0] = Math.min(b[0], p.timestampNanos());
        b[1] = Math.max(b[1], p.timestampNanos());
        b[2]++;
        SeriesAgg a = aggs.computeIfAbsent(p.table(), t -> new HashMap<>())
            .computeIfAbsent(p.seriesKey(), s -> new SeriesAgg());
        switch (o) {
          case OK -> { a.okCount++; a.okFp += PointKey.fingerprint(p.timestampNanos(), p.fields()); f.okPoints++; }
          case FAIL -> { a.otherCount++; f.failPoints++; }
          case INFO -> { a.otherCount++; f.infoPoints++; }
        }
      });
    }
    Set<String> tables = new HashSet<>(expected.tagKeysByTable().keySet());
    tables.addAll(aggs.keySet());
    for (String table : tables) {
      Map<String, SeriesAgg> series = aggs.computeIfAbsent(table, t -> new HashMap<>());
      long[] b = bounds.get(table);
      ActualData.Expected hint = b == null ? ActualData.Expected.NONE : new ActualData.Expected(b[0], b[1], b[2]);
      hints.put(table, hint);
      actual.scan(table, hint, p -> {
        f.actualRows++;
        SeriesAgg a = series.computeIfAbsent(p.seriesKey(), s -> new SeriesAgg());
        a.actualCount++;
        a.actualFp += PointKey.fingerprint(p.timestampNanos(), p.fields());
      });
      // series to examine point by point, in passes of at most MAX_DRILLED_SERIES so that the
      // per-point state stays bounded (each pass reads the table again)
      List<String> drill = new ArrayList<>();
      for (var e : series.entrySet()) {
        SeriesAgg a = e.getValue();
        boolean clean = a.otherCount == 0 && a.actualCount == a.okCount && a.actualFp == a.okFp;
        if (!clean) drill.add(e.getKey());
      }
      for (int from = 0; from < drill.size(); from += MAX_DRILLED_SERIES) {
        drillDown(table, new HashSet<>(drill.subList(from, Math.min(drill.size(), from + MAX_DRILLED_SERIES))), outcomeByBatch, f);
      }
    }
    return f;
  }

  private static Map<Long, Outcome> writeOutcomes(List<Op> history) {
    // a batch retried by a client would appear twice: the strongest outcome wins
    Map<Long, Outcome> out = new HashMap<>();
    for (Op op : history) {
      if (op.kind() != OpKind.WRITE) continue;
      out.merge(op.batchId(), op.outcome(), ReadBackCheck::stronger);
    }
    return out;
  }

  private static Outcome stronger(Outcome a, Outcome b) {
    if (a == Outcome.OK || b == Outcome.OK) return Outcome.OK;
    if (a == Outcome.INFO || b == Outcome.INFO) return Outcome.INFO;
    return Outcome.FAIL;
  }

  private record Want(Outcome outcome, String fields) {}

  private void drillDown(String table, Set<String> drill, Map<Long, Outcome> outcomes, Findings f)
      throws Exception {
    Map<String, Want> want = new HashMap<>();
    for (var e : outcomes.entrySet()) {
      expected.forEachPoint(e.getKey(), p -> {
        if (!p.table().equals(table) || !drill.contains(p.seriesKey())) return;
        want.merge(key(p), new Want(e.getValue(), PointKey.fieldsText(p.fields())),
            (x, y) -> x.outcome() == Outcome.OK ? x : y);
      });
    }
    Set<String> seen = new HashSet<>();
    actual.scan(table, hints.getOrDefault(table, ActualData.Expected.NONE), p -> {
      if (!drill.contains(p.seriesKey())) return;
      String k = key(p);
      if (!seen.add(k)) {
        f.duplicated++;
        f.example("duplicated", k);
        return;
      }
      Want w = want.get(k);
      String got = PointKey.fieldsText(p.fields());
      if (w == null) {
        f.unexpected++;
        f.example("unexpected", k + " " + got);
      } else if (w.outcome() == Outcome.FAIL) {
        f.failPresent++;
        f.example("fail-present", k + " " + got);
      } else if (!w.fields().equals(got)) {
        f.wrongValue++;
        f.example("wrong-value", k + " expected " + w.fields() + " got " + got);
      } else if (w.outcome() == Outcome.INFO) {
        f.recovered++;
      }
    });
    for (var e : want.entrySet()) {
      if (seen.contains(e.getKey())) continue;
      if (e.getValue().outcome() == Outcome.OK) {
        f.lost++;
        f.example("lost", e.getKey() + " " + e.getValue().fields());
      } else if (e.getValue().outcome() == Outcome.INFO) {
        f.notRecovered++;
      }
    }
  }

  private static String key(Point p) {
    return p.table() + "," + p.seriesKey() + " @" + p.timestampNanos();
  }

  /** The read-back verdicts: lost, unexpected, wrong value, duplicated (info points never fail). */
  public static List<Verdict> verdicts(Findings f) {
    return verdicts(f, "the cluster");
  }

  /**
   * The verdicts, where {@code source} says what was read (e.g. {@code "/query (influxql v1) on node 1"}).
   * Zero rows read while points were acknowledged is no observation of the data: every verdict
   * is UNKNOWN then, naming what was read, never "lost N".
   */
  public static List<Verdict> verdicts(Findings f, String source) {
    if (f.actualRows == 0 && f.okPoints > 0) {
      String why = "read 0 rows through " + source + " while " + f.okPoints
          + " points were acknowledged: the read path saw nothing, so nothing can be judged";
      return List.of(Verdict.unknown("read-back lost", why), Verdict.unknown("read-back unexpected", why),
          Verdict.unknown("read-back wrong-value", why), Verdict.unknown("read-back duplicated", why));
    }
    String counts = "ok points " + f.okPoints + ", info points " + f.infoPoints + " (recovered " + f.recovered
        + ", not " + f.notRecovered + "), fail points " + f.failPoints + ", rows read " + f.actualRows;
    List<Verdict> out = new ArrayList<>();
    out.add(withEx(Verdict.of("read-back lost", f.lost == 0, Long.toString(f.lost), "0",
        "acknowledged (ok) points missing; " + counts), f, "lost"));
    out.add(withEx(Verdict.of("read-back unexpected", f.unexpected + f.failPresent == 0,
        Long.toString(f.unexpected + f.failPresent), "0",
        "rows never written (" + f.unexpected + ") or written by a failed write (" + f.failPresent + ")"),
        f, "unexpected", "fail-present"));
    out.add(withEx(Verdict.of("read-back wrong-value", f.wrongValue == 0, Long.toString(f.wrongValue), "0",
        "points whose fields differ from what was written"), f, "wrong-value"));
    out.add(withEx(Verdict.of("read-back duplicated", f.duplicated == 0, Long.toString(f.duplicated), "0",
        "same series and timestamp returned more than once"), f, "duplicated"));
    return out;
  }

  private static Verdict withEx(Verdict v, Findings f, String... kinds) {
    Map<String, List<String>> ex = new LinkedHashMap<>();
    for (String k : kinds) if (f.examples.containsKey(k)) ex.put(k, f.examples.get(k));
    return ex.isEmpty() ? v : v.withExamples(ex);
  }
}
