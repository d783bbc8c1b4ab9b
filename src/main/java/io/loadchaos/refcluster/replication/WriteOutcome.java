package io.loadchaos.refcluster.replication;

import io.loadchaos.refcluster.lp.LineError;
import java.util.List;

/**
 * What happened to a write batch: rejected lines, and whether the accepted ones reached quorum on
 * every shard ({@code quorumError} names shards and missing owners when they did not).
 */
public record WriteOutcome(List<LineError> lineErrors, int pointsAccepted, String quorumError) {
  public boolean quorumFailed() {
    return quorumError != null;
  }
}
