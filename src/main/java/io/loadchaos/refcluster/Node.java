package io.loadchaos.refcluster;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.loadchaos.refcluster.catalog.Catalog;
import io.loadchaos.refcluster.catalog.CatalogService;
import io.loadchaos.refcluster.catalog.Sharding;
import io.loadchaos.refcluster.flight.FlightServices;
import io.loadchaos.refcluster.http.HttpApi;
import io.loadchaos.refcluster.replication.HintQueue;
import io.loadchaos.refcluster.replication.PeerClient;
import io.loadchaos.refcluster.replication.WriteCoordinator;
import io.loadchaos.refcluster.sql.QueryEngine;
import io.loadchaos.refcluster.storage.NodeStorage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final CatalogService catalog;
  private final ClientFactory clientFactory;
  private final Map<String, PeerClient> peers = new LinkedHashMap<>();
  private final Map<String, HintQueue> hints = new LinkedHashMap<>();
  private final WriteCoordinator coordinator;
  private final QueryEngine queries;
  private final BufferAllocator allocator = new RootAllocator(256L * 1024 * 1024);
  private final Server server;
  private volatile boolean closed;

  public Node(NodeConfig config) throws IOException {
    this.config = config;
    Bugs bugs = config.bugs();
    this.storage = new NodeStorage(config.dataDir(), !bugs.noFsync(), metrics::recordFsync);
    this.clientFactory = ClientFactory.builder().connectTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(30)).build();
    for (Map.Entry<String, InetSocketAddress> e : config.peers().entrySet()) {
      if (e.getKey().equals(config.id())) {
        continue;
      }
      PeerClient pc = new PeerClient(e.getKey(), e.getValue(), clientFactory, config.authToken(), Duration.ofSeconds(5));
      peers.put(e.getKey(), pc);
      hints.put(e.getKey(), new HintQueue(config.dataDir().resolve("hints"), pc, !bugs.noFsync(), bugs.dropHints(), metrics));
    }
    Sharding defaults = new Sharding(config.shardDuration().toNanos(), List.of(), 1, config.replicationFactor());
    boolean isMeta = config.metaNode().equals(config.id());
    this.catalog = new CatalogService(new Catalog(config.dataDir().resolve("catalog.json")), isMeta,
        isMeta ? null : peers.get(config.metaNode()), config.nodeIds(), defaults);
    this.coordinator = new WriteCoordinator(config.id(), catalog, storage, peers, hints, metrics, bugs);
    this.queries = new QueryEngine(config.id(), catalog, storage, peers, metrics);
    HttpApi api = new HttpApi(this);
    var flight = FlightServices.sqlService(allocator, queries, Executors.newCachedThreadPool(), config.authToken());
    InetSocketAddress listen = new InetSocketAddress(config.listen().getHostString(), config.listen().getPort());
    var sb = Server.builder()
        .http(listen)
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
    log.info("node {} listening on {} (peers {}, meta node {}, RF {}, shard duration {}, bugs {})", config.id(), listen,
        config.peers(), config.metaNode(), config.replicationFactor(), config.shardDuration(), bugs);
  }

  public NodeConfig config() {
    return config;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public NodeStorage storage() {
    return storage;
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
    catalog.close();
    for (HintQueue h : hints.values()) {
      try {
        h.close();
      } catch (IOException e) {
        log.warn("closing hints: {}", e.toString());
      }
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
