package io.loadchaos.refcluster.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Databases, tables, columns and shards with their owners. The meta node's copy is authoritative;
 * every other node keeps a persisted cache, so it can serve from it while the meta node is down.
 * Reads are lock-free (immutable snapshots); changes are serialized and persisted before they are
 * visible to callers.
 */
public final class Catalog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, TableSnapshot>> dbs = new ConcurrentHashMap<>();
  /** Databases created through the configure API before they have a table (kept in their own file). */
  private final Path databasesFile;
  private final Set<String> databases = ConcurrentHashMap.newKeySet();

  public Catalog(Path file) throws IOException {
    this.file = file;
    this.databasesFile = file.resolveSibling("databases.json");
    if (Files.exists(file)) {
      List<TableSnapshot> tables = JSON.readValue(file.toFile(), new TypeReference<List<TableSnapshot>>() {});
      for (TableSnapshot t : tables) {
        dbs.computeIfAbsent(t.db(), k -> new ConcurrentHashMap<>()).put(t.table(), t);
      }
    }
    if (Files.exists(databasesFile)) {
      databases.addAll(JSON.readValue(databasesFile.toFile(), new TypeReference<List<String>>() {}));
    }
  }

  /** Every database name: created explicitly or by a table in it. */
  public List<String> databases() {
    TreeSet<String> all = new TreeSet<>(databases);
    all.addAll(dbs.keySet());
    return new ArrayList<>(all);
  }

  /** Creates an empty database; false if it exists already. */
  public synchronized boolean createDatabase(String db) {
    if (hasDatabase(db)) {
      return false;
    }
    databases.add(db);
    persistDatabases();
    return true;
  }

  /** Learns databases from the meta node. */
  public synchronized void adoptDatabases(Collection<String> names) {
    if (databases.containsAll(names)) {
      return;
    }
    databases.addAll(names);
    persistDatabases();
  }

  /** Creates a table with its columns before any write; null if it exists already. */
  public synchronized TableSnapshot createTable(String db, String table, Map<String, String> columns, Sharding sharding) {
    if (table(db, table) != null) {
      return null;
    }
    TableSnapshot t = new TableSnapshot(db, table, sharding, columns, Map.of());
    put(t);
    return t;
  }

  /** Replaces one shard's definition (owners, status): a move's steps and its cutover. */
  public synchronized TableSnapshot updateShard(ShardDef s) {
    TableSnapshot t = table(s.db(), s.table());
    if (t == null || !t.shards().containsKey(s.id())) {
      throw new IllegalStateException("no " + s.describe() + " in the catalog");
    }
    Map<Long, ShardDef> shards = new HashMap<>(t.shards());
    shards.put(s.id(), s);
    TableSnapshot next = new TableSnapshot(t.db(), t.table(), t.sharding(), t.columns(), shards);
    put(next);
    return next;
  }

  private void persistDatabases() {
    writeAtomically(databasesFile, new ArrayList<>(new TreeSet<>(databases)));
  }

  public TableSnapshot table(String db, String table) {
    Map<String, TableSnapshot> m = dbs.get(db);
    return m == null ? null : m.get(table);
  }

  public boolean hasDatabase(String db) {
    return dbs.containsKey(db) || databases.contains(db);
  }

  public List<TableSnapshot> tables(String db) {
    Map<String, TableSnapshot> m = dbs.get(db);
    return m == null ? List.of() : new ArrayList<>(new TreeMap<>(m).values());
  }

  public List<TableSnapshot> all() {
    List<TableSnapshot> out = new ArrayList<>();
    for (String db : new TreeMap<>(dbs).keySet()) {
      out.addAll(tables(db));
    }
    return out;
  }

  public ShardDef shard(String db, long shardId) {
    for (TableSnapshot t : tables(db)) {
      ShardDef s = t.shards().get(shardId);
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  /**
   * Creates what the request needs and is absent: table (with {@code defaults}), columns (the first
   * kind registered wins; conflicts are left for the caller to report), shards (owners from {@link
   * ShardRouter#owners}). Returns the table as it now is.
   */
  public synchronized TableSnapshot ensure(EnsureRequest req, Sharding defaults, List<String> nodeIds) {
    TableSnapshot t = table(req.db(), req.table());
    Sharding sharding = t == null ? defaults : t.sharding();
    Map<String, String> columns = t == null ? new HashMap<>() : new HashMap<>(t.columns());
    Map<Long, ShardDef> shards = t == null ? new HashMap<>() : new HashMap<>(t.shards());
    boolean changed = t == null;
    for (Map.Entry<String, String> c : req.columns().entrySet()) {
      if (columns.putIfAbsent(c.getKey(), c.getValue()) == null) {
        changed = true;
      }
    }
    for (EnsureRequest.ShardCoord sc : req.shards()) {
      long id = ShardDef.idFor(req.db(), req.table(), sc.timeStart(), sc.partition());
      if (!shards.containsKey(id)) {
        long duration = sc.timeEnd() - sc.timeStart();
        List<String> owners =
            ShardRouter.owners(nodeIds, req.db(), req.table(), sc.timeStart(), duration, sc.partition(), sc.replicationFactor());
        shards.put(
            id,
            new ShardDef(id, req.db(), req.table(), sc.timeStart(), sc.timeEnd(), sc.partition(), sc.numHashPartitions(),
                sc.shardKeys(), owners, ShardDef.STABLE));
        changed = true;
      }
    }
    if (!changed) {
      return t;
    }
    TableSnapshot next = new TableSnapshot(req.db(), req.table(), sharding, columns, shards);
    put(next);
    return next;
  }

  /** Replaces a table's sharding for shards created from now on. */
  public synchronized TableSnapshot setSharding(String db, String table, Sharding sharding) {
    TableSnapshot t = table(db, table);
    if (t == null) {
      return null;
    }
    TableSnapshot next = new TableSnapshot(db, table, sharding, t.columns(), t.shards());
    put(next);
    return next;
  }

  /** Adopts the meta node's view of a table (authoritative for everything it contains). */
  public synchronized void adopt(TableSnapshot authoritative) {
    TableSnapshot mine = table(authoritative.db(), authoritative.table());
    if (authoritative.equals(mine)) {
      return;
    }
    Map<String, String> columns = new HashMap<>(mine == null ? Map.of() : mine.columns());
    columns.putAll(authoritative.columns());
    Map<Long, ShardDef> shards = new HashMap<>(mine == null ? Map.of() : mine.shards());
    shards.putAll(authoritative.shards());
    TableSnapshot next = new TableSnapshot(authoritative.db(), authoritative.table(), authoritative.sharding(), columns, shards);
    if (!next.equals(mine)) {
      put(next);
    }
  }

  /** Takes a table as the etcd catalog has it (replacing this node's copy). */
  public synchronized void replace(TableSnapshot t) {
    if (!t.equals(table(t.db(), t.table()))) {
      put(t);
    }
  }

  /** Drops a table (a table creation that lost its etcd transaction is undone). */
  public synchronized void remove(String db, String table) {
    Map<String, TableSnapshot> m = dbs.get(db);
    if (m != null && m.remove(table) != null) {
      if (m.isEmpty()) {
        dbs.remove(db);
      }
      persist();
    }
  }

  /** Drops a database created without tables (undone like {@link #remove}). */
  public synchronized void removeDatabase(String db) {
    if (databases.remove(db)) {
      persistDatabases();
    }
  }

  /** Learns a shard from a replicated write (the coordinator knew it; this node may not yet). */
  public synchronized void learnShard(ShardDef s, Sharding defaults) {
    TableSnapshot t = table(s.db(), s.table());
    if (t != null && t.shards().containsKey(s.id())) {
      return;
    }
    Map<Long, ShardDef> shards = new HashMap<>(t == null ? Map.of() : t.shards());
    shards.put(s.id(), s);
    put(new TableSnapshot(s.db(), s.table(), t == null ? defaults : t.sharding(), t == null ? Map.of() : t.columns(), shards));
  }

  /** Learns columns from a replicated write. */
  public synchronized void learnColumns(String db, String table, Map<String, String> cols, Sharding defaults) {
    TableSnapshot t = table(db, table);
    if (t != null && t.columns().keySet().containsAll(cols.keySet())) {
      return;
    }
    Map<String, String> columns = new HashMap<>(t == null ? Map.of() : t.columns());
    cols.forEach(columns::putIfAbsent);
    put(new TableSnapshot(db, table, t == null ? defaults : t.sharding(), columns, t == null ? Map.of() : t.shards()));
  }

  private void put(TableSnapshot next) {
    dbs.computeIfAbsent(next.db(), k -> new ConcurrentHashMap<>()).put(next.table(), next);
    persist();
  }

  private void persist() {
    writeAtomically(file, all());
  }

  private static void writeAtomically(Path file, Object value) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.createDirectories(file.getParent());
      Files.write(tmp, JSON.writeValueAsBytes(value));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist catalog to " + file, e);
    }
  }
}
