package io.loadchaos.refcluster.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's view of the catalog. On the meta node changes are made locally (authoritative).
 * Elsewhere they are asked of the meta node; while it is unreachable the node places new shards
 * itself with the same deterministic rule the meta node uses and reports them to the meta node
 * when it is back. A background loop pulls the meta node's catalog every second.
 */
public final class CatalogService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CatalogService.class);
  private static final long META_TIMEOUT_MILLIS = 2_000;

  private final Catalog catalog;
  private final boolean isMeta;
  private final MetaLink meta;
  /** Nodes new shards may be placed on (the active members), asked at each placement. */
  private final Supplier<List<String>> nodeIds;
  private final Sharding defaults;
  private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "catalog-sync");
    t.setDaemon(true);
    return t;
  });

  public CatalogService(Catalog catalog, boolean isMeta, MetaLink meta, Supplier<List<String>> nodeIds, Sharding defaults) {
    this.catalog = catalog;
    this.isMeta = isMeta;
    this.meta = meta;
    this.nodeIds = nodeIds;
    this.defaults = defaults;
    if (!isMeta) {
      sync.scheduleWithFixedDelay(this::pull, 0, 1, TimeUnit.SECONDS);
    }
  }

  /** Told (on the meta node) when a write created tables, columns or shards: the management plane pushes them. */
  private volatile Runnable onPlacement = () -> {};

  public void onPlacement(Runnable listener) {
    this.onPlacement = listener;
  }

  public Catalog catalog() {
    return catalog;
  }

  public boolean isMeta() {
    return isMeta;
  }

  public Sharding defaults() {
    return defaults;
  }

  public List<String> nodeIds() {
    return nodeIds.get();
  }

  /** Makes sure the table, columns and shards exist; returns the table as the catalog now has it. */
  public TableSnapshot ensure(EnsureRequest req) {
    if (isMeta) {
      TableSnapshot before = catalog.table(req.db(), req.table());
      TableSnapshot after = catalog.ensure(req, defaults, nodeIds.get());
      if (after != before) {
        onPlacement.run();
      }
      return after;
    }
    try {
      TableSnapshot t = meta.ensure(req).get(META_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      catalog.adopt(t);
      return catalog.table(req.db(), req.table());
    } catch (Exception e) {
      log.warn("meta node unreachable ({}); placing {}.{} locally", e.toString(), req.db(), req.table());
      return catalog.ensure(req, defaults, nodeIds.get());
    }
  }

  private void pull() {
    try {
      List<TableSnapshot> remote = meta.catalog().get(META_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      Map<String, TableSnapshot> byName = new HashMap<>();
      for (TableSnapshot t : remote) {
        catalog.adopt(t);
        byName.put(t.db() + "\u0000" + t.table(), t);
      }
      // report what this node placed on its own while the meta node was away
      for (TableSnapshot mine : catalog.all()) {
        TableSnapshot theirs = byName.get(mine.db() + "\u0000" + mine.table());
        List<EnsureRequest.ShardCoord> missing = new ArrayList<>();
        for (ShardDef s : mine.shards().values()) {
          if (theirs == null || !theirs.shards().containsKey(s.id())) {
            missing.add(new EnsureRequest.ShardCoord(s.timeStart(), s.timeEnd(), s.partition(), s.numHashPartitions(), s.shardKeys(), s.nodeIds().size()));
          }
        }
        boolean columnsMissing = theirs == null || !theirs.columns().keySet().containsAll(mine.columns().keySet());
        if (!missing.isEmpty() || columnsMissing) {
          catalog.adopt(meta.ensure(new EnsureRequest(mine.db(), mine.table(), mine.columns(), missing))
              .get(META_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        }
      }
    } catch (Exception e) {
      log.debug("catalog pull failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    sync.shutdownNow();
  }
}
