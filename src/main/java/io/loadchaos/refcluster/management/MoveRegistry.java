package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The meta node's durable record of moves: for each shard ever moved, every state it passed
 * through with a timestamp (so a client polling the listing can verify the whole sequence even
 * when a state lasted milliseconds), and the move in progress, if any, so a restarted meta node
 * resumes it.
 */
final class MoveRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One state a shard entered. */
  record Transition(@JsonProperty("status") String status, @JsonProperty("at") String at) {}

  /** A move in progress. {@code sourceCopy} is Present until the source copy is deleted (Cleaned). */
  record Move(
      @JsonProperty("shard_id") long shardId,
      @JsonProperty("db") String db,
      @JsonProperty("table") String table,
      @JsonProperty("source") String source,
      @JsonProperty("target") String target,
      @JsonProperty("state") String state,
      @JsonProperty("cutover_done") boolean cutoverDone,
      @JsonProperty("attempts") int attempts,
      @JsonProperty("last_error") String lastError,
      @JsonProperty("requested_at") String requestedAt) {

    Move with(String newState, boolean cutover, int tries, String error) {
      return new Move(shardId, db, table, source, target, newState, cutover, tries, error, requestedAt);
    }
  }

  /** Everything kept for one shard. */
  record Entry(
      @JsonProperty("history") List<Transition> history,
      @JsonProperty("move") Move move,
      @JsonProperty("last_move") Map<String, Object> lastMove) {}

  private final Path file;
  private final TreeMap<Long, Entry> entries = new TreeMap<>();

  MoveRegistry(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      entries.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<Long, Entry>>() {}));
    }
  }

  synchronized Entry get(long shardId) {
    return entries.get(shardId);
  }

  synchronized Map<Long, Entry> all() {
    return new TreeMap<>(entries);
  }

  synchronized List<Move> active() {
    List<Move> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.move() != null) {
        out.add(e.move());
      }
    }
    return out;
  }

  /** Takes a shard's entry as the etcd catalog has it (null: none). */
  synchronized void put(long shardId, Entry e) {
    if (e == null ? entries.remove(shardId) != null : !e.equals(entries.put(shardId, e))) {
      persist();
    }
  }

  /** Records a new move (its shard is Stable when it is asked for); false if one is in progress. */
  synchronized boolean begin(Move m) {
    Entry e = entries.get(m.shardId());
    if (e != null && e.move() != null) {
      return false;
    }
    List<Transition> h = new ArrayList<>(e == null ? List.of() : e.history());
    if (h.isEmpty() || !h.get(h.size() - 1).status().equals(MoveState.Stable.name())) {
      h.add(new Transition(MoveState.Stable.name(), m.requestedAt()));
    }
    entries.put(m.shardId(), new Entry(h, m, e == null ? null : e.lastMove()));
    persist();
    return true;
  }

  /** Durably records the move's new state and appends it to the history. */
  synchronized Move update(Move m, boolean appendHistory) {
    Entry e = entries.get(m.shardId());
    List<Transition> h = new ArrayList<>(e.history());
    if (appendHistory) {
      h.add(new Transition(m.state(), Instant.now().toString()));
    }
    entries.put(m.shardId(), new Entry(h, m, e.lastMove()));
    persist();
    return m;
  }

  /** The move is over: how it ended is kept as {@code last_move}. */
  synchronized void end(Move m, String outcome) {
    Entry e = entries.get(m.shardId());
    Map<String, Object> last = new LinkedHashMap<>();
    last.put("source", m.source());
    last.put("target", m.target());
    last.put("outcome", outcome);
    last.put("source_copy", outcome.equals("Completed") ? "Cleaned" : "Present");
    last.put("attempts", m.attempts());
    last.put("requested_at", m.requestedAt());
    last.put("ended_at", Instant.now().toString());
    entries.put(m.shardId(), new Entry(e.history(), null, last));
    persist();
  }

  private void persist() {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.createDirectories(file.getParent());
      Files.write(tmp, JSON.writeValueAsBytes(entries));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist moves to " + file, e);
    }
  }
}
