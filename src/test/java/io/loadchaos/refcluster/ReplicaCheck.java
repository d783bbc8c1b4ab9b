package io.loadchaos.refcluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.local.LocalCluster;
import java.util.Map;
import java.util.TreeMap;

/** Reads every shard copy through node-local queries: count + checksum per owner, as the harness will. */
final class ReplicaCheck {
  private ReplicaCheck() {}

  /** shard id -> owner id -> "count/checksum" for table {@code cpu}-like tables with (host, value) columns. */
  static Map<Long, Map<String, String>> copies(LocalCluster c, String db, String table, String columns) {
    Map<Long, Map<String, String>> out = new TreeMap<>();
    Http.Response shards = Http.get(c.nodes().get(0).clientUrl() + "/api/v3/cluster/shards?db=" + db + "&table=" + table, null);
    if (shards.status() != 200) {
      throw new AssertionError("shard listing failed: " + shards.body());
    }
    for (JsonNode s : shards.json()) {
      long id = s.get("id").asLong();
      Map<String, String> perOwner = new TreeMap<>();
      for (JsonNode owner : s.get("node_ids")) {
        String url = c.node(owner.asText()).clientUrl() + "/api/v3/query_sql?db=" + db + "&local=true&shard=" + id + "&q="
            + Http.enc("SELECT count(*) AS n, coalesce(bit_xor(hash(" + columns + ")), 0) AS h FROM " + table);
        Http.Response r = Http.get(url, null);
        perOwner.put(owner.asText(), r.status() == 200 ? r.json().get(0).get("n").asText() + "/" + r.json().get(0).get("h").asText() : "HTTP " + r.status());
      }
      out.put(id, perOwner);
    }
    return out;
  }

  static boolean consistent(Map<Long, Map<String, String>> copies) {
    return copies.values().stream().allMatch(m -> m.values().stream().distinct().count() == 1 && !m.values().iterator().next().startsWith("HTTP"));
  }
}
