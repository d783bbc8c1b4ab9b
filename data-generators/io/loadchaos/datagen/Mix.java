package io.loadchaos.datagen;

/**
 * Stateless seeded randomness: every random choice is {@code mix(key + index * GOLDEN)}, the
 * SplitMix64 output function, so any point can be regenerated alone without replaying a stream.
 */
final class Mix {
  static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Mix() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A key for one purpose (a table, a tag, a field) derived from the run seed. */
  static long key(long seed, long... parts) {
    long k = mix(seed ^ 0x5DEECE66DL);
    for (long p : parts) {
      k = mix(k + (p + 1) * GOLDEN);
    }
    return k;
  }

  /** The random word for item {@code index} of a keyed purpose. */
  static long at(long key, long index) {
    return mix(key + index * GOLDEN);
  }

  /** Uniform in [0, n) for n >= 1, treating n <= 0 as an unsigned count (2^63 and up). */
  static long bounded(long h, long n) {
    if (n > 0 && n <= 0xFFFF_FFFFL) {
      return ((h >>> 32) * n) >>> 32;
    }
    return Long.remainderUnsigned(h, n);
  }

  /** Uniform in [0, 1). */
  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
