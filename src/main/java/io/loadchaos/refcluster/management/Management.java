package io.loadchaos.refcluster.management;

import com.linecorp.armeria.server.ServerBuilder;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.etcdcatalog.CatalogSpec;
import io.loadchaos.refcluster.etcdcatalog.KeySync;
import io.loadchaos.refcluster.replication.ReplicaWrite;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The management plane of one node: membership sync, the source side of shard moves, and on the
 * meta node the move/decommission coordinator. Its HTTP routes are registered by {@link #register}.
 */
public final class Management implements AutoCloseable {
  private final InternalClient client;
  private final StateSync sync;
  private final SourceMigrations source;
  private final MoveCoordinator moves;
  private final ManagementApi api;
  private final EtcdState etcd;
  private final KeySync keys;

  public Management(Node node) throws IOException {
    this.client = new InternalClient(node.config().authToken(), node.config().tls());
    PeerRoutes routes = new PeerRoutes(node.config().dataDir().resolve("peer_routes.json"));
    CatalogSpec spec = node.config().catalog();
    this.etcd = spec == null ? null : new EtcdState(node);
    this.keys = spec == null ? null : KeySync.connect(spec, etcd, Set.of("member/"));
    this.sync = new StateSync(node, client, routes, keys);
    if (keys != null) {
      node.catalog().onPlacement(keys::syncSoon); // shards created by writes go to etcd at once
      etcd.onMembers(sync::connectPeers);
    } else if (node.catalog().isMeta()) {
      node.catalog().onPlacement(sync::broadcastSoon); // shards created by writes are known everywhere at once
    }
    this.source = new SourceMigrations(node, client, sync);
    MoveRegistry registry = node.catalog().isMeta() ? new MoveRegistry(node.config().dataDir().resolve("moves.json")) : null;
    if (etcd != null) {
      etcd.registry(registry);
    }
    // a restarted node resumes the moves it coordinates (its registry), with or without etcd
    this.moves = registry != null ? new MoveCoordinator(node, registry, sync, source, client) : null;
    this.api = new ManagementApi(node, client, sync, source, moves, routes, keys, etcd);
    if (keys != null) {
      keys.start(); // until etcd answers, the node serves the catalog it persisted last
    }
  }

  public void register(ServerBuilder sb) {
    api.register(sb);
  }

  /**
   * Creates a database as the configure API does, idempotently (InfluxQL's CREATE DATABASE).
   * IllegalArgumentException for an invalid name, IllegalStateException when the meta node cannot do it.
   */
  public void createDatabaseIfAbsent(String db) throws IOException, InterruptedException {
    api.createDatabaseIfAbsent(db);
  }

  /** See {@link SourceMigrations#redirectIfNotOwner}: null when the replica write belongs on this node. */
  public CompletableFuture<Void> redirectIfNotOwner(ReplicaWrite w) {
    return source.redirectIfNotOwner(w);
  }

  @Override
  public void close() {
    if (moves != null) {
      moves.close();
    }
    sync.close();
    if (keys != null) {
      keys.close();
    }
    client.close();
  }
}
