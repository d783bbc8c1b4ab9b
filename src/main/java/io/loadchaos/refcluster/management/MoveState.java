package io.loadchaos.refcluster.management;

/** The shard move state machine; a shard's {@code status} in the catalog is one of these. */
public enum MoveState {
  Stable,
  MigratingSnapshot,
  MigratingWAL,
  AwaitingCutover
}
