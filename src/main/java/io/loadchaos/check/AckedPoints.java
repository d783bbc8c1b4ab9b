package io.loadchaos.check;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many points of one table, per value of one tag, had been acknowledged by given moments: a
 * lower bound for any complete count taken afterwards (acknowledged points never go away, and
 * every generated point is a distinct row). A smaller answer is a silent partial result. Per tag
 * value, because writes that go on during a fault raise the table's total and would hide the
 * missing rows of an unreachable shard; the rows of one shard-key value live in one shard.
 */
public final class AckedPoints {
  private final List<History.Op> acked = new ArrayList<>();
  private final ExpectedData expected;
  private final String table;
  private final String tag;

  public AckedPoints(List<History.Op> ops, ExpectedData expected, String table, String tag) {
    this.expected = expected;
    this.table = table;
    this.tag = tag;
    Set<Long> seen = new HashSet<>();
    for (History.Op op : ops) {
      // a retried batch acknowledged twice still wrote its rows once
      if (op.kind() == OpKind.WRITE && op.outcome() == Outcome.OK && seen.add(op.batchId())) acked.add(op);
    }
    acked.sort(Comparator.comparingLong(History.Op::endMicros));
  }

  /**
   * For each moment (ascending, run microseconds), the points per tag value whose write was
   * acknowledged strictly before it.
   */
  public List<Map<String, Long>> before(long[] moments) {
    List<Map<String, Long>> out = new ArrayList<>();
    Map<String, Long> running = new HashMap<>();
    int next = 0;
    for (long moment : moments) {
      while (next < acked.size() && acked.get(next).endMicros() < moment) {
        expected.forEachPoint(acked.get(next++).batchId(), p -> {
          if (p.table().equals(table)) running.merge(p.tag(tag).orElse(""), 1L, Long::sum);
        });
      }
      out.add(Map.copyOf(running));
    }
    return out;
  }
}
