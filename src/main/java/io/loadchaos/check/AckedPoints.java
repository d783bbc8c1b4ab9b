package io.loadchaos.check;

import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many points of one table had been acknowledged by a given moment: a lower bound for any
 * complete count of that table taken afterwards (acknowledged points never go away, and every
 * generated point is a distinct row). A smaller answer is a silent partial result.
 */
public final class AckedPoints {
  private final long[] ackedAtMicros;
  private final long[] cumulative;

  public AckedPoints(List<History.Op> ops, ExpectedData expected, String table) {
    List<History.Op> acked = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (History.Op op : ops) {
      // a retried batch acknowledged twice still wrote its rows once
      if (op.kind() == OpKind.WRITE && op.outcome() == Outcome.OK && seen.add(op.batchId())) acked.add(op);
    }
    acked.sort(java.util.Comparator.comparingLong(History.Op::endMicros));
    ackedAtMicros = new long[acked.size()];
    cumulative = new long[acked.size()];
    long total = 0;
    for (int i = 0; i < acked.size(); i++) {
      long[] n = {0};
      expected.forEachPoint(acked.get(i).batchId(), p -> {
        if (p.table().equals(table)) n[0]++;
      });
      total += n[0];
      ackedAtMicros[i] = acked.get(i).endMicros();
      cumulative[i] = total;
    }
  }

  /** Points of the table whose write was acknowledged strictly before {@code micros}. */
  public long before(long micros) {
    int i = Arrays.binarySearch(ackedAtMicros, micros);
    // first index with ackedAt >= micros: everything before it counts
    if (i < 0) i = -i - 1;
    else while (i > 0 && ackedAtMicros[i - 1] == micros) i--;
    return i == 0 ? 0 : cumulative[i - 1];
  }
}
