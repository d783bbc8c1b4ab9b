package io.loadchaos.datagen;

/**
 * Asks a table to write some keys twice on purpose. An overwriting point repeats the (series,
 * timestamp) of an earlier point of its table with new field values.
 *
 * @param ratio share of the table's points that overwrite an earlier key, in [0, 0.5]
 * @param wins LAST: the earlier point is in the same batch, so the later line must win; ANY: the
 *     earlier point is one of the table's previous {@code window} points, possibly in another
 *     writer's batch, and either value may survive
 * @param window how far back an ANY overwrite may reach, in points of the table
 */
public record OverwriteSpec(double ratio, Wins wins, long window) {

  /** Which value must survive an overwrite. */
  public enum Wins {
    LAST,
    ANY;

    static final String ALLOWED = "last, any";
  }

  public OverwriteSpec {
    if (!(ratio >= 0 && ratio <= 0.5)) {
      throw new DatasetSpecException("overwrite.ratio must be in [0, 0.5] (got " + ratio + ")");
    }
    if (wins == null) {
      throw new DatasetSpecException("overwrite.wins is required; allowed: " + Wins.ALLOWED);
    }
    if (window < 1) {
      throw new DatasetSpecException("overwrite.window must be >= 1 (got " + window + ")");
    }
  }

  /** No overwrites: every key is written once. */
  public static final OverwriteSpec NONE = new OverwriteSpec(0, Wins.LAST, 1);

  public boolean enabled() {
    return ratio > 0;
  }
}
