package io.loadchaos.history;

/**
 * What is known about an operation once it returned. {@code INFO} means unknown (timeout, reset,
 * 5xx, below-quorum 503, partial write): the data may or may not have been applied.
 */
public enum Outcome {
  OK, FAIL, INFO;

  /**
   * Classifies a write response. {@code status < 0} means no response at all (connection refused
   * before sending is still unknown here: the client cannot tell how far the request got).
   */
  public static Outcome ofWrite(int status, String body) {
    if (status == 204 || status == 200) return OK;
    if (status < 0) return INFO;
    if (status == 400 && body != null && body.contains("partial write")) return INFO;
    if (status >= 400 && status < 500 && status != 408 && status != 429) return FAIL;
    return INFO;
  }
}
