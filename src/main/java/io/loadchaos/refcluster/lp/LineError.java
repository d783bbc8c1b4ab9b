package io.loadchaos.refcluster.lp;

/** A rejected line, reported in InfluxDB 3's partial-write body: 1-based line number. */
public record LineError(int lineNumber, String originalLine, String message) {}
