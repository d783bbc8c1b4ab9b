package io.loadchaos.refcluster.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** How a table's new shards are cut: time shard length, hash partitions over shard keys, owners. */
public record Sharding(
    @JsonProperty("shard_duration_ns") long shardDurationNs,
    @JsonProperty("shard_keys") List<String> shardKeys,
    @JsonProperty("num_hash_partitions") int numHashPartitions,
    @JsonProperty("replication_factor") int replicationFactor) {

  public Sharding {
    shardKeys = List.copyOf(shardKeys);
  }
}
