package io.loadchaos.refcluster.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One shard: a time range [timeStart, timeEnd) of a table, one hash partition of it, and its
 * owners. The sharding it was cut with is kept so queries prune it correctly after a config change.
 */
public record ShardDef(
    @JsonProperty("id") long id,
    @JsonProperty("db") String db,
    @JsonProperty("table") String table,
    @JsonProperty("time_start_ns") long timeStart,
    @JsonProperty("time_end_ns") long timeEnd,
    @JsonProperty("hash_partition") int partition,
    @JsonProperty("num_hash_partitions") int numHashPartitions,
    @JsonProperty("shard_keys") List<String> shardKeys,
    @JsonProperty("node_ids") List<String> nodeIds,
    @JsonProperty("status") String status) {

  public static final String STABLE = "Stable";

  public ShardDef {
    shardKeys = List.copyOf(shardKeys);
    nodeIds = List.copyOf(nodeIds);
  }

  /** Deterministic id, so a node can place a shard itself when the meta node is unreachable. */
  public static long idFor(String db, String table, long timeStart, int partition) {
    long h = 0xcbf29ce484222325L;
    String s = db + '\u0000' + table + '\u0000' + timeStart + '\u0000' + partition;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return (h >>> 11) & ((1L << 53) - 1); // fits a JSON number exactly
  }

  public int quorum() {
    return nodeIds.size() / 2 + 1;
  }

  public String describe() {
    return "shard " + id + " (" + db + "." + table + " [" + timeStart + "," + timeEnd + ") partition " + partition + ")";
  }
}
