package io.loadchaos.cost;

import java.util.List;

/** Where node CPU and memory come from: /proc, a node's /metrics. */
public interface UsageSource {
  /** Short name for results.json and the console: {@code /proc}, {@code /metrics}. */
  String name();

  /**
   * The node's processes now. Empty when none is visible (the node is down, or this source
   * cannot see it); throws with the reason when the source cannot be read for this node.
   */
  List<ProcessUsage> read(String nodeId) throws Exception;
}
