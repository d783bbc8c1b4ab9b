package io.loadchaos.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replica consistency: for every shard, every owner's own copy has the same row count and the
 * same order-independent checksum, the sum of {@link PointKey#hash} over its rows (so a value moved
 * between timestamps, a changed kind or a row moved between series changes it).
 */
public final class ReplicaCheck {
  private final ShardCopies copies;

  public ReplicaCheck(ShardCopies copies) {
    this.copies = copies;
  }

  public record Copy(String nodeId, long rows, long checksum, String error) {}

  /** The shards compared, and how many listed shards had a single owner and so nothing to compare. */
  public record Result(List<ShardResult> compared, int singleOwner) {}

  public record ShardResult(ShardCopies.Shard shard, List<Copy> copies) {
    public boolean consistent() {
      if (copies.isEmpty()) return true;
      Copy first = copies.get(0);
      for (Copy c : copies) {
        if (c.error() != null || c.rows() != first.rows() || c.checksum() != first.checksum()) return false;
      }
      return true;
    }
  }

  /** Copies read at once: the owners of a shard are different nodes, so their reads overlap well. */
  private static final int PARALLEL_READS = 3;

  /**
   * Reads and compares every shard that has two owners or more. A shard with one owner has no
   * replica to compare with (RF=1), so it is not read: it is counted in {@link Result#singleOwner}.
   */
  public Result run() throws Exception {
    List<ShardCopies.Shard> all = copies.shards();
    List<ShardCopies.Shard> shards = all.stream().filter(s -> s.nodeIds().size() >= 2).toList();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_READS, r -> {
      Thread t = new Thread(r, "loadchaos-replica-check");
      t.setDaemon(true);
      return t;
    });
    try {
      List<List<Future<Copy>>> pending = new ArrayList<>();
      for (ShardCopies.Shard s : shards) {
        List<Future<Copy>> fs = new ArrayList<>();
        for (String node : s.nodeIds()) fs.add(pool.submit(() -> read(s, node)));
        pending.add(fs);
      }
      List<ShardResult> out = new ArrayList<>();
      for (int i = 0; i < shards.size(); i++) {
        List<Copy> cs = new ArrayList<>();
        for (Future<Copy> f : pending.get(i)) cs.add(f.get());
        out.add(new ShardResult(shards.get(i), cs));
      }
      return new Result(out, all.size() - shards.size());
    } finally {
      pool.shutdownNow();
    }
  }

  private Copy read(ShardCopies.Shard s, String node) {
    long[] acc = new long[2];
    try {
      copies.scanCopy(s, node, p -> {
        acc[0]++;
        // the read-back's strong per-point hash (series, time, fields with their kinds): identical
        // copies plus an exact read-back of the cluster's answer verify every copy point by point
        acc[1] += PointKey.hash(p, true);
      });
      return new Copy(node, acc[0], acc[1], null);
    } catch (Exception e) {
      return new Copy(node, acc[0], acc[1], e.getMessage());
    }
  }

  public static Verdict verdict(Result result) {
    List<ShardResult> results = result.compared();
    if (results.isEmpty() && result.singleOwner() > 0) {
      // not applicable, like a target without node-local reads: there is no second copy to observe
      return Verdict.skipped("replica consistency", "every one of the " + result.singleOwner()
          + " shards has a single owner (replication factor 1): no replica to compare");
    }
    List<String> diffs = new ArrayList<>();
    long rows = 0;
    for (ShardResult r : results) {
      if (!r.copies().isEmpty()) rows += r.copies().get(0).rows();
      if (r.consistent()) continue;
      StringBuilder sb = new StringBuilder(r.shard().table() + " shard " + r.shard().id() + ":");
      for (Copy c : r.copies()) {
        sb.append(" node ").append(c.nodeId()).append(c.error() != null ? " error " + c.error()
            : " rows=" + c.rows() + " sum=" + Long.toHexString(c.checksum()));
      }
      diffs.add(sb.toString());
    }
    String detail = results.size() + " shards compared across their owners (" + rows + " rows per replica set)"
        + (result.singleOwner() == 0 ? "" : "; " + result.singleOwner() + " shards with a single owner not compared");
    Verdict v = Verdict.of("replica consistency", diffs.isEmpty() && !results.isEmpty(),
        diffs.size() + " of " + results.size() + " shards differ", "0 differ",
        results.isEmpty() ? "no shards listed: nothing could be compared" : detail);
    if (diffs.isEmpty()) return v;
    Map<String, List<String>> ex = new LinkedHashMap<>();
    ex.put("divergent", diffs.subList(0, Math.min(ReadBackCheck.MAX_EXAMPLES, diffs.size())));
    return v.withExamples(ex);
  }
}
