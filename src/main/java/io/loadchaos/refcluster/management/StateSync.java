package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import io.loadchaos.refcluster.Node;
import io.loadchaos.refcluster.NodeConfig;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.etcdcatalog.CatalogUnavailableException;
import io.loadchaos.refcluster.etcdcatalog.KeySync;
import io.loadchaos.refcluster.replication.PeerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every node's membership, databases and tables in line with the meta node: the meta node
 * pushes its state to every member after each management change (so a change is visible on all
 * reachable nodes when its call returns), and non-meta nodes also pull it every second (catching
 * up after a partition or restart). Learning a member connects to it.
 */
final class StateSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateSync.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(2);

  private final Node node;
  private final InternalClient client;
  private final PeerRoutes routes;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "state-sync");
    t.setDaemon(true);
    return t;
  });

  /** The etcd catalog, or null when the meta node holds it. */
  private final KeySync keys;

  StateSync(Node node, InternalClient client, PeerRoutes routes, KeySync keys) {
    this.node = node;
    this.keys = keys;
    this.client = client;
    this.routes = routes;
    connectPeers();
    if (!isMeta()) {
      timer.scheduleWithFixedDelay(this::pullQuietly, 0, 1, TimeUnit.SECONDS);
    }
  }

  boolean isMeta() {
    return node.catalog().isMeta();
  }

  ClusterState snapshot() {
    return new ClusterState(node.membership().list(), node.catalog().catalog().databases(), node.catalog().catalog().all());
  }

  /** With an etcd catalog: a push means "read etcd now" (its body is not taken: etcd is the truth). */
  void refreshFromEtcd() {
    keys.sync();
  }

  boolean etcdCatalog() {
    return keys != null;
  }

  void adopt(ClusterState s) {
    node.membership().adopt(s.nodes());
    node.catalog().catalog().adoptDatabases(s.databases());
    for (TableSnapshot t : s.tables()) {
      node.catalog().catalog().adopt(t);
    }
    connectPeers();
  }

  /** Where this node reaches a member: the launcher's route if it gave one, else its rpc_address. */
  InetSocketAddress addressOf(String id) {
    PeerClient p = node.peers().get(id);
    if (p != null) {
      return p.address();
    }
    if (id.equals(node.config().id())) {
      return node.config().listen();
    }
    throw new IllegalStateException("node " + id + " is not a known peer of node " + node.config().id());
  }

  void connectPeers() {
    for (NodeRecord n : node.membership().list()) {
      if (n.id().equals(node.config().id()) || node.peers().containsKey(n.id())) {
        continue;
      }
      String route = routes.get(n.id());
      String addr = route != null ? route : n.rpcAddress();
      try {
        node.ensurePeer(n.id(), NodeConfig.parseAddress(addr, "rpc_address of node " + n.id()));
        log.info("connected to member {} at {}", n.id(), addr);
      } catch (IOException | IllegalArgumentException e) {
        log.warn("cannot connect to member {} at {}: {}", n.id(), addr, e.toString());
      }
    }
  }

  private final AtomicBoolean pushQueued = new AtomicBoolean();

  /** Meta node: pushes the state soon, off the caller's thread; bursts of changes share one push. */
  void broadcastSoon() {
    if (keys != null) {
      keys.syncSoon();
      return;
    }
    if (pushQueued.compareAndSet(false, true)) {
      timer.schedule(() -> {
        pushQueued.set(false);
        broadcast();
      }, 20, TimeUnit.MILLISECONDS);
    }
  }

  /** Fetches the meta node's state now (after a forwarded change, so this node reads its own writes). */
  void pull() throws Exception {
    AggregatedHttpResponse r = client.call(addressOf(node.config().metaNode()), HttpMethod.GET, "/internal/cluster_state", null, null,
        PUSH_TIMEOUT).get(PUSH_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
    if (r.status().code() != 200) {
      throw new IllegalStateException("meta node answered HTTP " + r.status().code() + " " + r.contentUtf8());
    }
    adopt(JSON.readValue(r.content().array(), ClusterState.class));
  }

  private void pullQuietly() {
    try {
      pull();
    } catch (Exception e) {
      log.debug("state pull failed: {}", e.toString());
    }
  }

  /**
   * Meta node: pushes the state to every other member that is not Decommissioned (those own
   * nothing and may be stopped; they still pull); returns the ids that took it.
   */
  List<String> broadcast() {
    if (keys != null) {
      // etcd first; the push then only tells the others to read etcd now
      try {
        keys.sync();
      } catch (CatalogUnavailableException e) {
        log.warn("{}: not telling the members", e.getMessage());
        return List.of();
      }
    }
    return pushTo(otherMembers());
  }

  List<String> otherMembers() {
    List<String> ids = new ArrayList<>();
    for (NodeRecord n : node.membership().list()) {
      if (!n.id().equals(node.config().id()) && !n.status().equals(NodeRecord.DECOMMISSIONED)) {
        ids.add(n.id());
      }
    }
    return ids;
  }

  List<String> pushTo(Collection<String> ids) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(snapshot());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, CompletableFuture<AggregatedHttpResponse>> calls = new HashMap<>();
    for (String id : ids) {
      try {
        calls.put(id, client.call(addressOf(id), HttpMethod.POST, "/internal/cluster_state", MediaType.JSON, body, PUSH_TIMEOUT));
      } catch (IllegalStateException e) {
        log.debug("not pushing state to {}: {}", id, e.getMessage());
      }
    }
    List<String> ok = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<AggregatedHttpResponse>> e : calls.entrySet()) {
      try {
        if (e.getValue().get(PUSH_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).status().code() == 204) {
          ok.add(e.getKey());
        }
      } catch (Exception ex) {
        log.debug("state push to {} failed: {}", e.getKey(), ex.toString());
      }
    }
    return ok;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
