package io.loadchaos.check;

import io.loadchaos.history.History.Op;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import io.loadchaos.history.QueryLedger.Answer;
import io.loadchaos.history.QueryLedger.Group;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Query answers against what the history allows, Jepsen-style: the expected side (the written
 * points, regenerated per batch, and the write history) and the recorded answers go in, findings
 * come out. Per answer and group:
 * <ul>
 *   <li>upper = points of ok or info writes invoked before the query ended (a fail write never counts);</li>
 *   <li>lower = points of ok writes acknowledged more than {@code graceMicros} before the query started,
 *       leaving out writes acknowledged inside a stale window (a fault, the recovery after it): a
 *       replica that missed them serves its own stale copy until hinted handoff replays, and the
 *       cluster's contract reads one owner per shard;</li>
 *   <li>the count must lie in [lower, upper]; a group never written, or returned twice, is wrong;
 *       where lower == upper the point set is known exactly, so the integer sum must be exact.</li>
 * </ul>
 * Final-round answers (after heal and settle, no write in flight) are judged against every ok write
 * (lower) and every ok or info write (upper), with no grace and no stale window when {@code strictFinal}.
 * Bounds come from one sweep over batches and answers in time order: each batch is regenerated once.
 */
public final class QueryCorrectnessCheck {
  private final Map<String, QueryMeaning> templates;
  private final QueryMeaning.Points points;
  private final List<Op> ops;
  private final List<long[]> staleWindows;
  private final long graceMicros;

  /**
   * @param templates meaning per template name
   * @param staleWindows [from, to) run microseconds in which an acknowledged write may still be missing
   *     from one owner (faults and their recovery, from a little before the fault)
   */
  public QueryCorrectnessCheck(Map<String, QueryMeaning> templates, QueryMeaning.Points points, List<Op> ops,
      List<long[]> staleWindows, long graceMicros) {
    this.templates = templates;
    this.points = points;
    this.ops = ops;
    this.staleWindows = staleWindows;
    this.graceMicros = graceMicros;
  }

  /** What the comparison found. */
  public static final class Findings {
    public long loadCompared;
    public long finalCompared;
    public long wrongAnswers;
    public long groupsCompared;
    public long exactGroups;
    public long exactSums;
    public long unknownTemplate;
    public final List<String> examples = new ArrayList<>();

    public long compared() {
      return loadCompared + finalCompared;
    }
  }

  /** Running totals of one template's groups: count, count of points that repeat a key, sum. */
  private static final class Totals {
    final Map<String, long[]> byGroup = new HashMap<>();

    void add(Map<String, long[]> contribution) {
      contribution.forEach((g, c) -> {
        long[] t = byGroup.computeIfAbsent(g, x -> new long[3]);
        t[0] += c[0];
        t[1] += c[1];
        t[2] += c[2];
      });
    }
  }

  /** A batch's rows per template and group: [count, repeating points, sum]. */
  private Map<String, Map<String, long[]>> contributions(long batchId) {
    Map<String, Map<String, long[]>> out = new HashMap<>();
    points.forEachPoint(batchId, p -> {
      for (var e : templates.entrySet()) {
        QueryMeaning m = e.getValue();
        if (!m.matches(p)) continue;
        long[] c = out.computeIfAbsent(e.getKey(), x -> new HashMap<>()).computeIfAbsent(m.group(p), x -> new long[3]);
        c[0]++;
        if (p.repeatsKey()) c[1]++;
        if (m.sumField() != null) {
          Long v = p.integerField(m.sumField());
          if (v != null) c[2] += v;
        }
      }
    });
    return out;
  }

  /** The bounds an answer is judged by, per group: [upper count, upper sum, lower count]. */
  private static final class Bounds {
    Map<String, long[]> upper = Map.of();
    Map<String, long[]> lower = Map.of();
  }

  private record Batch(long id, long invokedMicros, long ackedMicros, boolean stale) {}

  private static final int UPPER = 0;
  private static final int LOWER = 1;

  public Findings run(List<Answer> answers, boolean strictFinal) {
    Findings f = new Findings();
    List<Answer> judged = new ArrayList<>();
    for (Answer a : answers) {
      if (!a.answered()) continue;
      if (!templates.containsKey(a.template())) {
        f.unknownTemplate++;
        continue;
      }
      judged.add(a);
    }
    List<Batch> batches = batches();
    // checkpoints: (time, answer index, which bound); a final answer sees everything
    List<long[]> checkpoints = new ArrayList<>();
    for (int i = 0; i < judged.size(); i++) {
      Answer a = judged.get(i);
      checkpoints.add(new long[] {a.finalRound() ? Long.MAX_VALUE : a.endMicros(), i, UPPER});
      checkpoints.add(new long[] {a.finalRound() ? Long.MAX_VALUE : a.startMicros() - graceMicros, i, LOWER});
    }
    checkpoints.sort(Comparator.comparingLong(c -> c[0]));
    // events: a batch enters the upper totals when invoked, the lower ones when acknowledged
    List<long[]> events = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      Batch b = batches.get(i);
      events.add(new long[] {b.invokedMicros(), i, UPPER});
      if (b.ackedMicros() != Long.MAX_VALUE) events.add(new long[] {b.ackedMicros(), i, LOWER});
    }
    events.sort(Comparator.comparingLong((long[] e) -> e[0]).thenComparingLong(e -> e[2]));
    Map<String, Totals> upper = new HashMap<>();
    Map<String, Totals> lower = new HashMap<>();
    Map<String, Totals> staleLower = new HashMap<>();
    Map<Integer, Map<String, Map<String, long[]>>> pending = new HashMap<>();
    Bounds[] bounds = new Bounds[judged.size()];
    int next = 0;
    for (long[] cp : checkpoints) {
      // strictly before the checkpoint; events at Long.MAX_VALUE never exist
      while (next < events.size() && (events.get(next)[0] < cp[0] || cp[0] == Long.MAX_VALUE)) {
        long[] e = events.get(next++);
        Batch b = batches.get((int) e[1]);
        if (e[2] == UPPER) {
          Map<String, Map<String, long[]>> c = contributions(b.id());
          c.forEach((t, groups) -> upper.computeIfAbsent(t, x -> new Totals()).add(groups));
          if (b.ackedMicros() != Long.MAX_VALUE) pending.put((int) e[1], c);
        } else {
          Map<String, Map<String, long[]>> c = pending.remove((int) e[1]);
          Map<String, Totals> into = b.stale() ? staleLower : lower;
          c.forEach((t, groups) -> into.computeIfAbsent(t, x -> new Totals()).add(groups));
        }
      }
      Answer a = judged.get((int) cp[1]);
      Bounds bd = bounds[(int) cp[1]] == null ? (bounds[(int) cp[1]] = new Bounds()) : bounds[(int) cp[1]];
      if (cp[2] == UPPER) {
        bd.upper = snapshot(upper.get(a.template()), null);
      } else {
        boolean withStale = a.finalRound() && strictFinal;
        bd.lower = snapshot(lower.get(a.template()), withStale ? staleLower.get(a.template()) : null);
      }
    }
    for (int i = 0; i < judged.size(); i++) judge(judged.get(i), bounds[i], f);
    return f;
  }

  private static Map<String, long[]> snapshot(Totals t, Totals extra) {
    Map<String, long[]> out = new HashMap<>();
    for (Totals x : new Totals[] {t, extra}) {
      if (x == null) continue;
      x.byGroup.forEach((g, c) -> {
        long[] o = out.computeIfAbsent(g, k -> new long[3]);
        o[0] += c[0];
        o[1] += c[1];
        o[2] += c[2];
      });
    }
    return out;
  }

  /**
   * Per batch: when its first ok or info attempt was invoked, when its first ok attempt was
   * acknowledged (MAX: never), and whether that acknowledgement fell in a stale window. Batches
   * with only failed attempts wrote nothing.
   */
  private List<Batch> batches() {
    Map<Long, long[]> byId = new LinkedHashMap<>();
    for (Op op : ops) {
      if (op.kind() != OpKind.WRITE || op.outcome() == Outcome.FAIL) continue;
      long[] b = byId.computeIfAbsent(op.batchId(), x -> new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
      b[0] = Math.min(b[0], op.startMicros());
      if (op.outcome() == Outcome.OK && op.latencyMicros() >= 0) b[1] = Math.min(b[1], op.endMicros());
    }
    List<Batch> out = new ArrayList<>(byId.size());
    byId.forEach((id, b) -> out.add(new Batch(id, b[0], b[1], b[1] != Long.MAX_VALUE && stale(b[1]))));
    return out;
  }

  private boolean stale(long ackMicros) {
    for (long[] w : staleWindows) if (ackMicros >= w[0] && ackMicros < w[1]) return true;
    return false;
  }

  private void judge(Answer a, Bounds b, Findings f) {
    QueryMeaning m = templates.get(a.template());
    if (a.finalRound()) f.finalCompared++;
    else f.loadCompared++;
    List<String> wrong = new ArrayList<>();
    if (a.problem() != null) wrong.add(a.problem());
    Set<String> seen = new HashSet<>();
    for (Group g : a.groups()) {
      if (!seen.add(g.key())) wrong.add(m.describeGroup(g.key()) + " returned twice");
    }
    if (m.limit() > 0) {
      // a LIMIT query: as many rows as the limit, unless fewer rows could exist
      long rows = a.groups().isEmpty() ? 0 : a.groups().get(0).count();
      long lo = Math.min(m.limit(), lowerCount(b.lower.get("")));
      long hi = Math.min(m.limit(), b.upper.getOrDefault("", new long[3])[0]);
      f.groupsCompared++;
      if (rows < lo || rows > hi) wrong.add(rows + " rows not in [" + lo + ", " + hi + "] for LIMIT " + m.limit());
    } else {
      Set<String> keys = new TreeSet<>();
      a.groups().forEach(g -> keys.add(g.key()));
      b.lower.forEach((g, c) -> {
        if (lowerCount(c) > 0) keys.add(g);
      });
      if (!m.grouped()) keys.add("");
      Map<String, Group> got = new HashMap<>();
      a.groups().forEach(g -> got.putIfAbsent(g.key(), g));
      for (String key : keys) {
        f.groupsCompared++;
        long[] up = b.upper.getOrDefault(key, new long[3]);
        long lo = lowerCount(b.lower.get(key));
        Group g = got.get(key);
        long count = g == null ? 0 : g.count();
        if (m.grouped() && g != null && up[0] == 0) {
          wrong.add(m.describeGroup(key) + " was never written, yet returned with count " + count);
          continue;
        }
        if (count < lo || count > up[0]) {
          wrong.add(m.describeGroup(key) + (g == null ? " missing (count 0)" : " count " + count) + " not in [" + lo
              + ", " + up[0] + "]");
          continue;
        }
        if (lo == up[0]) {
          f.exactGroups++;
          if (m.sumField() != null && count > 0) {
            f.exactSums++;
            if (g.sum() == null || g.sum() != up[2]) {
              wrong.add(m.describeGroup(key) + " sum(" + m.sumField() + ") " + g.sum() + " != " + up[2]
                  + " (count " + count + " is exact)");
            }
          }
        }
      }
    }
    if (!wrong.isEmpty()) {
      f.wrongAnswers++;
      String where = a.template() + " via node " + a.nodeId() + (a.finalRound() ? " in the final round"
          : " at +" + String.format(Locale.ROOT, "%.1f", a.startMicros() / 1e6) + " s (" + a.kind() + ")") + ": ";
      for (String w : wrong) if (f.examples.size() < 20) f.examples.add(where + w);
    }
  }

  /** Points every correct count must include: repeating points may have merged with their original row. */
  private static long lowerCount(long[] c) {
    return c == null ? 0 : c[0] - c[1];
  }

  // ---- reading answers ----

  /** The groups of one result, or the reason it cannot be read as the template's aggregates. */
  public record Parsed(String problem, List<Group> groups) {}

  /**
   * Reads a result (columns and rows, InfluxQL normalised: group tags as columns, no time column)
   * as the template's groups: the group tag's column, count in {@code n}, sum in {@code s}.
   */
  public static Parsed parse(QueryMeaning m, List<String> columns, List<Object[]> rows) {
    if (m.limit() > 0) return new Parsed(null, List.of(new Group("", rows.size(), null)));
    if (rows.isEmpty()) return new Parsed(null, List.of());
    int n = columns.indexOf(QueryMeaning.COUNT_COLUMN);
    int s = m.sumField() == null ? -1 : columns.indexOf(QueryMeaning.SUM_COLUMN);
    int g = m.grouped() ? columns.indexOf(m.groupBy()) : -1;
    if (n < 0) return new Parsed("no count column '" + QueryMeaning.COUNT_COLUMN + "' in " + columns, List.of());
    if (m.sumField() != null && s < 0) return new Parsed("no sum column '" + QueryMeaning.SUM_COLUMN + "' in " + columns, List.of());
    if (m.grouped() && g < 0) return new Parsed("no group column '" + m.groupBy() + "' in " + columns, List.of());
    if (!m.grouped() && rows.size() > 1) return new Parsed("an ungrouped aggregate returned " + rows.size() + " rows", List.of());
    List<Group> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      Long count = integer(r[n]);
      if (count == null || count < 0) return new Parsed("count is not a non-negative integer: " + r[n], List.of());
      Long sum = null;
      if (s >= 0 && r[s] != null) {
        sum = integer(r[s]);
        if (sum == null) return new Parsed("sum is not an integer: " + r[s], List.of());
      }
      String key = g < 0 ? "" : r[g] == null ? null : String.valueOf(r[g]);
      if (key == null) return new Parsed("a row has no value in group column " + m.groupBy(), List.of());
      out.add(new Group(key, count, sum));
    }
    return new Parsed(null, out);
  }

  private static Long integer(Object v) {
    if (v == null) return null;
    try {
      return new BigDecimal(String.valueOf(v)).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }
}
