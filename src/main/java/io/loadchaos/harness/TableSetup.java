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
    shardKeys = List.copyOf(shardKeys);
    if (hashPartitions < 1) throw new IllegalArgumentException("table " + table + ": hash partitions must be >= 1");
    if (replicationFactor < 1) throw new IllegalArgumentException("table " + table + ": replication factor must be >= 1");
  }

  /**
   * Table {@code name}, not sharded by a key, in 1 hash partition at the replication factor 3 (the
   * knob's default), to be set with {@link #shardedBy}, {@link #partitions} and {@link #rf}:
   * {@code TableSetup.table("cpu").shardedBy("host").partitions(3).rf(2)}.
   */
  public static TableSetup table(String name) {
    return new TableSetup(name, List.of(), 1, 3);
  }

  /** The same table sharded by these tag keys. */
  public TableSetup shardedBy(String... keys) {
    return new TableSetup(table, List.of(keys), hashPartitions, replicationFactor);
  }

  /** The same table in {@code n} hash partitions. */
  public TableSetup partitions(int n) {
    return new TableSetup(table, shardKeys, n, replicationFactor);
  }

  /** The same table at replication factor {@code n}. */
  public TableSetup rf(int n) {
    return new TableSetup(table, shardKeys, hashPartitions, n);
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
