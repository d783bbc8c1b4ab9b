package io.loadchaos.target.cluster;

import io.loadchaos.chaos.NodeControl;
import io.loadchaos.chaos.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Several node controls as one, each node handled by the control that owns it (processes, containers). */
final class NodeControls implements NodeControl {
  private final Map<String, NodeControl> byNode = new LinkedHashMap<>();
  private final List<NodeControl> all;

  NodeControls(List<NodeControl> controls) {
    this.all = List.copyOf(controls);
    for (NodeControl c : controls) for (String id : c.nodeIds()) byNode.put(id, c);
  }

  private NodeControl of(String id) {
    NodeControl c = byNode.get(id);
    if (c == null) {
      throw new IllegalArgumentException("node " + id + " has neither 'start:' nor 'container:' in the cluster file: loadchaos cannot control it");
    }
    return c;
  }

  @Override
  public List<String> nodeIds() {
    return new ArrayList<>(byNode.keySet());
  }

  @Override
  public void kill(String id) throws Exception {
    of(id).kill(id);
  }

  @Override
  public void terminate(String id) throws Exception {
    of(id).terminate(id);
  }

  @Override
  public void pause(String id) throws Exception {
    of(id).pause(id);
  }

  @Override
  public void resume(String id) throws Exception {
    of(id).resume(id);
  }

  @Override
  public void start(String id, Duration healthyWithin) throws Exception {
    of(id).start(id, healthyWithin);
  }

  @Override
  public boolean isRunning(String id) {
    return of(id).isRunning(id);
  }

  @Override
  public boolean isPaused(String id) {
    return of(id).isPaused(id);
  }

  @Override
  public void disconnect(String id) throws Exception {
    of(id).disconnect(id);
  }

  @Override
  public void reconnect(String id) throws Exception {
    of(id).reconnect(id);
  }

  @Override
  public NodeProcess process(String id) throws Exception {
    return of(id).process(id);
  }

  @Override
  public boolean canDisconnect() {
    return !all.isEmpty() && all.stream().allMatch(NodeControl::canDisconnect);
  }
}
