package io.loadchaos.refcluster.influxql;

/** An InfluxQL statement that is malformed or outside the supported subset (answered with 400). */
public final class InfluxQlException extends IllegalArgumentException {
  public InfluxQlException(String message) {
    super(message);
  }
}
