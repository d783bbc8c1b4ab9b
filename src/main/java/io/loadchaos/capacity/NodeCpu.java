package io.loadchaos.capacity;

import java.util.OptionalDouble;

/**
 * The hook for "node CPU per point at each step": CPU seconds the target's node processes have
 * used so far (a cumulative counter). The explorer reads it at both ends of each step's window
 * and divides the difference by the points acknowledged in it ({@code nodeCpuSecondsPerPoint}
 * in results.json). Empty where the target's processes are not visible. The capacity simulation
 * plugs in its run's cost sampler; {@link #NONE} is for tests without nodes.
 */
@FunctionalInterface
public interface NodeCpu {
  NodeCpu NONE = OptionalDouble::empty;

  OptionalDouble cpuSecondsSoFar();
}
