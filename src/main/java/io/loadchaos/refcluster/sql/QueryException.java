package io.loadchaos.refcluster.sql;

/** A query that cannot be answered, with the HTTP status to answer with. */
public final class QueryException extends RuntimeException {
  private final int status;

  public QueryException(int status, String message) {
    super(message);
    this.status = status;
  }

  public QueryException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
