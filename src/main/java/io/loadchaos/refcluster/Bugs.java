package io.loadchaos.refcluster;

import java.util.List;

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
 *   <li>{@code duplicate-node-ok}: registering an existing node id answers 201 instead of 409.
 * </ul>
 */
public record Bugs(double ackWithoutWrite, boolean noReplication, boolean noFsync, boolean dropHints,
    boolean moveSkipCatchup, boolean moveEarlyCleanup, boolean quorumOne, boolean waitAllOwners,
    boolean noPruning, boolean pruneOffByOne, boolean pruneWrongPartition, boolean partialResults,
    boolean duplicateNodeOk) {

  public static final Bugs NONE = new Bugs(0, false, false, false, false, false, false, false, false, false, false, false, false);

  private static final String VALID = "ack-without-write=P, no-replication, no-fsync, drop-hints, move-skip-catchup, "
      + "move-early-cleanup, quorum-one, wait-all-owners, no-pruning, prune-off-by-one, prune-wrong-partition, "
      + "partial-results or duplicate-node-ok";

  /** Parses {@code NAME} or {@code NAME=P} entries; unknown names are an error naming the valid ones. */
  public static Bugs parse(List<String> specs) {
    double ack = 0;
    java.util.Set<String> on = new java.util.HashSet<>();
    for (String spec : specs) {
      String name = spec.trim();
      String arg = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        arg = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      switch (name) {
        case "ack-without-write" -> {
          try {
            ack = arg == null ? 0.01 : Double.parseDouble(arg);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bug ack-without-write=P: P must be a number in (0,1], got '" + arg + "'");
          }
          if (!(ack > 0 && ack <= 1)) {
            throw new IllegalArgumentException("--bug ack-without-write=P: P must be in (0,1], got " + arg);
          }
        }
        case "no-replication", "no-fsync", "drop-hints", "move-skip-catchup", "move-early-cleanup", "quorum-one",
            "wait-all-owners", "no-pruning", "prune-off-by-one", "prune-wrong-partition", "partial-results",
            "duplicate-node-ok" -> {
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
        on.contains("duplicate-node-ok"));
  }

  /** Owners a write needs before it is acknowledged: quorum, unless a defect changes it. */
  public int writeQuorum(int owners, int quorum) {
    return quorumOne ? 1 : waitAllOwners ? owners : quorum;
  }
}
