package io.loadchaos.refcluster;

import io.loadchaos.refcluster.etcdcatalog.CatalogSpec;
import io.loadchaos.refcluster.snapshot.SnapshotSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a node is started with. {@code peers} maps every node id (this one included) to the
 * address this node uses to reach it; this node's own entry is where it listens. {@code tls} is null
 * for a plain-HTTP node; {@code snapshots} is null for a node without an object store (one WAL file,
 * everything replayed at start, as before issue #18). {@code catalog} is null for a cluster whose
 * catalog is on the meta node; else it names the etcd the catalog lives in (and there is no meta node).
 */
public record NodeConfig(
    String id,
    InetSocketAddress listen,
    Path dataDir,
    Map<String, InetSocketAddress> peers,
    String metaNode,
    int replicationFactor,
    Duration shardDuration,
    String authToken,
    Bugs bugs,
    NodeTls tls,
    SnapshotSettings snapshots,
    CatalogSpec catalog) {

  /** A node without an object store whose catalog is on the meta node (as before #18 and #20). */
  public NodeConfig(String id, InetSocketAddress listen, Path dataDir, Map<String, InetSocketAddress> peers, String metaNode,
      int replicationFactor, Duration shardDuration, String authToken, Bugs bugs, NodeTls tls) {
    this(id, listen, dataDir, peers, metaNode, replicationFactor, shardDuration, authToken, bugs, tls, null, null);
  }

  public NodeConfig {
    peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    if (!peers.containsKey(id)) {
      throw new IllegalArgumentException("--peers must contain this node's own id " + id);
    }
    if (!peers.containsKey(metaNode)) {
      throw new IllegalArgumentException("--meta-node " + metaNode + " is not in --peers " + peers.keySet());
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("--replication-factor must be >= 1, got " + replicationFactor);
    }
    if (shardDuration.isNegative() || shardDuration.isZero()) {
      throw new IllegalArgumentException("--shard-duration must be positive, got " + shardDuration);
    }
  }

  /** The scheme of this node's port and of its calls to peers: https with TLS, else http. */
  public String scheme() {
    return NodeTls.scheme(tls);
  }

  /** Node ids in numeric order when they are numbers, else lexical. */
  public List<String> nodeIds() {
    List<String> ids = new ArrayList<>(peers.keySet());
    ids.sort(NodeConfig::compareIds);
    return ids;
  }

  public static int compareIds(String a, String b) {
    try {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  /** Parses {@code 1=127.0.0.1:8181,2=127.0.0.1:8182}. */
  public static Map<String, InetSocketAddress> parsePeers(String spec) {
    Map<String, InetSocketAddress> out = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--peers entry '" + p + "': expected id=host:port");
      }
      String id = p.substring(0, eq);
      if (out.put(id, parseAddress(p.substring(eq + 1), "--peers entry for node " + id)) != null) {
        throw new IllegalArgumentException("--peers lists node " + id + " twice");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--peers is empty: expected id=host:port,...");
    }
    return out;
  }

  public static InetSocketAddress parseAddress(String s, String what) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(what + ": '" + s + "' is not host:port");
    }
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return InetSocketAddress.createUnresolved(s.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": '" + s + "' has no valid port");
    }
  }

  /** Parses 1h, 30m, 10s, 2d or an ISO-8601 duration. */
  public static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // fall through to ISO
    }
    try {
      return Duration.parse(s.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--shard-duration '" + s + "': expected e.g. 1h, 30m, 10s, 1d or PT1H");
    }
  }
}
