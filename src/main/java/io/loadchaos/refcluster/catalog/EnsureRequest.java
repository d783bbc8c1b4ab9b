package io.loadchaos.refcluster.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a coordinator needs to exist before it can route a batch: the table, its columns with kinds,
 * and the shards (by time start and partition, cut with the coordinator's view of the sharding).
 */
public record EnsureRequest(
    @JsonProperty("db") String db,
    @JsonProperty("table") String table,
    @JsonProperty("columns") Map<String, String> columns,
    @JsonProperty("shards") List<ShardCoord> shards) {

  /** A shard to create if absent. */
  public record ShardCoord(
      @JsonProperty("time_start_ns") long timeStart,
      @JsonProperty("time_end_ns") long timeEnd,
      @JsonProperty("hash_partition") int partition,
      @JsonProperty("num_hash_partitions") int numHashPartitions,
      @JsonProperty("shard_keys") List<String> shardKeys,
      @JsonProperty("replication_factor") int replicationFactor) {}
}
