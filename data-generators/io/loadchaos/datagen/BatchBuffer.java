package io.loadchaos.datagen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A reusable, growable byte buffer that a batch of line protocol is written into. Reuse one per
 * thread: after the first few batches it stops growing and writing allocates nothing.
 */
public final class BatchBuffer {
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  byte[] buf;
  int len;

  public BatchBuffer() {
    this(1 << 16);
  }

  public BatchBuffer(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  public void clear() {
    len = 0;
  }

  public int length() {
    return len;
  }

  /** The backing array; valid bytes are [0, length()). */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(buf, 0, len);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, len);
  }

  /** Makes room for {@code more} bytes, so the writes after it need no bounds checks. */
  void ensure(int more) {
    int need = len + more;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
    }
  }

  void put(byte b) {
    buf[len++] = b;
  }

  void put(byte[] bytes) {
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  /** Writes a long in decimal. */
  void putLong(long v) {
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        put(MIN_LONG);
        return;
      }
      buf[len++] = '-';
      v = -v;
    }
    int digits = digits(v);
    int end = len + digits;
    int p = end;
    while (v >= 100) {
      int r = (int) (v % 100);
      v /= 100;
      buf[--p] = DIGIT_PAIRS[2 * r + 1];
      buf[--p] = DIGIT_PAIRS[2 * r];
    }
    if (v >= 10) {
      buf[--p] = DIGIT_PAIRS[2 * (int) v + 1];
      buf[--p] = DIGIT_PAIRS[2 * (int) v];
    } else {
      buf[--p] = (byte) ('0' + v);
    }
    len = end;
  }

  /** Writes m / 10^decimals exactly, e.g. (-5, 2) as -0.05. */
  void putDecimal(long m, int decimals, long pow10) {
    if (decimals == 0) {
      putLong(m);
      return;
    }
    if (m < 0) {
      buf[len++] = '-';
      m = -m;
    }
    putLong(m / pow10);
    buf[len++] = '.';
    long frac = m % pow10;
    int fracDigits = digits(frac);
    for (int i = fracDigits; i < decimals; i++) {
      buf[len++] = '0';
    }
    putLong(frac);
  }

  private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes();

  static int digits(long v) {
    long p = 10;
    for (int i = 1; i < 19; i++) {
      if (v < p) {
        return i;
      }
      p *= 10;
    }
    return 19;
  }
}
