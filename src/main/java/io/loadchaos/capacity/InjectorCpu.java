package io.loadchaos.capacity;

/** CPU time of this process (the injector: the Gatling JVM), cumulative, from the OS via ProcessHandle. */
public final class InjectorCpu {
  private InjectorCpu() {}

  /** CPU seconds this process has used so far; NaN where the OS does not tell. */
  public static double secondsSoFar() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
