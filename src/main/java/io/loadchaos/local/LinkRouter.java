package io.loadchaos.local;

import java.net.InetSocketAddress;

/**
 * Chooses the address used on one link, so a fault proxy can sit on it. {@code fromNodeId} is null
 * for the client (harness) side. The default routes every link directly.
 */
@FunctionalInterface
public interface LinkRouter {
  InetSocketAddress route(String fromNodeId, String toNodeId, InetSocketAddress direct);

  static LinkRouter direct() {
    return (from, to, direct) -> direct;
  }
}
