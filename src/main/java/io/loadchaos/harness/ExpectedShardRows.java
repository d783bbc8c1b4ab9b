package io.loadchaos.harness;

import io.loadchaos.check.ExpectedData;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows each of some shards must hold, from the generator and the history: a point of an ok
 * write must be there, of an info write may be, of a fail write must not. Rows are distinct
 * (series, time), as the cluster stores them (a later write of the same key replaces the row), so
 * the count is a bound {@code [ok keys, ok + info keys]}, exact when no info write touched the shard.
 */
final class ExpectedShardRows {
  private ExpectedShardRows() {}

  record Bound(long min, long max) {
    boolean holds(long rows) {
      return rows >= min && rows <= max;
    }

    @Override
    public String toString() {
      return min == max ? Long.toString(min) : "[" + min + ", " + max + "]";
    }
  }

  /** One pass over every write of the history; only points of the given shards are kept. */
  static Map<String, Bound> of(List<ShardMembership> shards, List<History.Op> ops, ExpectedData expected) {
    Map<Long, Outcome> outcomes = new HashMap<>();
    for (History.Op op : ops) {
      // a batch retried by a client appears twice: the strongest outcome wins
      if (op.kind() == OpKind.WRITE) outcomes.merge(op.batchId(), op.outcome(), ExpectedShardRows::stronger);
    }
    Map<String, Set<String>> must = new LinkedHashMap<>();
    Map<String, Set<String>> may = new LinkedHashMap<>();
    for (ShardMembership s : shards) {
      must.put(s.id(), new HashSet<>());
      may.put(s.id(), new HashSet<>());
    }
    for (var e : outcomes.entrySet()) {
      Outcome o = e.getValue();
      if (o == Outcome.FAIL) continue;
      expected.forEachPoint(e.getKey(), p -> {
        for (ShardMembership s : shards) {
          if (!s.contains(p)) continue;
          String key = p.seriesKey() + '\u0000' + p.timestampNanos();
          (o == Outcome.OK ? must : may).get(s.id()).add(key);
        }
      });
    }
    Map<String, Bound> out = new LinkedHashMap<>();
    for (ShardMembership s : shards) {
      Set<String> ok = must.get(s.id());
      long extra = may.get(s.id()).stream().filter(k -> !ok.contains(k)).count();
      out.put(s.id(), new Bound(ok.size(), ok.size() + extra));
    }
    return out;
  }

  static Outcome stronger(Outcome a, Outcome b) {
    if (a == Outcome.OK || b == Outcome.OK) return Outcome.OK;
    if (a == Outcome.INFO || b == Outcome.INFO) return Outcome.INFO;
    return Outcome.FAIL;
  }
}
