package io.loadchaos.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.ExpectedData.Point;
import io.loadchaos.check.ShardCopies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shard listing ({@code GET /api/v3/cluster/shards}) and node-local reads
 * ({@code query_sql?local=true&shard=ID}) of the reference cluster's contract.
 */
public final class HttpShardCopies implements ShardCopies {
  private final ClusterHttp http;
  private final Map<String, String> urlByNodeId;
  private final String db;
  private final Map<String, List<String>> tagKeys;

  public HttpShardCopies(ClusterHttp http, Map<String, String> urlByNodeId, String db,
      Map<String, List<String>> tagKeys) {
    this.http = http;
    this.urlByNodeId = urlByNodeId;
    this.db = db;
    this.tagKeys = tagKeys;
  }

  @Override
  public List<Shard> shards() throws Exception {
    String any = urlByNodeId.values().iterator().next();
    JsonNode arr = http.getJson(any + "/api/v3/cluster/shards" + ClusterHttp.query(Map.of("db", db)));
    List<Shard> out = new ArrayList<>();
    for (JsonNode s : arr) {
      List<String> owners = new ArrayList<>();
      s.path("node_ids").forEach(n -> owners.add(n.asText()));
      out.add(new Shard(s.path("id").asText(), s.path("table").asText(), owners, s.path("status").asText()));
    }
    return out;
  }

  @Override
  public void scanCopy(Shard shard, String nodeId, Consumer<Point> rows) throws Exception {
    String url = urlByNodeId.get(nodeId);
    if (url == null) throw new IllegalStateException("no URL known for node " + nodeId);
    List<String> tags = tagKeys.getOrDefault(shard.table(), List.of());
    http.queryPoints(url, QueryApi.SQL, db, "SELECT * FROM " + HttpActualData.quote(shard.table()),
        Map.of("local", "true", "shard", shard.id()), shard.table(), tags, rows);
  }
}
