package io.loadchaos.refcluster.snapshot;

import io.loadchaos.objectstore.S3Credentials;
import java.net.URI;
import java.time.Duration;

/**
 * How a node snapshots its shards to the object store ({@code --object-store}, docs/storage.md):
 * after {@code rows} points or {@code interval} since the last snapshot, whichever comes first.
 * {@code pauseBeforeWalTruncate} is the test-only stop between committing a snapshot and
 * truncating the WAL it covers (the node waits there until it is killed).
 */
public record SnapshotSettings(URI endpoint, String bucket, S3Credentials credentials, long rows, Duration interval,
    boolean pauseBeforeWalTruncate) {

  public SnapshotSettings {
    if (rows < 1) {
      throw new IllegalArgumentException("--snapshot-rows must be >= 1, got " + rows);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("--snapshot-interval must be positive, got " + interval);
    }
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("--bucket is required with --object-store");
    }
  }

  @Override
  public String toString() {
    return "snapshots to " + endpoint + " bucket " + bucket + " every " + rows + " points or " + interval;
  }
}
