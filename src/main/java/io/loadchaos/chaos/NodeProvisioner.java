package io.loadchaos.chaos;

import io.loadchaos.target.ClusterTarget;

/** Starts a brand-new node that can join the cluster (scale-out faults). */
public interface NodeProvisioner {
  /** Starts a node, healthy, not yet registered; returns it with its client URL and RPC address. */
  NewNode startNewNode() throws Exception;

  record NewNode(ClusterTarget.Node node, String rpcAddress, String httpAddress) {}
}
