package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.refcluster.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The cluster's members with their status. The meta node's copy is authoritative and persisted
 * ({@code nodes.json}); other nodes keep the last copy they learned. Starts from the nodes given
 * on the command line, all Active.
 */
public final class Membership {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final ConcurrentSkipListMap<String, NodeRecord> nodes = new ConcurrentSkipListMap<>(NodeConfig::compareIds);

  public Membership(Path file, Map<String, String> initialAddresses) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      for (NodeRecord n : JSON.readValue(file.toFile(), new TypeReference<List<NodeRecord>>() {})) {
        nodes.put(n.id(), n);
      }
    } else {
      String now = Instant.now().toString();
      initialAddresses.forEach((id, addr) -> nodes.put(id, new NodeRecord(id, addr, addr, NodeRecord.ACTIVE, now, now)));
    }
  }

  public List<NodeRecord> list() {
    return new ArrayList<>(nodes.values());
  }

  public NodeRecord get(String id) {
    return nodes.get(id);
  }

  /** Ids of the Active members, in id order: where new shards and moved shards may go. */
  public List<String> activeIds() {
    List<String> out = new ArrayList<>();
    for (NodeRecord n : nodes.values()) {
      if (n.active()) {
        out.add(n.id());
      }
    }
    return out;
  }

  /** Adds a member; false if the id exists. */
  public synchronized boolean add(NodeRecord n) {
    if (nodes.containsKey(n.id())) {
      return false;
    }
    nodes.put(n.id(), n);
    persist();
    return true;
  }

  /** Takes a member as the etcd catalog has it. */
  public synchronized void put(NodeRecord n) {
    if (!n.equals(nodes.get(n.id()))) {
      nodes.put(n.id(), n);
      persist();
    }
  }

  public synchronized boolean remove(String id) {
    if (nodes.remove(id) == null) {
      return false;
    }
    persist();
    return true;
  }

  /** Sets a member's status; null if it is unknown. */
  public synchronized NodeRecord setStatus(String id, String status) {
    NodeRecord n = nodes.get(id);
    if (n == null) {
      return null;
    }
    NodeRecord next = n.withStatus(status, Instant.now().toString());
    nodes.put(id, next);
    persist();
    return next;
  }

  /** Replaces this node's copy with the meta node's (authoritative). */
  public synchronized void adopt(Collection<NodeRecord> authoritative) {
    Map<String, NodeRecord> next = new HashMap<>();
    for (NodeRecord n : authoritative) {
      next.put(n.id(), n);
    }
    if (next.equals(Map.copyOf(nodes))) {
      return;
    }
    nodes.clear();
    nodes.putAll(next);
    persist();
  }

  private void persist() {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.createDirectories(file.getParent());
      Files.write(tmp, JSON.writeValueAsBytes(list()));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist membership to " + file, e);
    }
  }
}
