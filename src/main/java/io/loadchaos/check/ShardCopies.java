package io.loadchaos.check;

import java.util.List;
import java.util.function.Consumer;

/** Access to each owner's own copy of each shard (node-local reads). */
public interface ShardCopies {

  record Shard(String id, String table, List<String> nodeIds, String status) {}

  /** Every shard of the database, across tables. */
  List<Shard> shards() throws Exception;

  /** Streams one owner's own copy of one shard. */
  void scanCopy(Shard shard, String nodeId, Consumer<ExpectedData.Point> rows) throws Exception;
}
