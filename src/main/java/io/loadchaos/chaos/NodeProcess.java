package io.loadchaos.chaos;

import java.util.List;

/**
 * One incarnation of a node's process(es) as the operating system or Docker shows it, captured
 * before a fault, so the harness can see for itself that a kill, pause or restart took effect.
 */
public interface NodeProcess {
  /** What was captured, e.g. {@code pids [4711, 4730]} or {@code container 3f2a9c1e0b7d started 2026-...}. */
  String describe();

  /**
   * The pids of this incarnation in this host's {@code /proc} (for cost sampling), empty when they
   * are not visible here (e.g. a container on a remote Docker host).
   */
  default List<Long> hostPids() {
    return List.of();
  }

  /** How that incarnation is now. */
  State observe() throws Exception;

  /**
   * {@code gone}: none of its processes is alive any more (exited, a zombie, or the container stopped
   * or restarted since); {@code stopped}: every one of them is frozen (state T, or the container paused).
   */
  record State(boolean gone, boolean stopped, String evidence) {}
}
