package io.loadchaos.refcluster;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.loadchaos.refcluster.catalog.Catalog;
import io.loadchaos.refcluster.catalog.CatalogService;
import io.loadchaos.refcluster.catalog.Sharding;
import io.loadchaos.refcluster.flight.FlightServices;
import io.loadchaos.refcluster.http.HttpApi;
import io.loadchaos.refcluster.influxql.InfluxQlPlanner;
import io.loadchaos.refcluster.management.Management;
import io.loadchaos.refcluster.management.Membership;
import io.loadchaos.refcluster.replication.HintQueue;
import io.loadchaos.refcluster.replication.PeerClient;
import io.loadchaos.refcluster.replication.WriteCoordinator;
import io.loadchaos.refcluster.snapshot.Snapshotter;
import io.loadchaos.refcluster.sql.DuckDbLibrary;
import io.loadchaos.refcluster.sql.QueryEngine;
import io.loadchaos.refcluster.storage.NodeStorage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One reference-cluster node: storage, catalog, write coordinator, query engine and the API port. */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final NodeConfig config;
  private final NodeMetrics metrics = new NodeMetrics();
  private final Instant startedAt = Instant.now();
  private final NodeStorage storage;
  /** Null for a node without an object store. */
  private final Snapshotter snapshotter;
  private final CatalogService catalog;
  private final ClientFactory clientFactory;
  // concurrent and ordered: members that join later are added while writes and queries run
  private final Map<String, PeerClient> peers = new ConcurrentSkipListMap<>(NodeConfig::compareIds);
  private final Map<String, HintQueue> hints = new ConcurrentSkipListMap<>(NodeConfig::compareIds);
  private final Membership membership;
  private final Management management;
  private final WriteCoordinator coordinator;
  private final QueryEngine queries;
  private final BufferAllocator allocator = new RootAllocator(256L * 1024 * 1024);
  private final Server server;
  private volatile boolean closed;

  public Node(NodeConfig config) throws IOException {
    this.config = config;
    Bugs bugs = config.bugs();
    DuckDbLibrary.loadAndUnlinkCopy();
    // a restart finds the WAL of an earlier start (the slow-start defect acts only then)
    boolean restart = Files.isDirectory(config.dataDir().resolve("wal"));
    if (config.snapshots() == null) {
      this.snapshotter = null;
      this.storage = new NodeStorage(config.dataDir(), !bugs.noFsync(), metrics::recordFsync, bugs);
    } else {
      // snapshots first, then only the WAL tail they do not cover (docs/storage.md)
      this.snapshotter = new Snapshotter(config.id(), config.snapshots(), config.dataDir());
      this.storage = new NodeStorage(config.dataDir(), !bugs.noFsync(), metrics::recordFsync, bugs, snapshotter);
      snapshotter.start(storage);
      NodeStorage st = storage;
      Snapshotter sn = snapshotter;
      metrics.snapshotGauges(st::walRecordsReplayed, () -> sn.index().cycle());
    }
    var factory = ClientFactory.builder().connectTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(30));
    this.clientFactory = (config.tls() == null ? factory : config.tls().trustPeers(factory)).build();
    for (Map.Entry<String, InetSocketAddress> e : config.peers().entrySet()) {
      if (e.getKey().equals(config.id())) {
        continue;
      }
      ensurePeer(e.getKey(), e.getValue());
    }
    Map<String, String> initial = new LinkedHashMap<>();
    config.peers().forEach((id, a) -> initial.put(id, a.getHostString() + ":" + a.getPort()));
    this.membership = new Membership(config.dataDir().resolve("nodes.json"), initial);
    Sharding defaults = new Sharding(config.shardDuration().toNanos(), List.of(), 1, config.replicationFactor());
    // with the catalog in etcd every node changes it itself (no meta node)
    boolean isMeta = config.catalog() != null || config.metaNode().equals(config.id());
    this.catalog = new CatalogService(new Catalog(config.dataDir().resolve("catalog.json")), isMeta,
        isMeta ? null : peers.get(config.metaNode()), membership::activeIds, defaults);
    this.coordinator = new WriteCoordinator(config.id(), catalog, storage, peers, hints, metrics, bugs);
    this.queries = new QueryEngine(config.id(), catalog, storage, peers, metrics, bugs);
    this.management = new Management(this);
    HttpApi api = new HttpApi(this, restart && bugs.slowStartSeconds() > 0
        ? Instant.now().plusSeconds(bugs.slowStartSeconds()) : Instant.MIN);
    var flight = FlightServices.sqlService(allocator, queries, new InfluxQlPlanner(catalog), Executors.newCachedThreadPool(),
        config.authToken());
    InetSocketAddress listen = new InetSocketAddress(config.listen().getHostString(), config.listen().getPort());
    var sb = Server.builder();
    if (config.tls() == null) {
      sb.http(listen);
    } else {
      // one TLS port for the HTTP API and Flight (gRPC over HTTP/2, negotiated by ALPN)
      sb.https(listen).tls(config.tls().cert().toFile(), config.tls().key().toFile());
    }
    sb
        .maxRequestLength(64L * 1024 * 1024)
        .requestTimeoutMillis(120_000)
        .blockingTaskExecutor(32)
        .gracefulShutdownTimeoutMillis(0, 2_000)
        .service(GrpcService.builder().addService(flight).useBlockingTaskExecutor(true)
            .maxRequestMessageLength(64 * 1024 * 1024).maxResponseMessageLength(256 * 1024 * 1024).build());
    api.register(sb);
    sb.decorator((delegate, ctx, req) -> {
      ctx.log().whenComplete().thenAccept(l -> {
        if (l.responseCause() != null) {
          log.warn("{} {} failed", req.method(), ctx.path(), l.responseCause());
        }
      });
      return delegate.serve(ctx, req);
    });
    this.server = sb.build();
    server.start().join();
    log.info("node {} listening on {}://{} (peers {}, meta node {}, RF {}, shard duration {}, bugs {})", config.id(), config.scheme(), listen,
        config.peers(), config.catalog() == null ? config.metaNode() : "none, catalog in " + config.catalog().describe(), config.replicationFactor(),
        config.shardDuration(), bugs);
    if (snapshotter != null) {
      log.info("node {}: {}", config.id(), config.snapshots());
    }
  }

  public NodeConfig config() {
    return config;
  }

  /**
   * The client (and hint queue) for a peer, created on first use: members registered after start
   * are reached at the address the management plane resolved for them.
   */
  public synchronized PeerClient ensurePeer(String id, InetSocketAddress address) throws IOException {
    PeerClient existing = peers.get(id);
    if (existing != null) {
      return existing;
    }
    PeerClient pc = new PeerClient(id, config.scheme(), address, clientFactory, config.authToken(), Duration.ofSeconds(5));
    hints.put(id, new HintQueue(config.dataDir().resolve("hints"), pc, !config.bugs().noFsync(), config.bugs().dropHints(), metrics));
    peers.put(id, pc);
    return pc;
  }

  public Membership membership() {
    return membership;
  }

  public Management management() {
    return management;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public NodeStorage storage() {
    return storage;
  }

  /** The snapshotter of a node with an object store, else null. */
  public Snapshotter snapshotter() {
    return snapshotter;
  }

  public CatalogService catalog() {
    return catalog;
  }

  public Map<String, PeerClient> peers() {
    return peers;
  }

  public WriteCoordinator coordinator() {
    return coordinator;
  }

  public QueryEngine queries() {
    return queries;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public int port() {
    return server.activeLocalPort();
  }

  /** Stops serving, then flushes and closes the WAL and hint queues. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stop().join();
    } catch (RuntimeException e) {
      log.warn("server stop: {}", e.toString());
    }
    management.close();
    catalog.close();
    for (HintQueue h : hints.values()) {
      try {
        h.close();
      } catch (IOException e) {
        log.warn("closing hints: {}", e.toString());
      }
    }
    if (snapshotter != null) {
      snapshotter.close();
    }
    try {
      storage.close();
    } catch (IOException e) {
      log.warn("closing WAL: {}", e.toString());
    }
    clientFactory.close();
    log.info("node {} stopped", config.id());
  }
}
