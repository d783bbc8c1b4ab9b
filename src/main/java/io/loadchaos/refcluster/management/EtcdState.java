package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.catalog.Catalog;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.Sharding;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.etcdcatalog.KeySync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's catalog as etcd keys (docs/catalog.md): {@code db/<db>}, {@code db/<db>/table/<t>}
 * (sharding and columns), {@code shard/<id>} (a ShardDef with its owners), {@code member/<id>}
 * and {@code move/<shard>} (the move registry entry and the node coordinating it). A node keeps
 * the registry entries of the moves it coordinates; the others' are kept as etcd has them.
 */
final class EtcdState implements KeySync.LocalState {
  static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** A table's key: what is not in its shard keys. */
  record TableValue(@JsonProperty("sharding") Sharding sharding, @JsonProperty("columns") Map<String, String> columns) {}

  /** A move's key: the registry entry and who coordinates (runs and resumes) the move. */
  record MoveValue(@JsonProperty("coordinator") String coordinator, @JsonProperty("entry") MoveRegistry.Entry entry) {}

  private final Node node;
  private volatile MoveRegistry registry;
  private final Map<Long, String> remoteMoves = new ConcurrentHashMap<>();
  private volatile Runnable onMembers = () -> {};

  EtcdState(Node node) {
    this.node = node;
  }

  void registry(MoveRegistry registry) {
    this.registry = registry;
  }

  void onMembers(Runnable r) {
    this.onMembers = r;
  }

  static String moveKey(long shardId) {
    return "move/" + shardId;
  }

  /** Every move known: this node's and the ones other nodes coordinate. */
  Map<Long, MoveRegistry.Entry> allMoves() {
    Map<Long, MoveRegistry.Entry> out = new TreeMap<>();
    remoteMoves.forEach((id, v) -> out.put(id, read(v, MoveValue.class).entry()));
    if (registry != null) {
      out.putAll(registry.all());
    }
    return out;
  }

  static boolean moveFree(String value) {
    return value == null || read(value, MoveValue.class).entry().move() == null;
  }

  static String claimValue(String coordinator, MoveRegistry.Move m) {
    return write(new MoveValue(coordinator, new MoveRegistry.Entry(List.of(), m, null)));
  }

  @Override
  public Map<String, String> encode() {
    Catalog c = node.catalog().catalog();
    Map<String, String> out = new HashMap<>();
    for (String db : c.databases()) {
      out.put("db/" + db, "{}");
    }
    for (TableSnapshot t : c.all()) {
      out.put("db/" + t.db() + "/table/" + t.table(), write(new TableValue(t.sharding(), new TreeMap<>(t.columns()))));
      for (ShardDef s : t.shards().values()) {
        out.put("shard/" + s.id(), write(s));
      }
    }
    for (NodeRecord n : node.membership().list()) {
      out.put("member/" + n.id(), write(n));
    }
    remoteMoves.forEach((id, v) -> out.put(moveKey(id), v));
    if (registry != null) {
      registry.all().forEach((id, e) -> out.put(moveKey(id), write(new MoveValue(node.config().id(), e))));
    }
    return out;
  }

  @Override
  public void apply(Map<String, String> changes) {
    Catalog c = node.catalog().catalog();
    boolean members = false;
    // databases and tables before shards: a shard's table must exist
    for (Map.Entry<String, String> e : new TreeMap<>(changes).entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      String[] p = k.split("/");
      if (p[0].equals("db") && p.length == 2) {
        if (v == null) {
          c.removeDatabase(p[1]);
        } else {
          c.adoptDatabases(List.of(p[1]));
        }
      } else if (p[0].equals("db") && p.length == 4) {
        if (v == null) {
          c.remove(p[1], p[3]);
        } else {
          TableValue tv = read(v, TableValue.class);
          TableSnapshot mine = c.table(p[1], p[3]);
          c.replace(new TableSnapshot(p[1], p[3], tv.sharding(), tv.columns(), mine == null ? Map.of() : mine.shards()));
        }
      }
    }
    for (Map.Entry<String, String> e : changes.entrySet()) {
      String[] p = e.getKey().split("/");
      String v = e.getValue();
      switch (p[0]) {
        case "shard" -> applyShard(c, Long.parseLong(p[1]), v);
        case "member" -> {
          members = true;
          if (v == null) {
            node.membership().remove(p[1]);
          } else {
            node.membership().put(read(v, NodeRecord.class));
          }
        }
        case "move" -> applyMove(Long.parseLong(p[1]), v);
        default -> { }
      }
    }
    if (members) {
      onMembers.run();
    }
  }

  private void applyShard(Catalog c, long id, String v) {
    if (v == null) {
      for (TableSnapshot t : c.all()) {
        if (t.shards().containsKey(id)) {
          Map<Long, ShardDef> shards = new HashMap<>(t.shards());
          shards.remove(id);
          c.replace(new TableSnapshot(t.db(), t.table(), t.sharding(), t.columns(), shards));
        }
      }
      return;
    }
    ShardDef s = read(v, ShardDef.class);
    TableSnapshot t = c.table(s.db(), s.table());
    Map<Long, ShardDef> shards = new HashMap<>(t == null ? Map.of() : t.shards());
    shards.put(id, s);
    c.replace(new TableSnapshot(s.db(), s.table(), t == null ? node.catalog().defaults() : t.sharding(), t == null ? Map.of() : t.columns(), shards));
  }

  private void applyMove(long id, String v) {
    MoveValue mv = v == null ? null : read(v, MoveValue.class);
    if (mv != null && mv.coordinator().equals(node.config().id()) && registry != null) {
      remoteMoves.remove(id);
      registry.put(id, mv.entry());
      return;
    }
    if (registry != null) {
      registry.put(id, null);
    }
    if (v == null) {
      remoteMoves.remove(id);
    } else {
      remoteMoves.put(id, v);
    }
  }

  static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T read(String s, Class<T> type) {
    try {
      return JSON.readValue(s, type);
    } catch (IOException e) {
      throw new UncheckedIOException("bad catalog value in etcd: " + s, e);
    }
  }
}
