package io.loadchaos.refcluster.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Immutable view of one table: sharding for new shards, column kinds ("tag" or a field type name)
 * and its shards by id. Replaced as a whole when anything changes (changes are rare).
 */
public record TableSnapshot(
    @JsonProperty("db") String db,
    @JsonProperty("table") String table,
    @JsonProperty("sharding") Sharding sharding,
    @JsonProperty("columns") Map<String, String> columns,
    @JsonProperty("shards") Map<Long, ShardDef> shards) {

  public static final String TAG = "tag";

  public TableSnapshot {
    columns = Map.copyOf(columns);
    shards = Map.copyOf(shards);
  }

  public List<ShardDef> shardList() {
    return shards.values().stream()
        .sorted(Comparator.comparingLong(ShardDef::timeStart).thenComparingInt(ShardDef::partition))
        .toList();
  }
}
