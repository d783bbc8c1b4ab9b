package io.loadchaos.refcluster.etcdcatalog;

/** A catalog change lost its compare-and-set: another node changed one of its keys first (409). */
public final class CatalogConflictException extends RuntimeException {
  public CatalogConflictException(String message) {
    super(message, null, false, false);
  }
}
