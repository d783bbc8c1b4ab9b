package io.loadchaos.chaos;

import java.util.List;

/** Something that can break a cluster in one way and undo it. */
interface Nemesis {

  /** Undoes one injected fault; returns a short description of what it did. */
  @FunctionalInterface
  interface Heal {
    String heal() throws Exception;
  }

  /** Injects the fault on the resolved nodes; returns how to heal it. */
  Heal inject(FaultSpec fault, List<String> nodes) throws Exception;
}
