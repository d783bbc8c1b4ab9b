package io.loadchaos.refcluster.lp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns short byte ranges as Strings (measurement names, tag keys and values, field names), so
 * repeated tokens cost a hash and a byte compare instead of a String each time. Open addressing;
 * bounded: when it fills up (high-cardinality tag values) it is emptied and starts over. One per
 * parsing thread, never shared.
 */
final class TokenCache {
  static final int MAX_TOKEN_BYTES = 64;
  private static final int CAPACITY = 4096; // power of two
  private static final int MAX_SIZE = CAPACITY * 3 / 4;

  private final byte[][] keys = new byte[CAPACITY][];
  private final String[] strings = new String[CAPACITY];
  private final int[] hashes = new int[CAPACITY];
  private int size;

  void startBody() {
    if (size >= MAX_SIZE) {
      clear();
    }
  }

  void clear() {
    Arrays.fill(keys, null);
    Arrays.fill(strings, null);
    size = 0;
  }

  int size() {
    return size;
  }

  /** Plain loop: tokens are short, where the vectorized Arrays.equals costs more to set up than it saves. */
  private static boolean same(byte[] k, byte[] s, int start, int len) {
    for (int j = 0; j < len; j++) {
      if (k[j] != s[start + j]) {
        return false;
      }
    }
    return true;
  }

  /** The String of {@code s[start,end)} (UTF-8); {@code h} is 31*h+b over those bytes. */
  String get(byte[] s, int start, int end, int h) {
    int len = end - start;
    if (len == 0) {
      return "";
    }
    if (len > MAX_TOKEN_BYTES) {
      return new String(s, start, len, StandardCharsets.UTF_8);
    }
    int mix = h ^ (h >>> 16);
    int i = mix & (CAPACITY - 1);
    while (true) {
      byte[] k = keys[i];
      if (k == null) {
        break;
      }
      if (hashes[i] == h && k.length == len && same(k, s, start, len)) {
        return strings[i];
      }
      i = (i + 1) & (CAPACITY - 1);
    }
    // canonical instance across threads and requests (the JVM's weak string table): stored series
    // and columns then compare by reference
    String str = new String(s, start, len, StandardCharsets.UTF_8).intern();
    if (size >= MAX_SIZE) {
      clear();
      i = mix & (CAPACITY - 1);
    }
    keys[i] = Arrays.copyOfRange(s, start, end);
    strings[i] = str;
    hashes[i] = h;
    size++;
    return str;
  }
}
