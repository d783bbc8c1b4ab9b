package io.loadchaos.chaos;

import java.time.Duration;
import java.util.List;

/**
 * Process-level control of a target's nodes: OS signals for local processes, docker-java calls for
 * containers. Only nodes the run itself created are ever touched.
 */
public interface NodeControl {
  List<String> nodeIds();

  /** SIGKILL / docker kill. */
  void kill(String id) throws Exception;

  /** SIGTERM and wait for exit / docker stop. */
  void terminate(String id) throws Exception;

  /** SIGSTOP / docker pause. */
  void pause(String id) throws Exception;

  /** SIGCONT / docker unpause. */
  void resume(String id) throws Exception;

  /** Starts a stopped node with its data, and waits until it is healthy. */
  void start(String id, Duration healthyWithin) throws Exception;

  boolean isRunning(String id);

  boolean isPaused(String id);

  /** Cuts a node off the network entirely (containers only). */
  default void disconnect(String id) throws Exception {
    throw new UnsupportedOperationException("this target cannot disconnect a node from its network");
  }

  default void reconnect(String id) throws Exception {
    throw new UnsupportedOperationException("this target cannot reconnect a node to its network");
  }

  default boolean canDisconnect() {
    return false;
  }

  /**
   * The node's current process(es) as the OS or Docker shows them, for the proofs that a kill,
   * pause or restart took effect; throws when this control cannot show them.
   */
  default NodeProcess process(String id) throws Exception {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot show the processes of node " + id);
  }
}
