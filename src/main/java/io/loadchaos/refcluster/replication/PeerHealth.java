package io.loadchaos.refcluster.replication;

/**
 * Remembers a recent failure so callers can skip a peer that is down for a short while (a send
 * to a paused peer would otherwise hold every write for the full timeout).
 */
public final class PeerHealth {
  private static final long SUSPECT_MILLIS = 1_000;
  private volatile long failedAt;

  public void failed() {
    failedAt = System.currentTimeMillis();
  }

  public void ok() {
    failedAt = 0;
  }

  public boolean suspected() {
    long f = failedAt;
    return f != 0 && System.currentTimeMillis() - f < SUSPECT_MILLIS;
  }
}
