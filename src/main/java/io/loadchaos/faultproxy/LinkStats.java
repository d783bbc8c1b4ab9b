package io.loadchaos.faultproxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What passed through one proxy since it was created: bytes each way, connections, and the HTTP/2
 * requests per path (query string dropped) its sniffer could read. Counters only grow, so a
 * client takes two snapshots and subtracts. Written from event loops, read from API threads.
 */
final class LinkStats {
  /** Distinct paths kept; more would be an unbounded map on an open-ended API. */
  static final int MAX_PATHS = 256;
  static final String OTHER_PATHS = "(other)";

  private final LongAdder bytesUpstream = new LongAdder();
  private final LongAdder bytesDownstream = new LongAdder();
  private final LongAdder connections = new LongAdder();
  private final LongAdder http2Connections = new LongAdder();
  private final LongAdder opaqueConnections = new LongAdder();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

  void bytes(Direction d, int n) {
    (d == Direction.UPSTREAM ? bytesUpstream : bytesDownstream).add(n);
  }

  void connection() {
    connections.increment();
  }

  void http2Connection() {
    http2Connections.increment();
  }

  void opaqueConnection() {
    opaqueConnections.increment();
  }

  void request(String path) {
    int q = path.indexOf('?');
    String p = q < 0 ? path : path.substring(0, q);
    LongAdder a = requests.get(p);
    if (a == null) {
      a = requests.size() < MAX_PATHS ? requests.computeIfAbsent(p, k -> new LongAdder())
          : requests.computeIfAbsent(OTHER_PATHS, k -> new LongAdder());
    }
    a.increment();
  }

  /** The {@code loadchaos} field of the proxy JSON (Toxiproxy clients ignore fields they do not know). */
  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("bytes_upstream", bytesUpstream.sum());
    n.put("bytes_downstream", bytesDownstream.sum());
    n.put("connections", connections.sum());
    n.put("http2_connections", http2Connections.sum());
    n.put("opaque_connections", opaqueConnections.sum());
    ObjectNode r = n.putObject("requests");
    new TreeMap<>(requests).forEach((k, v) -> r.put(k, v.sum()));
    return n;
  }
}
