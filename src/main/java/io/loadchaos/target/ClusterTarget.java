package io.loadchaos.target;

import io.loadchaos.chaos.LinkProxies;
import io.loadchaos.chaos.NodeControl;
import io.loadchaos.chaos.NodeProvisioner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A cluster a run talks to over the network, whatever started it. Capabilities say which checks
 * and faults it supports; a missing capability is reported as skipped, never faked.
 */
public interface ClusterTarget extends AutoCloseable {

  /** One node as the load sees it: its id and the URL clients use (possibly through a proxy). */
  record Node(String id, String clientUrl) {}

  enum Capability {
    /** GET /api/v3/cluster/shards */
    SHARD_LISTING,
    /** query_sql?local=true&shard= */
    NODE_LOCAL_READS,
    /** loadchaos_hints_pending in /metrics */
    HINT_METRICS,
    /** the management API (nodes, moves, sharding) */
    MANAGEMENT_API
  }

  String kind();

  /** Signals / container operations on nodes, when the target started them itself. */
  default Optional<NodeControl> nodeControl() {
    return Optional.empty();
  }

  /** Fault proxies on the links, when the target put them there. */
  default Optional<LinkProxies> links() {
    return Optional.empty();
  }

  /** Starting brand-new nodes (scale-out), when the target can. */
  default Optional<NodeProvisioner> provisioner() {
    return Optional.empty();
  }

  List<Node> nodes();

  /**
   * The PEM file of the CA certificates every client of this run trusts (and nothing else), when
   * the run has one: {@code loadchaos.caCert}, or the CA the local target generated for TLS.
   * Empty: clients use the JDK's default trust.
   */
  default Optional<Path> caCert() {
    return Optional.empty();
  }

  /** The node's health path when the target knows it; null: {@code /health}, then {@code /ping}. */
  default String healthPath(String nodeId) {
    return null;
  }

  ClusterHttp http();

  boolean has(Capability c);

  default Map<String, String> clientUrlById() {
    return nodes().stream().collect(Collectors.toMap(Node::id, Node::clientUrl, (a, b) -> a,
        LinkedHashMap::new));
  }

  default Node node(String id) {
    return nodes().stream().filter(n -> n.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node '" + id + "' in " + nodes().stream()
            .map(Node::id).toList()));
  }

  /**
   * Copies the nodes' own logs into {@code runDir} and returns the folder holding them, for the
   * log-scan verdict; empty when the target cannot see its nodes' logs (external).
   */
  default Optional<Path> collectNodeLogs(Path runDir) {
    return Optional.empty();
  }

  /** Stops whatever this target started (nothing, for an external cluster). Idempotent. */
  @Override
  void close();

  static <T> Map<String, T> byId(List<Node> nodes, Function<Node, T> f) {
    return nodes.stream().collect(Collectors.toMap(Node::id, f));
  }
}
