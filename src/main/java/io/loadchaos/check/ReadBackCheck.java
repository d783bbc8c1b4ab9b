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
 * recovered or not), nothing unexpected, values exact (with their kinds, where the read path keeps
 * them), the last write of an overwritten key winning, no duplicates.
 *
 * <p>Pass 1 compares per-series aggregates (count + sum of the strong per-point hash of
 * {@link PointKey#hash}) of the ok points with one scan of each table. Pass 2 drills down, point by
 * point, into series whose aggregates differ, that hold info/fail points, or that the generator
 * overwrites on purpose. Memory is per batch and per series, plus per point of the drilled series only.
 *
 * <p>Last write wins, per (series, timestamp): the candidates are the key's writes by ok or info
 * operations (fail operations never count). Within an acknowledged batch a later line supersedes an
 * earlier line of the same key; across batches a batch is superseded when an ok operation of another
 * batch writing the key started after every ok operation of it ended. An info operation may take
 * effect at any time after it started (a timed-out write can still be applied), so a batch with one
 * is never superseded. The value read must be one of the non-superseded candidates; a superseded
 * (stale) one is a wrong value.
 */
public final class ReadBackCheck {
  public static final int MAX_EXAMPLES = 20;
  private static final int MAX_DRILLED_SERIES = 50_000;

  private final ExpectedData expected;
  private final ActualData actual;
  private final boolean exact;
  private final Map<String, ActualData.Expected> hints = new HashMap<>();

  public ReadBackCheck(ExpectedData expected, ActualData actual) {
    this.expected = expected;
    this.actual = actual;
    this.exact = actual.exactNumericTypes();
  }

  /** Counts of each finding with up to {@link #MAX_EXAMPLES} examples each. */
  public static final class Findings {
    public long okPoints, failPoints, infoPoints, actualRows;
    public long lost, unexpected, failPresent, recovered, notRecovered, wrongValue, duplicated;
    /** Whether values were compared with their kinds (float vs integer), see {@link ActualData#exactNumericTypes}. */
    public boolean exactTypes = true;
    public final Map<String, List<String>> examples = new LinkedHashMap<>();

    void example(String kind, String text) {
      List<String> l = examples.computeIfAbsent(kind, k -> new ArrayList<>());
      if (l.size() < MAX_EXAMPLES) l.add(text);
    }
  }

  private static final class SeriesAgg {
    long okCount, okFp, otherCount; // otherCount: info + fail points
    long actualCount, actualFp;
    boolean overwritten; // the generator writes some key of it twice on purpose
  }

  /** What the history says about one batch, over all its write operations (retries included). */
  private static final class Writes {
    boolean ok, info;
    long okEnd = Long.MIN_VALUE; // latest end of an ok operation
    long okStart = Long.MIN_VALUE; // latest start of an ok operation

    Outcome outcome() {
      return ok ? Outcome.OK : info ? Outcome.INFO : Outcome.FAIL;
    }

    /** The latest moment its data may have been applied: never known for an info operation. */
    long appliedBy() {
      return info ? Long.MAX_VALUE : okEnd;
    }
  }

  public Findings run(List<Op> history) throws Exception {
    Findings f = new Findings();
    f.exactTypes = exact;
    Map<Long, Writes> writes = writes(history);
    Map<String, Map<String, SeriesAgg>> aggs = new HashMap<>();
    Map<String, long[]> bounds = new HashMap<>(); // table -> min, max, points
    for (var e : writes.entrySet()) {
      Outcome o = e.getValue().outcome();
      expected.forEachPoint(e.getKey(), p -> {
        long[] b = bounds.computeIfAbsent(p.table(), t -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
        b[0] = Math.min(b[0], p.timestampNanos());
        b[1] = Math.max(b[1], p.timestampNanos());
        b[2]++;
        SeriesAgg a = aggs.computeIfAbsent(p.table(), t -> new HashMap<>())
            .computeIfAbsent(p.seriesKey(), s -> new SeriesAgg());
        if (p.overwrites()) a.overwritten = true;
        switch (o) {
          case OK -> { a.okCount++; a.okFp += PointKey.hash(p, exact); f.okPoints++; }
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
      // Known before the scan: series the generator overwrites are drilled point by point during it;
      // in series with info/fail points only the keys those points wrote are judged one by one, the
      // rest of the series by the aggregates of its other keys (a timed-out batch touches most
      // series: drilling them whole judged nearly every point by text). A run with timeouts thus
      // reads each table once; a series whose remaining aggregates differ is drilled whole below.
      List<String> overwritten = new ArrayList<>();
      Set<String> withOthers = new HashSet<>();
      for (var e : series.entrySet()) {
        if (e.getValue().overwritten) overwritten.add(e.getKey());
        else if (e.getValue().otherCount != 0) withOthers.add(e.getKey());
      }
      Drill during = overwritten.isEmpty() ? null
          : new Drill(table, new HashSet<>(overwritten.subList(0, Math.min(overwritten.size(), MAX_DRILLED_SERIES))), writes);
      KeyDrill keys = withOthers.isEmpty() ? null : new KeyDrill(table, withOthers, series, writes);
      actual.scan(table, hint, p -> {
        f.actualRows++;
        SeriesAgg a = series.computeIfAbsent(p.seriesKey(), s -> new SeriesAgg());
        long h = PointKey.hash(p, exact);
        a.actualCount++;
        a.actualFp += h;
        if (during != null) during.accept(p, f);
        if (keys != null) keys.accept(p, h);
      });
      if (during != null) during.finish(f);
      Set<String> judged = new HashSet<>();
      if (during != null) judged.addAll(during.drill);
      if (keys != null) judged.addAll(keys.finish(f));
      // the other series to examine point by point, in passes of at most MAX_DRILLED_SERIES so that
      // the per-point state stays bounded (each pass reads the table again)
      List<String> drill = new ArrayList<>();
      for (var e : series.entrySet()) {
        SeriesAgg a = e.getValue();
        boolean clean = !a.overwritten && a.otherCount == 0 && a.actualCount == a.okCount && a.actualFp == a.okFp;
        if (!clean && !judged.contains(e.getKey())) drill.add(e.getKey());
      }
      for (int from = 0; from < drill.size(); from += MAX_DRILLED_SERIES) {
        Drill d = new Drill(table, new HashSet<>(drill.subList(from, Math.min(drill.size(), from + MAX_DRILLED_SERIES))), writes);
        actual.scan(table, hints.getOrDefault(table, ActualData.Expected.NONE), p -> d.accept(p, f));
        d.finish(f);
      }
    }
    return f;
  }

  private static Map<Long, Writes> writes(List<Op> history) {
    // a batch retried by a client appears more than once: every attempt counts
    Map<Long, Writes> out = new HashMap<>();
    for (Op op : history) {
      if (op.kind() != OpKind.WRITE) continue;
      Writes w = out.computeIfAbsent(op.batchId(), b -> new Writes());
      if (op.outcome() == Outcome.OK) {
        w.ok = true;
        w.okEnd = Math.max(w.okEnd, op.endMicros());
        w.okStart = Math.max(w.okStart, op.startMicros());
      } else if (op.outcome() == Outcome.INFO) {
        w.info = true;
      }
    }
    return out;
  }

  /** One write of a key: line {@code line} of batch {@code batch}, its fields' canonical text. */
  private record Candidate(long batch, int line, String text) {}

  /** Every write of one key in the drilled series. */
  private static final class Want {
    final List<Candidate> candidates = new ArrayList<>(1); // by ok or info operations
    List<String> failTexts; // by fail operations only
    boolean ok;

    /** What line {@code line} of batch {@code batch} wrote here, by an operation that ended {@code w}. */
    void record(Writes w, long batch, int line, String text) {
      if (w.ok || w.info) {
        candidates.add(new Candidate(batch, line, text));
        ok |= w.ok;
      } else {
        if (failTexts == null) failTexts = new ArrayList<>(1);
        failTexts.add(text);
      }
    }

    String describeLive(List<Candidate> live) {
      if (live.size() == 1) return live.get(0).text();
      List<String> texts = new ArrayList<>();
      for (Candidate c : live) if (!texts.contains(c.text())) texts.add(c.text());
      return texts.size() == 1 ? texts.get(0) : "one of " + texts;
    }
  }

  /** Point-by-point judgement of some series of one table: every write of their keys, then the rows read. */
  private final class Drill {
    final Set<String> drill;
    final Map<String, Want> want = new HashMap<>();
    final Set<String> seen = new HashSet<>();
    final Map<Long, Writes> writes;

    Drill(String table, Set<String> drill, Map<Long, Writes> writes) {
      this.drill = drill;
      this.writes = writes;
      for (var e : writes.entrySet()) {
        long batch = e.getKey();
        Writes w = e.getValue();
        int[] line = {-1};
        expected.forEachPoint(batch, p -> {
          line[0]++;
          if (!p.table().equals(table) || !drill.contains(p.seriesKey())) return;
          Want k = want.computeIfAbsent(key(p), x -> new Want());
          k.record(w, batch, line[0], PointKey.fieldsText(p.fields(), exact));
        });
      }
    }

    /** One row read from the table (rows of other series are ignored). */
    void accept(Point p, Findings f) {
      if (!drill.contains(p.seriesKey())) return;
      String k = key(p);
      if (!seen.add(k)) {
        f.duplicated++;
        f.example("duplicated", k);
        return;
      }
      judge(k, want.get(k), p, writes, f);
    }

    /** After every row was read: the keys never seen. */
    void finish(Findings f) {
      for (var e : want.entrySet()) {
        if (!seen.contains(e.getKey())) unseen(e.getKey(), e.getValue(), writes, f);
      }
    }
  }

  /**
   * Series with info/fail points (none overwritten): the keys written by info/fail operations are
   * judged one by one (with every write of those keys), each series' other rows by count + hash
   * against its ok points at other keys. A series' own findings count only when those aggregates
   * match; otherwise {@link #finish} hands the series back to be drilled whole.
   */
  private final class KeyDrill {
    final Map<String, Map<Long, Want>> want = new HashMap<>(); // series -> timestamp -> writes
    final Map<String, long[]> rest = new HashMap<>(); // series -> expected count, hash; actual count, hash
    final Map<String, Set<Long>> seen = new HashMap<>();
    final Map<String, Findings> pending = new HashMap<>();
    final Map<Long, Writes> writes;
    final String table;

    KeyDrill(String table, Set<String> drill, Map<String, SeriesAgg> aggs, Map<Long, Writes> writes) {
      this.table = table;
      this.writes = writes;
      for (String s : drill) {
        SeriesAgg a = aggs.get(s);
        rest.put(s, new long[] {a.okCount, a.okFp, 0, 0});
        want.put(s, new HashMap<>());
        seen.put(s, new HashSet<>());
      }
      // the keys info/fail operations wrote, then the ok writes of those same keys
      for (int okPass = 0; okPass < 2; okPass++) {
        for (var e : writes.entrySet()) {
          long batch = e.getKey();
          Writes w = e.getValue();
          if (w.ok != (okPass == 1)) continue;
          int[] line = {-1};
          expected.forEachPoint(batch, p -> {
            line[0]++;
            if (!p.table().equals(table)) return;
            Map<Long, Want> keys = want.get(p.seriesKey());
            if (keys == null) return;
            Want k = w.ok ? keys.get(p.timestampNanos()) : keys.computeIfAbsent(p.timestampNanos(), x -> new Want());
            if (k == null) return;
            k.record(w, batch, line[0], PointKey.fieldsText(p.fields(), exact));
            if (w.ok) {
              long[] r = rest.get(p.seriesKey());
              r[0]--;
              r[1] -= PointKey.hash(p, exact);
            }
          });
        }
      }
    }

    /** One row read ({@code h}: its hash); rows of other series are ignored. */
    void accept(Point p, long h) {
      Map<Long, Want> keys = want.get(p.seriesKey());
      if (keys == null) return;
      Want w = keys.get(p.timestampNanos());
      if (w == null) {
        long[] r = rest.get(p.seriesKey());
        r[2]++;
        r[3] += h;
        return;
      }
      Findings f = pending.computeIfAbsent(p.seriesKey(), s -> new Findings());
      String k = key(p);
      if (!seen.get(p.seriesKey()).add(p.timestampNanos())) {
        f.duplicated++;
        f.example("duplicated", k);
        return;
      }
      judge(k, w, p, writes, f);
    }

    /** Adds the findings of the series whose other keys match; returns those series (the rest are drilled whole). */
    Set<String> finish(Findings f) {
      Set<String> done = new HashSet<>();
      for (var e : rest.entrySet()) {
        long[] r = e.getValue();
        if (r[0] != r[2] || r[1] != r[3]) continue;
        String s = e.getKey();
        Findings mine = pending.computeIfAbsent(s, x -> new Findings());
        Set<Long> seenHere = seen.get(s);
        for (var k : want.get(s).entrySet()) {
          if (!seenHere.contains(k.getKey())) unseen(table + "," + s + " @" + k.getKey(), k.getValue(), writes, mine);
        }
        f.lost += mine.lost;
        f.unexpected += mine.unexpected;
        f.failPresent += mine.failPresent;
        f.recovered += mine.recovered;
        f.notRecovered += mine.notRecovered;
        f.wrongValue += mine.wrongValue;
        f.duplicated += mine.duplicated;
        mine.examples.forEach((kind, texts) -> texts.forEach(t -> f.example(kind, t)));
        done.add(s);
      }
      return done;
    }
  }

  /** Judges the row {@code p} at key {@code k} against every write of that key ({@code w}, null: none). */
  private void judge(String k, Want w, Point p, Map<Long, Writes> writes, Findings f) {
    String got = PointKey.fieldsText(p.fields(), exact);
    if (w == null) {
      f.unexpected++;
      f.example("unexpected", k + " " + got);
      return;
    }
    if (w.candidates.isEmpty()) {
      f.failPresent++;
      f.example("fail-present", k + " " + got);
      return;
    }
    List<Candidate> live = live(w.candidates, writes);
    for (Candidate c : live) {
      if (c.text().equals(got)) {
        if (!w.ok) f.recovered++;
        return;
      }
    }
    for (Candidate c : w.candidates) {
      if (live.contains(c) || !c.text().equals(got)) continue;
      f.wrongValue++;
      f.example("wrong-value", k + " stale: value of batch " + c.batch() + " (line " + c.line() + ") superseded by "
          + supersededBy(c, w.candidates, writes) + "; expected " + w.describeLive(live) + " got " + got);
      return;
    }
    if (w.failTexts != null && w.failTexts.contains(got)) {
      f.failPresent++;
      f.example("fail-present", k + " " + got + " (the value of a failed write; expected " + w.describeLive(live) + ")");
      return;
    }
    f.wrongValue++;
    f.example("wrong-value", k + " expected " + w.describeLive(live) + " got " + got);
  }

  /** A key that was written ({@code w}) and never read. */
  private static void unseen(String k, Want w, Map<Long, Writes> writes, Findings f) {
    if (w.ok) {
      f.lost++;
      f.example("lost", k + " " + w.describeLive(live(w.candidates, writes)));
    } else if (!w.candidates.isEmpty()) {
      f.notRecovered++;
    }
  }

  /** The candidates no later write supersedes (never empty: the latest ok write is never superseded). */
  private static List<Candidate> live(List<Candidate> candidates, Map<Long, Writes> writes) {
    if (candidates.size() == 1) return candidates;
    List<Candidate> out = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) if (supersededBy(c, candidates, writes) == null) out.add(c);
    return out;
  }

  /** What supersedes candidate {@code c} (for examples), or null when nothing does. */
  private static String supersededBy(Candidate c, List<Candidate> candidates, Map<Long, Writes> writes) {
    Writes mine = writes.get(c.batch());
    for (Candidate d : candidates) {
      if (d.batch() == c.batch()) {
        // the batch was acknowledged whole: its later line was applied after the earlier one
        if (d.line() > c.line() && mine.ok && !mine.info) return "line " + d.line() + " of the same batch";
      } else {
        Writes other = writes.get(d.batch());
        if (other.ok && other.okStart > mine.appliedBy()) return "batch " + d.batch() + " (acknowledged write started after it ended)";
      }
    }
    return null;
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
    if (f.okPoints == 0) {
      String why = "no point was acknowledged (info points " + f.infoPoints + ", fail points " + f.failPoints
          + ", rows read " + f.actualRows + " through " + source + "): nothing had to be readable, so nothing can be judged";
      return List.of(Verdict.unknown("read-back lost", why), Verdict.unknown("read-back unexpected", why),
          Verdict.unknown("read-back wrong-value", why), Verdict.unknown("read-back duplicated", why));
    }
    if (f.actualRows == 0) {
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
        "points whose fields differ from the write that must win (values and kinds: float, integer, boolean, string)"
            + (f.exactTypes ? "" : "; numbers compared by value only: " + source
                + " does not carry float vs integer, so a float->integer type change is not visible")), f, "wrong-value"));
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
