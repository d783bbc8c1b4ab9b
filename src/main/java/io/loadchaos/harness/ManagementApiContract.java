package io.loadchaos.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.check.Verdict;
import io.loadchaos.target.ClusterHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/scenarios.md section 5: every status-code case of the cluster management API, one verdict each,
 * against a running, loaded cluster.
 */
public final class ManagementApiContract {
  private final Run run;
  private final ClusterHttp http;
  private final String base;
  private final List<Verdict> out = new ArrayList<>();

  private ManagementApiContract(Run run) {
    this.run = run;
    this.http = run.target().http();
    this.base = run.target().nodes().get(0).clientUrl() + "/api/v3/cluster";
  }

  public static List<Verdict> verify(Run run) throws Exception {
    ManagementApiContract c = new ManagementApiContract(run);
    c.nodes();
    c.shards();
    return c.out;
  }

  private ClusterHttp.Response call(String name, String method, String path, Object body, int expected) throws Exception {
    ClusterHttp.Response r = http.send(method, base + path, body);
    boolean errorShape = expected < 400 || r.body().contains("\"error\"");
    out.add(Verdict.of("api " + name, r.status() == expected && errorShape, "HTTP " + r.status(), "HTTP " + expected
        + (expected >= 400 ? " with {\"error\":...}" : ""), method + " " + path + " -> " + abbreviate(r.body())));
    return r;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private Map<String, Object> node(long id, String status) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("id", id);
    n.put("rpc_address", "127.0.0.1:1");
    n.put("http_address", "127.0.0.1:1");
    n.put("status", status);
    return n;
  }

  private boolean listed(long id, String status) throws Exception {
    for (JsonNode n : http.getJson(base + "/nodes")) {
      if (n.path("id").asLong() == id) return status == null || status.equals(n.path("status").asText());
    }
    return false;
  }

  private void nodes() throws Exception {
    ClusterHttp.Response list = call("list nodes", "GET", "/nodes", null, 200);
    out.add(Verdict.of("api list nodes shows the cluster", list.json().size() >= run.target().nodes().size(),
        list.json().size() + " nodes", ">= " + run.target().nodes().size(), "GET /nodes"));
    long id = 901;
    call("add node", "POST", "/nodes", node(id, "Inactive"), 201);
    out.add(Verdict.of("api added node is listed", listed(id, null), listed(id, null) ? "listed" : "missing", "listed", "GET /nodes after add"));
    call("add duplicate node", "POST", "/nodes", node(id, "Inactive"), 409);
    call("add node with bad payload", "POST", "/nodes", Map.of("id", "not-a-number"), 400);
    call("update node status", "PUT", "/nodes/" + id + "/status", Map.of("status", "Inactive"), 200);
    out.add(Verdict.of("api status change is listed", listed(id, "Inactive"), listed(id, "Inactive") ? "Inactive" : "not Inactive",
        "Inactive", "GET /nodes after status update"));
    call("update status of unknown node", "PUT", "/nodes/999999/status", Map.of("status", "Inactive"), 404);
    call("update status with bad payload", "PUT", "/nodes/" + id + "/status", Map.of("nope", 1), 400);
    call("delete node", "DELETE", "/nodes/" + id, null, 204);
    out.add(Verdict.of("api deleted node is gone", !listed(id, null), listed(id, null) ? "still listed" : "gone", "gone", "GET /nodes after delete"));
    call("delete unknown node", "DELETE", "/nodes/999999", null, 404);
    call("delete non-numeric node id", "DELETE", "/nodes/abc", null, 400);
    call("decommission unknown node", "POST", "/nodes/999999/decommission", null, 404);
  }

  private Map<String, Object> move(String db, String table, String shard, String target) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("db_name", db);
    m.put("table_name", table);
    m.put("shard_id_str", shard);
    m.put("target_node_id_str", target);
    return m;
  }

  private void shards() throws Exception {
    String db = run.database();
    JsonNode shards = http.getJson(base + "/shards" + ClusterHttp.query(Map.of("db", db)));
    JsonNode shard = null;
    String nonOwner = null;
    String owner = null;
    for (JsonNode s : shards) {
      List<String> owners = new ArrayList<>();
      s.path("node_ids").forEach(n -> owners.add(n.asText()));
      for (var n : run.target().nodes()) {
        if (!owners.contains(n.id()) && "Stable".equals(s.path("status").asText())) {
          shard = s;
          nonOwner = n.id();
          owner = owners.get(0);
          break;
        }
      }
      if (shard != null) break;
    }
    if (shard == null) {
      out.add(Verdict.unknown("api shard move", "no stable shard with a non-owner node: run with replicationFactor < nodes"));
      return;
    }
    String table = shard.path("table").asText();
    String id = shard.path("id").asText();
    call("list shards of unknown table", "GET", "/shards" + ClusterHttp.query(Map.of("db", db, "table", "no_such_table")), null, 404);
    call("move with unknown db", "POST", "/shards/move", move("no_such_db", table, id, nonOwner), 404);
    call("move with unknown table", "POST", "/shards/move", move(db, "no_such_table", id, nonOwner), 404);
    call("move with unknown shard", "POST", "/shards/move", move(db, table, "999999", nonOwner), 404);
    call("move to unknown node", "POST", "/shards/move", move(db, table, id, "999999"), 404);
    call("move with malformed ids", "POST", "/shards/move", move(db, table, "x-y", "abc"), 400);
    call("move to a current owner", "POST", "/shards/move", move(db, table, id, owner), 409);
    call("sharding with 0 hash partitions", "PUT", "/tables/sharding", Map.of("db_name", db, "table_name", table,
        "shard_keys", List.of(), "num_hash_partitions", 0), 400);
    call("sharding of unknown table", "PUT", "/tables/sharding", Map.of("db_name", db, "table_name", "no_such_table",
        "shard_keys", List.of(), "num_hash_partitions", 1), 404);
    call("move shard", "POST", "/shards/move", move(db, table, id, nonOwner), 202);
    // the move is observable: a migration state, or already done with the new owner listed
    String seen = "";
    long deadline = System.nanoTime() + 60_000_000_000L;
    boolean done = false;
    while (!done && System.nanoTime() < deadline) {
      for (JsonNode s : http.getJson(base + "/shards" + ClusterHttp.query(Map.of("db", db, "table", table)))) {
        if (!s.path("id").asText().equals(id)) continue;
        String st = s.path("status").asText();
        if (!seen.endsWith(st)) seen += (seen.isEmpty() ? "" : " -> ") + st;
        done = st.equals("Stable") && s.path("node_ids").toString().contains("\"" + nonOwner + "\"")
            || st.equals("Stable") && s.path("node_ids").toString().contains(nonOwner);
      }
      Thread.sleep(50);
    }
    out.add(Verdict.of("api move completes", done, seen, "... -> Stable with node " + nonOwner + " as owner",
        "shard " + id + " of " + table + " observed through GET /shards"));
  }
}
