package io.loadchaos.refcluster.etcdcatalog;

/** etcd did not answer a catalog change: answered 503, the message names etcd and why. */
public final class CatalogUnavailableException extends RuntimeException {
  public CatalogUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
