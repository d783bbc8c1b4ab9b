package io.loadchaos.refcluster;

import java.util.List;

/**
 * Deliberate defects, all off by default, each producing one known anomaly the harness's checkers
 * must catch: {@code ack-without-write=P}, {@code no-replication}, {@code no-fsync}, {@code drop-hints},
 * {@code move-skip-catchup} (writes that arrive during a move are not carried to the target) and
 * {@code move-early-cleanup} (the source copy is deleted before the cutover is durable).
 */
public record Bugs(double ackWithoutWrite, boolean noReplication, boolean noFsync, boolean dropHints,
    boolean moveSkipCatchup, boolean moveEarlyCleanup) {

  public static final Bugs NONE = new Bugs(0, false, false, false, false, false);

  /** Parses {@code NAME} or {@code NAME=P} entries; unknown names are an error naming the valid ones. */
  public static Bugs parse(List<String> specs) {
    double ack = 0;
    boolean noRepl = false;
    boolean noFsync = false;
    boolean dropHints = false;
    boolean skipCatchup = false;
    boolean earlyCleanup = false;
    for (String spec : specs) {
      String name = spec;
      String arg = null;
      int eq = spec.indexOf('=');
      if (eq >= 0) {
        name = spec.substring(0, eq);
        arg = spec.substring(eq + 1);
      }
      switch (name) {
        case "ack-without-write":
          try {
            ack = arg == null ? 0.01 : Double.parseDouble(arg);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bug ack-without-write=P: P must be a number in (0,1], got '" + arg + "'");
          }
          if (!(ack > 0 && ack <= 1)) {
            throw new IllegalArgumentException("--bug ack-without-write=P: P must be in (0,1], got " + arg);
          }
          break;
        case "no-replication":
          noRepl = true;
          break;
        case "no-fsync":
          noFsync = true;
          break;
        case "drop-hints":
          dropHints = true;
          break;
        case "move-skip-catchup":
          skipCatchup = true;
          break;
        case "move-early-cleanup":
          earlyCleanup = true;
          break;
        default:
          throw new IllegalArgumentException(
              "unknown --bug '" + name + "': expected ack-without-write=P, no-replication, no-fsync, drop-hints, move-skip-catchup or move-early-cleanup");
      }
    }
    return new Bugs(ack, noRepl, noFsync, dropHints, skipCatchup, earlyCleanup);
  }
}
