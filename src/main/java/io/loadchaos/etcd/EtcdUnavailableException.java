package io.loadchaos.etcd;

/** An etcd call that failed or got no answer in time: the outcome of a write is then unknown. */
public final class EtcdUnavailableException extends RuntimeException {
  public EtcdUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
