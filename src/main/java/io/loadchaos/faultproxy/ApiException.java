package io.loadchaos.faultproxy;

/** An API failure with the HTTP status Toxiproxy would answer, rendered as {"error","status"}. */
final class ApiException extends Exception {
  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badBody(String detail) {
    return new ApiException(400, "bad request body: " + detail);
  }

  static ApiException missingField(String field) {
    return new ApiException(400, "missing required field: " + field);
  }

  static ApiException proxyNotFound() {
    return new ApiException(404, "proxy not found");
  }

  static ApiException toxicNotFound() {
    return new ApiException(404, "toxic not found");
  }
}
