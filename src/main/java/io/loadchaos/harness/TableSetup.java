package io.loadchaos.harness;

import io.loadchaos.datagen.DatasetSpec;
import io.loadchaos.datagen.FieldSpec;
import io.loadchaos.datagen.TableSpec;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.target.ClusterTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a table is sharded and replicated, applied before the load: the database and table are
 * created through InfluxDB 3's configure API, then the cluster API sets shard keys, hash
 * partitions and replication factor.
 */
public record TableSetup(String table, List<String> shardKeys, int hashPartitions, int replicationFactor) {

  public TableSetup {
    if (hashPartitions < 1) throw new IllegalArgumentException("table " + table + ": hash partitions must be >= 1");
    if (replicationFactor < 1) throw new IllegalArgumentException("table " + table + ": replication factor must be >= 1");
  }

  static void applyAll(ClusterTarget target, String db, DatasetSpec dataset, List<TableSetup> setups) throws Exception {
    if (setups.isEmpty()) return;
    if (!target.has(ClusterTarget.Capability.MANAGEMENT_API)) {
      throw new IllegalStateException(target.kind() + " target has no cluster API: cannot set sharding for " + setups);
    }
    ClusterHttp http = target.http();
    String url = target.nodes().get(0).clientUrl();
    expect(http.send("POST", url + "/api/v3/configure/database", Map.of("db", db)), "create database " + db, 200, 201, 204, 409);
    for (TableSetup s : setups) {
      TableSpec spec = dataset.tables().stream().filter(t -> t.name().equals(s.table())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("table setup for '" + s.table() + "': dataset "
              + dataset.name() + " has no such table"));
      Map<String, Object> create = new LinkedHashMap<>();
      create.put("db", db);
      create.put("table", s.table());
      create.put("tags", spec.tags().stream().map(t -> t.name()).toList());
      create.put("fields", spec.fields().stream().map(f -> Map.of("name", f.name(), "type", influxType(f))).toList());
      expect(http.send("POST", url + "/api/v3/configure/table", create), "create table " + s.table(), 200, 201, 204, 409);
      Map<String, Object> sharding = new LinkedHashMap<>();
      sharding.put("db_name", db);
      sharding.put("table_name", s.table());
      sharding.put("shard_keys", s.shardKeys());
      sharding.put("num_hash_partitions", s.hashPartitions());
      sharding.put("replication_factor", s.replicationFactor());
      expect(http.send("PUT", url + "/api/v3/cluster/tables/sharding", sharding), "sharding of " + s.table(), 200);
      Run.log("table " + s.table() + ": shard keys " + s.shardKeys() + ", " + s.hashPartitions()
          + " hash partitions, RF " + s.replicationFactor());
    }
  }

  private static String influxType(FieldSpec f) {
    return switch (f.type().name().toLowerCase()) {
      case "float" -> "float64";
      case "integer" -> "int64";
      case "unsigned" -> "uint64";
      case "boolean" -> "bool";
      default -> "utf8";
    };
  }

  private static void expect(ClusterHttp.Response r, String what, int... ok) {
    for (int s : ok) if (r.status() == s) return;
    throw new IllegalStateException(what + " -> HTTP " + r.status() + ": " + r.body());
  }
}
