package io.loadchaos.datagen;

/**
 * How a run uses a spec.
 *
 * @param seed every random choice derives from it
 * @param writers how many writers split the volume (1..65535)
 * @param batchSize points per batch
 * @param anchorEpochNanos "now" for relative start times; fixed per run so a re-check regenerates identically
 */
public record GeneratorConfig(long seed, int writers, int batchSize, long anchorEpochNanos) {
  public GeneratorConfig {
    if (writers < 1 || writers > BatchId.MAX_WRITER + 1) {
      throw new IllegalArgumentException("writers must be in 1.." + (BatchId.MAX_WRITER + 1) + " (got " + writers + ")");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1 (got " + batchSize + ")");
    }
  }
}
