package io.loadchaos.refcluster.replication;

import io.loadchaos.refcluster.Bugs;
import io.loadchaos.refcluster.NodeConfig;
import io.loadchaos.refcluster.NodeMetrics;
import io.loadchaos.refcluster.catalog.CatalogService;
import io.loadchaos.refcluster.catalog.EnsureRequest;
import io.loadchaos.refcluster.catalog.ShardDef;
import io.loadchaos.refcluster.catalog.ShardRouter;
import io.loadchaos.refcluster.catalog.Sharding;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.lp.LineError;
import io.loadchaos.refcluster.lp.ParseResult;
import io.loadchaos.refcluster.lp.Point;
import io.loadchaos.refcluster.storage.NodeStorage;
import io.loadchaos.refcluster.wal.WalRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write path on the node that received the request: validate column kinds, route every point
 * to its shard (time shard x hash partition), send each shard's lines to all its owners in
 * parallel and succeed once a quorum RF/2+1 of every shard's owners stored them durably. Owners
 * that missed a write get a durable hint for later replay.
 */
public final class WriteCoordinator {
  private static final long QUORUM_WAIT_SECONDS = 15;

  private final String selfId;
  private final CatalogService catalog;
  private final NodeStorage storage;
  private final Map<String, PeerClient> peers;
  private final Map<String, HintQueue> hints;
  private final NodeMetrics metrics;
  private final Bugs bugs;
  private final AtomicLong clock = new AtomicLong();
  private final long versionTag;

  public WriteCoordinator(String selfId, CatalogService catalog, NodeStorage storage, Map<String, PeerClient> peers,
      Map<String, HintQueue> hints, NodeMetrics metrics, Bugs bugs) {
    this.selfId = selfId;
    this.catalog = catalog;
    this.storage = storage;
    this.peers = peers;
    this.hints = hints;
    this.metrics = metrics;
    this.bugs = bugs;
    this.versionTag = versionTag(selfId);
  }

  /**
   * A version that grows with wall-clock time across coordinators: last write wins. The low 8 bits
   * are this coordinator's tag, so two coordinators never stamp the same version and equal
   * versions only ever come from one batch (see Row.merge).
   */
  private long nextVersion() {
    long now = System.currentTimeMillis() << 16;
    return clock.updateAndGet(prev -> (Math.max(prev + 256, now) & ~0xFFL) | versionTag);
  }

  /** The id itself for numeric ids (1..255 distinct), else a hash of it. */
  static long versionTag(String nodeId) {
    try {
      return Integer.parseInt(nodeId) & 0xFFL;
    } catch (NumberFormatException e) {
      return nodeId.hashCode() & 0xFFL;
    }
  }

  public WriteOutcome write(String db, ParseResult parsed, boolean acceptPartial, boolean noSync) {
    List<LineError> errors = new ArrayList<>(parsed.errors());
    if (bugs.ackWithoutWrite() > 0 && ThreadLocalRandom.current().nextDouble() < bugs.ackWithoutWrite()) {
      // deliberate defect: acknowledge without storing anything
      return new WriteOutcome(errors, parsed.points().size(), null);
    }
    Map<String, IntList> byTable = new LinkedHashMap<>();
    List<Point> points = parsed.points();
    String lastTable = null;
    IntList lastIdxs = null;
    for (int i = 0; i < points.size(); i++) {
      String m = points.get(i).measurement();
      if (!m.equals(lastTable)) {
        lastTable = m;
        lastIdxs = byTable.computeIfAbsent(m, k -> new IntList(points.size()));
      }
      lastIdxs.add(i);
    }
    Map<Long, ShardDef> shards = new HashMap<>();
    Map<Long, List<Point>> shardPoints = new LinkedHashMap<>();
    for (Map.Entry<String, IntList> e : byTable.entrySet()) {
      route(db, e.getKey(), e.getValue(), parsed, errors, shards, shardPoints);
    }
    if (!errors.isEmpty() && !acceptPartial) {
      errors.sort(Comparator.comparingInt(LineError::lineNumber));
      return new WriteOutcome(errors, 0, null);
    }
    int accepted = 0;
    long version = nextVersion();
    List<ShardWrite> writes = new ArrayList<>();
    for (Map.Entry<Long, List<Point>> e : shardPoints.entrySet()) {
      ShardDef shard = shards.get(e.getKey());
      accepted += e.getValue().size();
      // deliberate defect shuffle-values: before the batch is encoded, so every owner stores the same wrong rows
      List<Point> stored = bugs.shuffleValues() ? rotateValues(e.getValue()) : e.getValue();
      writes.add(send(shard, stored, version, noSync));
    }
    StringBuilder quorumError = new StringBuilder();
    for (ShardWrite w : writes) {
      boolean ok;
      try {
        ok = w.quorum.get(QUORUM_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception ex) {
        ok = false;
      }
      if (!ok) {
        if (quorumError.length() > 0) {
          quorumError.append("; ");
        }
        quorumError.append(w.describeFailure());
      }
    }
    errors.sort(Comparator.comparingInt(LineError::lineNumber));
    if (quorumError.length() > 0) {
      return new WriteOutcome(errors, accepted,
          "write not acknowledged by a quorum of owners (it may have been applied on a minority): " + quorumError);
    }
    metrics.pointsWritten.increment(accepted);
    return new WriteOutcome(errors, accepted, null);
  }

  /**
   * The deliberate {@code shuffle-values} defect: within each series, every point takes the fields
   * of the series' next point in the batch (the last takes the first's), as a sort that reorders
   * the timestamps but not the values would. Counts, sums and the set of timestamps are unchanged.
   */
  static List<Point> rotateValues(List<Point> points) {
    Map<String, List<Integer>> bySeries = new LinkedHashMap<>();
    for (int i = 0; i < points.size(); i++) {
      bySeries.computeIfAbsent(points.get(i).seriesKey(), k -> new ArrayList<>()).add(i);
    }
    List<Point> out = new ArrayList<>(points);
    for (List<Integer> idxs : bySeries.values()) {
      for (int j = 0; j < idxs.size(); j++) {
        Point at = points.get(idxs.get(j));
        Point from = points.get(idxs.get((j + 1) % idxs.size()));
        out.set(idxs.get(j), new Point(at.measurement(), at.tagKeys(), at.tagValues(), from.fieldNames(), from.fieldTypes(),
            from.fieldValues(), at.timeNs()));
      }
    }
    return out;
  }

  /** A growable list of ints (point indexes), without boxing. */
  private static final class IntList {
    int[] a;
    int n;

    IntList(int capacity) {
      a = new int[Math.max(4, capacity)];
    }

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    boolean isEmpty() {
      return n == 0;
    }
  }

  private void route(String db, String table, IntList idxs, ParseResult parsed, List<LineError> errors,
      Map<Long, ShardDef> shards, Map<Long, List<Point>> shardPoints) {
    TableSnapshot t = catalog.catalog().table(db, table);
    Sharding sh = t == null ? catalog.defaults() : t.sharding();
    Map<String, String> known = t == null ? Map.of() : t.columns();
    Map<String, String> batchCols = new HashMap<>();
    IntList ok = new IntList(idxs.size());
    Map<Long, EnsureRequest.ShardCoord> missing = new HashMap<>();
    long[] ids = new long[parsed.points().size()];
    Point lastOk = null;
    long lastStart = Long.MIN_VALUE;
    int lastPart = -1;
    long lastId = 0;
    boolean lastChecked = false;
    for (int x = 0; x < idxs.size(); x++) {
      int i = idxs.get(x);
      Point p = parsed.points().get(i);
      // most lines of a batch have the same columns as the previous one: checked already
      String err = sameColumns(p, lastOk) ? null : checkKinds(p, known, batchCols);
      if (err != null) {
        errors.add(lineError(parsed, i, err));
        continue;
      }
      lastOk = p;
      ok.add(i);
      long start = ShardRouter.timeStart(p.timeNs(), sh.shardDurationNs());
      int part = ShardRouter.partition(p, sh.shardKeys(), sh.numHashPartitions());
      boolean same = lastChecked && start == lastStart && part == lastPart;
      long id = same ? lastId : ShardDef.idFor(db, table, start, part);
      lastStart = start;
      lastPart = part;
      lastId = id;
      lastChecked = true;
      ids[i] = id;
      if (!same && (t == null || !t.shards().containsKey(id)) && !missing.containsKey(id)) {
        missing.put(id, new EnsureRequest.ShardCoord(start, start + sh.shardDurationNs(), part, sh.numHashPartitions(),
            sh.shardKeys(), sh.replicationFactor()));
      }
    }
    boolean newColumns = !known.keySet().containsAll(batchCols.keySet());
    if (ok.isEmpty()) {
      return;
    }
    if (t == null || newColumns || !missing.isEmpty()) {
      t = catalog.ensure(new EnsureRequest(db, table, batchCols, new ArrayList<>(missing.values())));
      if (newColumns) {
        // another coordinator may have registered a column first with a different kind
        IntList still = new IntList(ok.size());
        Map<String, String> none = new HashMap<>();
        for (int x = 0; x < ok.size(); x++) {
          int i = ok.get(x);
          String err = checkKinds(parsed.points().get(i), t.columns(), none);
          if (err != null) {
            errors.add(lineError(parsed, i, err));
          } else {
            still.add(i);
          }
        }
        ok = still;
      }
    }
    long curId = 0;
    List<Point> cur = null;
    for (int x = 0; x < ok.size(); x++) {
      int i = ok.get(x);
      if (cur == null || ids[i] != curId) {
        ShardDef s = t.shards().get(ids[i]);
        shards.putIfAbsent(s.id(), s);
        curId = ids[i];
        cur = shardPoints.computeIfAbsent(s.id(), k -> new ArrayList<>());
      }
      cur.add(parsed.points().get(i));
    }
  }

  private static LineError lineError(ParseResult parsed, int pointIndex, String message) {
    return new LineError(parsed.lineNumberOf(pointIndex), parsed.lineText(pointIndex), message);
  }

  /** Same tag keys, field names and field types. */
  public static boolean sameColumns(Point p, Point q) {
    return q != null && Arrays.equals(p.tagKeys(), q.tagKeys()) && Arrays.equals(p.fieldNames(), q.fieldNames())
        && Arrays.equals(p.fieldTypes(), q.fieldTypes());
  }

  /** Null when every column of the point has the kind the table (or this batch) gave it first. */
  private static String checkKinds(Point p, Map<String, String> known, Map<String, String> batch) {
    for (String k : p.tagKeys()) {
      String have = known.getOrDefault(k, batch.get(k));
      if (have != null && !have.equals(TableSnapshot.TAG)) {
        return "column '" + k + "' is a " + have + " field in table '" + p.measurement() + "' but is used as a tag";
      }
    }
    for (int j = 0; j < p.fieldNames().length; j++) {
      String k = p.fieldNames()[j];
      String kind = p.fieldTypes()[j].name();
      String have = known.getOrDefault(k, batch.get(k));
      if (have != null && !have.equals(kind)) {
        return "invalid field type for '" + k + "' in table '" + p.measurement() + "': expected " + have + ", got " + kind;
      }
    }
    for (String k : p.tagKeys()) {
      batch.putIfAbsent(k, TableSnapshot.TAG);
    }
    for (int j = 0; j < p.fieldNames().length; j++) {
      batch.putIfAbsent(p.fieldNames()[j], p.fieldTypes()[j].name());
    }
    return null;
  }

  private ShardWrite send(ShardDef shard, List<Point> points, long version, boolean noSync) {
    WalRecord rec = WalRecord.of(shard.id(), shard.db(), shard.table(), version, points);
    ReplicaWrite rw = new ReplicaWrite(shard, rec);
    if (bugs.noReplication()) {
      // deliberate defect: only the coordinator stores the write
      ShardWrite w = new ShardWrite(shard, List.of(selfId), 1);
      CompletableFuture<Void> local = storage.write(rec, points);
      (noSync ? CompletableFuture.<Void>completedFuture(null) : local).whenComplete((v, ex) -> w.outcome(selfId, ex == null));
      return w;
    }
    List<String> owners = shard.nodeIds();
    ShardWrite w = new ShardWrite(shard, owners, bugs.writeQuorum(owners.size(), shard.quorum()));
    for (String owner : owners) {
      if (owner.equals(selfId)) {
        CompletableFuture<Void> local = storage.write(rec, points);
        (noSync ? CompletableFuture.<Void>completedFuture(null) : local).whenComplete((v, ex) -> w.outcome(owner, ex == null));
        continue;
      }
      PeerClient peer = peers.get(owner);
      if (peer == null) {
        w.outcome(owner, false);
        continue;
      }
      if (peer.health().suspected()) {
        w.outcome(owner, false);
        hints.get(owner).add(rw);
        continue;
      }
      metrics.replicationSends.increment();
      peer.write(rw, noSync).whenComplete((v, ex) -> {
        if (ex == null) {
          peer.health().ok();
          w.outcome(owner, true);
        } else {
          metrics.replicationFailures.increment();
          peer.health().failed();
          hints.get(owner).add(rw);
          w.outcome(owner, false);
        }
      });
    }
    return w;
  }

  /** Quorum bookkeeping for one shard of one batch. */
  private static final class ShardWrite {
    final ShardDef shard;
    final List<String> owners;
    final int needed;
    final List<String> acked = new ArrayList<>();
    final List<String> failed = new ArrayList<>(); // unreachable, timed out or refused
    final CompletableFuture<Boolean> quorum = new CompletableFuture<>();

    ShardWrite(ShardDef shard, List<String> owners, int needed) {
      this.shard = shard;
      this.owners = owners;
      this.needed = needed;
    }

    synchronized void outcome(String owner, boolean ok) {
      (ok ? acked : failed).add(owner);
      if (acked.size() >= needed) {
        quorum.complete(true);
      } else if (failed.size() > owners.size() - needed) {
        quorum.complete(false);
      }
    }

    synchronized String describeFailure() {
      List<String> pending = new ArrayList<>(owners);
      pending.removeAll(acked);
      pending.removeAll(failed);
      return shard.describe() + " needs " + needed + " of owners " + owners + ", acknowledged by " + sorted(acked)
          + ", missing owners " + sorted(failed) + (pending.isEmpty() ? "" : ", not yet answered " + sorted(pending));
    }

    private static List<String> sorted(List<String> ids) {
      List<String> out = new ArrayList<>(ids);
      out.sort(NodeConfig::compareIds);
      return out;
    }
  }
}
