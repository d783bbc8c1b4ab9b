package io.loadchaos.datagen;

/** Which time skew moved a point away from its nominal interval. */
public enum TimeShift {
  IN_ORDER,
  OUT_OF_ORDER,
  LATE,
  FUTURE
}
