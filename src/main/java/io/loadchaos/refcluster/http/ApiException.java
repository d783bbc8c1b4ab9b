package io.loadchaos.refcluster.http;

/** A request that is answered with an HTTP error status and a JSON error body. */
final class ApiException extends RuntimeException {
  final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
