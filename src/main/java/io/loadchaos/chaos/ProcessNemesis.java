package io.loadchaos.chaos;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** kill / term / pause / restart of node processes or containers, and container disconnects. */
final class ProcessNemesis implements Nemesis {
  static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);
  private final NodeControl nodes;
  private final Consumer<String> whileDown;

  /** {@code whileDown} runs during a restart once a node is stopped, before it starts again. */
  ProcessNemesis(NodeControl nodes, Consumer<String> whileDown) {
    this.nodes = nodes;
    this.whileDown = whileDown;
  }

  @Override
  public Heal inject(FaultSpec f, List<String> ids) throws Exception {
    switch (f.action()) {
      case KILL -> {
        for (String id : ids) nodes.kill(id);
        return () -> startAll(ids);
      }
      case TERM -> {
        for (String id : ids) nodes.terminate(id);
        return () -> startAll(ids);
      }
      case PAUSE -> {
        for (String id : ids) nodes.pause(id);
        return () -> {
          for (String id : ids) nodes.resume(id);
          return "resumed " + ids;
        };
      }
      case RESTART -> {
        for (String id : ids) {
          nodes.terminate(id);
          whileDown.accept(id);
          nodes.start(id, HEALTHY_WITHIN);
        }
        return () -> "restarted " + ids + " at injection";
      }
      case DISCONNECT -> {
        for (String id : ids) nodes.disconnect(id);
        return () -> {
          for (String id : ids) nodes.reconnect(id);
          return "reconnected " + ids;
        };
      }
      default -> throw new IllegalArgumentException("not a process fault: " + f.action().label());
    }
  }

  private String startAll(List<String> ids) throws Exception {
    for (String id : ids) {
      if (nodes.isPaused(id)) nodes.resume(id);
      if (!nodes.isRunning(id)) nodes.start(id, HEALTHY_WITHIN);
    }
    return "started " + ids;
  }
}
