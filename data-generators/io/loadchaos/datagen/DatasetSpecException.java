package io.loadchaos.datagen;

/** A dataset spec is invalid; the message names the field and what was expected. */
public final class DatasetSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public DatasetSpecException(String message) {
    super(message);
  }

  public DatasetSpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
