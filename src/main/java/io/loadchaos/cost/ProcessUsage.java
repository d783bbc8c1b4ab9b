package io.loadchaos.cost;

/**
 * One process's cumulative CPU time and memory as a source saw it at one moment. {@code key}
 * names the incarnation (pid and start time for /proc), so a restarted node's counter starting
 * again from zero is told apart from the old one. {@code rssMiB}/{@code hwmMiB} are NaN when the
 * source does not show them.
 */
public record ProcessUsage(String key, double cpuSeconds, double rssMiB, double hwmMiB) {}
