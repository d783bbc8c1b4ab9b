package io.loadchaos.refcluster.lp;

import java.math.BigInteger;

/**
 * Decimal text to double without allocating, correctly rounded (the same result as
 * {@link Double#parseDouble}) for {@code [-+]?digits[.digits][(e|E)[-+]?digits]} with at most 19
 * significant digits: Clinger's exact fast path when the mantissa and the power of ten are both
 * exact doubles, else the Eisel-Lemire algorithm (as in fast_float). Returns NaN for anything it
 * does not handle (more digits, subnormals, overflow, other syntax, ambiguous cases): the caller
 * falls back to Double.parseDouble, which also decides what is an error.
 */
final class FastDoubleParser {
  private FastDoubleParser() {}

  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
      1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  private static final int SMALLEST_POWER = -342;
  private static final int LARGEST_POWER = 308;
  /** 128-bit approximations of 5^q, q in [SMALLEST_POWER, LARGEST_POWER]: high, low. */
  private static final long[] POW5 = powersOfFive();

  static double parse(byte[] s, int start, int end) {
    int i = start;
    boolean negative = false;
    if (i < end && (s[i] == '-' || s[i] == '+')) {
      negative = s[i] == '-';
      i++;
    }
    long w = 0;
    int significant = 0;
    int digits = 0;
    int exp10 = 0;
    boolean dot = false;
    for (; i < end; i++) {
      int b = s[i];
      if (b >= '0' && b <= '9') {
        digits++;
        if (w != 0 || b != '0') {
          if (++significant > 19) {
            return Double.NaN;
          }
          w = w * 10 + (b - '0');
        }
        if (dot) {
          exp10--;
        }
      } else if (b == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    if (i < end) {
      int b = s[i];
      if (b != 'e' && b != 'E') {
        return Double.NaN;
      }
      i++;
      boolean expNegative = false;
      if (i < end && (s[i] == '-' || s[i] == '+')) {
        expNegative = s[i] == '-';
        i++;
      }
      if (i == end) {
        return Double.NaN;
      }
      int e = 0;
      for (; i < end; i++) {
        int d = s[i] - '0';
        if (d < 0 || d > 9 || e > 100_000) {
          return Double.NaN;
        }
        e = e * 10 + d;
      }
      exp10 += expNegative ? -e : e;
    }
    if (w == 0) {
      return negative ? -0.0 : 0.0;
    }
    double v;
    if (w >= 0 && w <= (1L << 53) && exp10 >= -22 && exp10 <= 22) {
      v = exp10 < 0 ? w / POW10[-exp10] : w * POW10[exp10];
    } else {
      v = eiselLemire(w, exp10);
      if (Double.isNaN(v)) {
        return v;
      }
    }
    return negative ? -v : v;
  }

  /** w (unsigned, non-zero) * 10^q, correctly rounded; NaN when unsure or out of the normal range. */
  static double eiselLemire(long w, int q) {
    if (q < SMALLEST_POWER || q > LARGEST_POWER) {
      return Double.NaN;
    }
    int lz = Long.numberOfLeadingZeros(w);
    w <<= lz;
    int idx = 2 * (q - SMALLEST_POWER);
    long hi5 = POW5[idx];
    long lo5 = POW5[idx + 1];
    long low = w * hi5;
    long high = unsignedMultiplyHigh(w, hi5);
    long mask = 0xFFFFFFFFFFFFFFFFL >>> 55; // 52 mantissa bits + 3
    if ((high & mask) == mask) {
      long secondHigh = unsignedMultiplyHigh(w, lo5);
      long newLow = low + secondHigh;
      if (Long.compareUnsigned(secondHigh, newLow) > 0) {
        high++;
      }
      low = newLow;
      if ((high & mask) == mask && low == -1L) {
        return Double.NaN; // could be either side: let the exact parser decide
      }
    }
    if (low == -1L && (q < -27 || q > 55)) {
      return Double.NaN;
    }
    int upperbit = (int) (high >>> 63);
    int shift = upperbit + 64 - 52 - 3;
    long mantissa = high >>> shift;
    int power2 = (((152170 + 65536) * q) >> 16) + 63 + upperbit - lz + 1023;
    if (power2 <= 0) {
      return Double.NaN; // subnormal
    }
    if (Long.compareUnsigned(low, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1) {
      // exactly between two doubles: round to even
      if ((mantissa << shift) == high) {
        mantissa &= ~1L;
      }
    }
    mantissa += mantissa & 1;
    mantissa >>>= 1;
    if (mantissa >= (2L << 52)) {
      mantissa = 1L << 52;
      power2++;
    }
    mantissa &= ~(1L << 52);
    if (power2 >= 0x7FF) {
      return Double.NaN; // overflow
    }
    return Double.longBitsToDouble(mantissa | ((long) power2 << 52));
  }

  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  private static long[] powersOfFive() {
    long[] t = new long[2 * (LARGEST_POWER - SMALLEST_POWER + 1)];
    BigInteger two128 = BigInteger.ONE.shiftLeft(128);
    BigInteger mask64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    for (int q = SMALLEST_POWER; q <= LARGEST_POWER; q++) {
      BigInteger c;
      if (q < 0) {
        BigInteger power5 = BigInteger.valueOf(5).pow(-q);
        int z = power5.subtract(BigInteger.ONE).bitLength(); // smallest z with 2^z >= 5^-q
        int b = q >= -27 ? z + 127 : 2 * z + 128;
        c = BigInteger.ONE.shiftLeft(b).divide(power5).add(BigInteger.ONE);
        while (c.compareTo(two128) >= 0) {
          c = c.shiftRight(1);
        }
      } else {
        c = BigInteger.valueOf(5).pow(q);
        int bits = c.bitLength();
        c = bits < 128 ? c.shiftLeft(128 - bits) : c.shiftRight(bits - 128);
      }
      int idx = 2 * (q - SMALLEST_POWER);
      t[idx] = c.shiftRight(64).longValue();
      t[idx + 1] = c.and(mask64).longValue();
    }
    return t;
  }
}
