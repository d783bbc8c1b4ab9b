package io.loadchaos.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.loadchaos.config.Parsers;
import io.loadchaos.history.History;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Cluster operations as faults, through the management API: add a node (and move shards to it),
 * move shards, decommission a node, change a node's status. Moves and decommissions are followed
 * state by state until they finish, and every observed state is kept for the report.
 */
final class ClusterOpNemesis implements Nemesis {
  private final ClusterTarget target;
  private final String db;
  private final History history;
  private final Random random;
  private final List<Map<String, Object>> shardStates;
  private final List<ChaosEngine.StartedMove> startedMoves;
  private final List<ClusterTarget.Node> addedNodes = new ArrayList<>();
  /** How often the listing is polled while a move or decommission is in flight. */
  static final long POLL_MILLIS = ChaosEngine.SHARD_POLL_MILLIS;

  ClusterOpNemesis(ClusterTarget target, String db, History history, Random random, List<Map<String, Object>> shardStates,
      List<ChaosEngine.StartedMove> startedMoves) {
    this.startedMoves = startedMoves;
    this.target = target;
    this.db = db;
    this.history = history;
    this.random = random;
    this.shardStates = shardStates;
  }

  private String anyUrl() {
    return target.nodes().get(0).clientUrl();
  }

  private ClusterHttp http() {
    return target.http();
  }

  @Override
  public Heal inject(FaultSpec f, List<String> nodes) throws Exception {
    Duration timeout = Parsers.parseDuration(f.param("timeout", "120s"));
    switch (f.action()) {
      case ADD_NODE -> {
        String id = addNode();
        int moves = Integer.parseInt(f.param("moves", "0"));
        if (moves > 0) moveShards(f.param("table", null), moves, id, timeout, "newest".equals(f.param("pick", "random")));
        return () -> "node " + id + " stays in the cluster";
      }
      case MOVE_SHARD -> {
        String to = f.param("to", "new");
        if (to.equals("new")) to = addNode();
        String table = f.target().startsWith("table:") ? f.target().substring(6) : f.param("table", null);
        moveShards(table, Integer.parseInt(f.param("count", "1")), to, timeout, "newest".equals(f.param("pick", "random")));
        return () -> "moves complete";
      }
      case DECOMMISSION -> {
        for (String id : nodes) decommission(id, timeout);
        return () -> "decommissioned " + nodes;
      }
      case NODE_STATUS -> {
        String status = f.param("status", "Inactive");
        for (String id : nodes) setStatus(id, status);
        return () -> {
          for (String id : nodes) setStatus(id, "Active");
          return "status of " + nodes + " back to Active";
        };
      }
      default -> throw new IllegalArgumentException("not a cluster operation: " + f.action().label());
    }
  }

  private String addNode() throws Exception {
    var prov = target.provisioner().orElseThrow(() ->
        new UnsupportedOperationException(target.kind() + " target cannot start new nodes"));
    NodeProvisioner.NewNode n = prov.startNewNode();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", Long.parseLong(n.node().id()));
    body.put("rpc_address", n.rpcAddress());
    body.put("http_address", n.httpAddress());
    body.put("status", "Active");
    var resp = http().send("POST", anyUrl() + "/api/v3/cluster/nodes", body);
    if (resp.status() != 201) throw new IllegalStateException("add node " + n.node().id() + " -> HTTP " + resp.status() + " " + resp.body());
    addedNodes.add(n.node());
    return n.node().id();
  }

  private void moveShards(String table, int count, String to, Duration timeout, boolean newestFirst) throws Exception {
    List<JsonNode> candidates = new ArrayList<>();
    for (JsonNode s : shards()) {
      if (table != null && !table.equals(s.path("table").asText())) continue;
      if (!"Stable".equals(s.path("status").asText())) continue;
      boolean owned = false;
      for (JsonNode n : s.path("node_ids")) owned |= n.asText().equals(to);
      if (!owned) candidates.add(s);
    }
    if (candidates.isEmpty()) throw new IllegalStateException("no stable shard" + (table == null ? "" : " of " + table) + " to move to node " + to);
    if (newestFirst) {
      // the newest time shards are the ones the load is writing to right now
      candidates.sort(Comparator.comparingLong((JsonNode s) -> s.path("time_start_ns").asLong()).reversed());
    } else {
      Collections.shuffle(candidates, random);
    }
    for (JsonNode s : candidates.subList(0, Math.min(count, candidates.size()))) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("db_name", db);
      body.put("table_name", s.path("table").asText());
      body.put("shard_id_str", s.path("id").asText());
      body.put("target_node_id_str", to);
      var resp = http().send("POST", anyUrl() + "/api/v3/cluster/shards/move", body);
      if (resp.status() != 202) throw new IllegalStateException("move shard " + s.path("id").asText() + " -> HTTP " + resp.status() + " " + resp.body());
      String id = s.path("id").asText();
      List<String> ownersBefore = new ArrayList<>();
      s.path("node_ids").forEach(n -> ownersBefore.add(n.asText()));
      ChaosEngine.StartedMove started = new ChaosEngine.StartedMove(id, s.path("table").asText(), List.copyOf(ownersBefore), to,
          history.nowMicros(), -1);
      startedMoves.add(started);
      awaitShard(id, to, timeout);
      synchronized (startedMoves) {
        startedMoves.set(startedMoves.indexOf(started), new ChaosEngine.StartedMove(id, started.table(), started.ownersBefore(), to,
            started.startedMicros(), history.nowMicros()));
      }
    }
  }

  private void awaitShard(String shardId, String newOwner, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode s : recordStates()) {
        if (!s.path("id").asText().equals(shardId)) continue;
        boolean owns = false;
        for (JsonNode n : s.path("node_ids")) owns |= n.asText().equals(newOwner);
        if (owns && "Stable".equals(s.path("status").asText())) return;
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException("shard " + shardId + " did not reach Stable on node " + newOwner + " within " + timeout);
  }

  private void decommission(String id, Duration timeout) throws Exception {
    var resp = http().send("POST", anyUrl() + "/api/v3/cluster/nodes/" + id + "/decommission", null);
    if (resp.status() != 202) throw new IllegalStateException("decommission " + id + " -> HTTP " + resp.status() + " " + resp.body());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      recordStates();
      for (JsonNode n : http().getJson(anyUrl() + "/api/v3/cluster/nodes")) {
        if (n.path("id").asText().equals(id) && "Decommissioned".equals(n.path("status").asText())) {
          recordStates();
          return;
        }
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException("node " + id + " not Decommissioned within " + timeout);
  }

  private void setStatus(String id, String status) throws Exception {
    var resp = http().send("PUT", anyUrl() + "/api/v3/cluster/nodes/" + id + "/status", Map.of("status", status));
    if (resp.status() != 200) throw new IllegalStateException("status of " + id + " -> HTTP " + resp.status() + " " + resp.body());
  }

  private JsonNode shards() throws Exception {
    return http().getJson(anyUrl() + "/api/v3/cluster/shards" + ClusterHttp.query(Map.of("db", db)));
  }

  /** Reads the shard listing and keeps every shard whose state changed since the last look. */
  private JsonNode recordStates() throws Exception {
    JsonNode all = shards();
    long t = history.nowMicros();
    synchronized (shardStates) {
      for (JsonNode s : all) {
        String id = s.path("id").asText();
        String state = s.path("status").asText() + " " + s.path("node_ids");
        Map<String, Object> last = null;
        for (int i = shardStates.size() - 1; i >= 0; i--) {
          if (id.equals(shardStates.get(i).get("shard"))) {
            last = shardStates.get(i);
            break;
          }
        }
        if (last != null && state.equals(last.get("state"))) continue;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("t_us", t);
        e.put("shard", id);
        e.put("table", s.path("table").asText());
        e.put("status", s.path("status").asText());
        e.put("node_ids", s.path("node_ids").toString());
        e.put("state", state);
        shardStates.add(e);
      }
    }
    return all;
  }
}
