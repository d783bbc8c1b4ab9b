package io.loadchaos.refcluster;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Deliberate defects, all off by default, each producing one known anomaly the harness's checkers
 * must catch (docs/refcluster.md lists which simulation catches which):
 * <ul>
 *   <li>{@code ack-without-write=P}: acknowledge a fraction P of batches without storing them;
 *   <li>{@code no-replication}: store on the coordinator only;
 *   <li>{@code no-fsync}: skip fsync, so SIGKILL loses the acknowledged tail;
 *   <li>{@code drop-hints}: never replay hinted handoff;
 *   <li>{@code move-skip-catchup}: writes that arrive during a move are not carried to the target;
 *   <li>{@code move-early-cleanup}: the source copy is deleted before the cutover is durable;
 *   <li>{@code quorum-one}: acknowledge once any single owner stored the write (below quorum);
 *   <li>{@code wait-all-owners}: wait for every owner instead of a quorum (one slow replica slows every write);
 *   <li>{@code no-pruning}: queries read every shard, whatever the WHERE clause;
 *   <li>{@code prune-off-by-one}: time pruning skips a shard that starts exactly at the query's lower bound;
 *   <li>{@code prune-wrong-partition}: shard-key pruning reads the hash partition next to the right one;
 *   <li>{@code partial-results}: a shard with no reachable owner is silently left out of a query;
 *   <li>{@code duplicate-node-ok}: registering an existing node id answers 201 instead of 409;
 *   <li>{@code shuffle-values}: the coordinator rotates each series' field values by one among that
 *       series' timestamps in a batch before replicating (replicas agree, counts and sums match);
 *   <li>{@code stale-overwrite}: an overwrite of an existing (series, time) keeps the old field
 *       values (the lower version wins, on every owner alike);
 *   <li>{@code phantom-write=P}: a fraction P of write batches (chosen by a hash of the body, so a
 *       retry is refused again) answer 400 as if nothing was written, but are stored and replicated;
 *   <li>{@code merge-duplicates}: a query reads each shard that has more than one owner from two of
 *       them and keeps both copies' rows;
 *   <li>{@code wrong-aggregate}: a GROUP BY query loses the first row (lowest tags, then time) of
 *       its table before aggregating, so one group counts one row less;
 *   <li>{@code lost-on-restart=N}: at start the node drops (truncates) the last N intact WAL records,
 *       so it loses writes it acknowledged, even with fsync;
 *   <li>{@code slow-start=S}: after a restart (a start that finds its WAL) the node answers /health
 *       at once but refuses client writes and queries with 503 for S seconds;
 *   <li>{@code slow-write=F}: the write path costs F times its CPU: the coordinator redoes the parse,
 *       encode and hash work of every batch with real computation ({@link SlowWrite}), never a sleep.
 * </ul>
 */
public record Bugs(double ackWithoutWrite, boolean noReplication, boolean noFsync, boolean dropHints,
    boolean moveSkipCatchup, boolean moveEarlyCleanup, boolean quorumOne, boolean waitAllOwners,
    boolean noPruning, boolean pruneOffByOne, boolean pruneWrongPartition, boolean partialResults,
    boolean duplicateNodeOk, boolean shuffleValues, boolean staleOverwrite, double phantomWrite,
    boolean mergeDuplicates, boolean wrongAggregate, int lostOnRestart, int slowStartSeconds, double slowWrite) {

  public static final Bugs NONE = new Bugs(0, false, false, false, false, false, false, false, false, false, false, false, false,
      false, false, 0, false, false, 0, 0, 1.0);

  /** The valid names, for error messages and the CLI's help. */
  public static final String VALID = "ack-without-write=P, no-replication, no-fsync, drop-hints, move-skip-catchup, "
      + "move-early-cleanup, quorum-one, wait-all-owners, no-pruning, prune-off-by-one, prune-wrong-partition, "
      + "partial-results, duplicate-node-ok, shuffle-values, stale-overwrite, phantom-write=P, merge-duplicates, "
      + "wrong-aggregate, lost-on-restart=N, slow-start=S or slow-write=F";

  static final double DEFAULT_ACK_WITHOUT_WRITE = 0.01;
  static final double DEFAULT_PHANTOM_WRITE = 0.05;
  static final int DEFAULT_LOST_ON_RESTART = 50;
  static final int DEFAULT_SLOW_START_SECONDS = 40;

  /** Parses {@code NAME} or {@code NAME=P} entries; unknown names are an error naming the valid ones. */
  public static Bugs parse(List<String> specs) {
    double ack = 0;
    double phantom = 0;
    int lost = 0;
    int slowStart = 0;
    double slow = 1.0;
    Set<String> on = new HashSet<>();
    for (String spec : specs) {
      String name = spec.trim();
      String arg = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        arg = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      switch (name) {
        case "ack-without-write" -> ack = fraction(name, arg, DEFAULT_ACK_WITHOUT_WRITE);
        case "phantom-write" -> phantom = fraction(name, arg, DEFAULT_PHANTOM_WRITE);
        case "lost-on-restart" -> lost = count(name, arg, DEFAULT_LOST_ON_RESTART);
        case "slow-start" -> slowStart = count(name, arg, DEFAULT_SLOW_START_SECONDS);
        case "slow-write" -> slow = factor(name, arg);
        case "no-replication", "no-fsync", "drop-hints", "move-skip-catchup", "move-early-cleanup", "quorum-one",
            "wait-all-owners", "no-pruning", "prune-off-by-one", "prune-wrong-partition", "partial-results",
            "duplicate-node-ok", "shuffle-values", "stale-overwrite", "merge-duplicates", "wrong-aggregate" -> {
          if (arg != null) {
            throw new IllegalArgumentException("--bug " + name + " takes no value, got '" + spec + "'");
          }
          on.add(name);
        }
        default -> throw new IllegalArgumentException("unknown --bug '" + name + "': expected " + VALID);
      }
    }
    if (on.contains("quorum-one") && on.contains("wait-all-owners")) {
      throw new IllegalArgumentException("--bug quorum-one and --bug wait-all-owners contradict each other: pick one");
    }
    return new Bugs(ack, on.contains("no-replication"), on.contains("no-fsync"), on.contains("drop-hints"),
        on.contains("move-skip-catchup"), on.contains("move-early-cleanup"), on.contains("quorum-one"),
        on.contains("wait-all-owners"), on.contains("no-pruning"), on.contains("prune-off-by-one"),
        on.contains("prune-wrong-partition"), on.contains("partial-results"),
        on.contains("duplicate-node-ok"), on.contains("shuffle-values"), on.contains("stale-overwrite"), phantom,
        on.contains("merge-duplicates"), on.contains("wrong-aggregate"), lost, slowStart, slow);
  }

  /** P of {@code NAME=P}: a number in (0,1], {@code dflt} when absent. */
  private static double fraction(String name, String arg, double dflt) {
    if (arg == null) {
      return dflt;
    }
    double p;
    try {
      p = Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--bug " + name + "=P: P must be a number in (0,1], got '" + arg + "'");
    }
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("--bug " + name + "=P: P must be in (0,1], got " + arg);
    }
    return p;
  }

  /** F of {@code NAME=F}: a cost factor > 1 (1.1 = 10% more CPU per write), required. */
  private static double factor(String name, String arg) {
    if (arg == null || arg.isBlank()) {
      throw new IllegalArgumentException("--bug " + name + "=F needs a factor F > 1 (e.g. " + name + "=1.3), got no value");
    }
    double f;
    try {
      f = Double.parseDouble(arg.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--bug " + name + "=F: F must be a number > 1 (e.g. 1.3), got '" + arg + "'");
    }
    if (!(f > 1 && f <= SlowWrite.MAX_FACTOR)) {
      throw new IllegalArgumentException("--bug " + name + "=F: F must be > 1 and <= " + (int) SlowWrite.MAX_FACTOR + ", got " + arg);
    }
    return f;
  }

  /** N of {@code NAME=N}: a whole number >= 1, {@code dflt} when absent. */
  private static int count(String name, String arg, int dflt) {
    if (arg == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(arg.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--bug " + name + "=N: N must be a whole number >= 1, got '" + arg + "'");
  }

  /**
   * Whether {@code phantom-write} refuses this request body: a hash of the bytes, not a coin, so
   * the same batch retried on another node is refused again (the client never sees it succeed).
   */
  public boolean phantomWrite(byte[] body) {
    if (phantomWrite <= 0) {
      return false;
    }
    CRC32 crc = new CRC32();
    crc.update(body);
    return crc.getValue() < (long) (phantomWrite * (1L << 32));
  }

  /** Owners a write needs before it is acknowledged: quorum, unless a defect changes it. */
  public int writeQuorum(int owners, int quorum) {
    return quorumOne ? 1 : waitAllOwners ? owners : quorum;
  }
}
