package io.loadchaos.refcluster.lp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Compact binary form of a shard's validated points: the body of a WAL record, of the node-to-node
 * replica write and of a hint. Decoding needs no text parsing and no decimal conversion, and a
 * value decodes to exactly the value that was encoded (doubles bit for bit).
 *
 * <pre>
 * byte    format version (1)
 * varint  point count
 * varint  dictionary size, then per entry: varint byte length, UTF-8 bytes
 *         (measurement names, tag keys, tag values, field names)
 * per point:
 *   byte    flags: 1 = same series as the previous point, 2 = same field names and types
 *   [series]  varint measurement, varint tag count, per tag: varint key, varint value (dictionary indexes)
 *   [fields]  varint field count, per field: varint name, byte type (FieldType ordinal)
 *   values  per field: FLOAT 8 bytes (IEEE bits), INTEGER zigzag varint, UINTEGER varint,
 *           BOOLEAN 1 byte, STRING varint byte length + UTF-8
 *   varint  zigzag(time - previous point's time)
 * </pre>
 * Fields whose value is null are left out (as the line-protocol writer does).
 */
public final class PointBatch {
  public static final byte VERSION = 1;
  private static final int SAME_SERIES = 1;
  private static final int SAME_FIELDS = 2;
  private static final FieldType[] TYPES = FieldType.values();

  private PointBatch() {}

  public static byte[] encode(List<Point> points) {
    Buf body = new Buf(points.size() * 48 + 16);
    Dictionary dict = new Dictionary();
    Point prev = null;
    String[] prevNames = null;
    FieldType[] prevTypes = null;
    long prevTime = 0;
    for (Point p : points) {
      String[] names = p.fieldNames();
      FieldType[] types = p.fieldTypes();
      Object[] values = p.fieldValues();
      if (hasNull(values)) {
        int n = 0;
        for (Object v : values) {
          n += v == null ? 0 : 1;
        }
        String[] n2 = new String[n];
        FieldType[] t2 = new FieldType[n];
        Object[] v2 = new Object[n];
        for (int i = 0, k = 0; i < values.length; i++) {
          if (values[i] != null) {
            n2[k] = names[i];
            t2[k] = types[i];
            v2[k++] = values[i];
          }
        }
        names = n2;
        types = t2;
        values = v2;
      }
      boolean sameSeries = prev != null && sameSeries(p, prev);
      boolean sameFields = prevNames != null && (names == prevNames || Arrays.equals(names, prevNames))
          && (types == prevTypes || Arrays.equals(types, prevTypes));
      body.put((sameSeries ? SAME_SERIES : 0) | (sameFields ? SAME_FIELDS : 0));
      if (!sameSeries) {
        body.varint(dict.index(p.measurement()));
        String[] keys = p.tagKeys();
        String[] tagValues = p.tagValues();
        body.varint(keys.length);
        for (int i = 0; i < keys.length; i++) {
          body.varint(dict.index(keys[i]));
          body.varint(dict.index(tagValues[i]));
        }
      }
      if (!sameFields) {
        body.varint(names.length);
        for (int i = 0; i < names.length; i++) {
          body.varint(dict.index(names[i]));
          body.put(types[i].ordinal());
        }
      }
      for (int i = 0; i < values.length; i++) {
        Object v = values[i];
        switch (types[i]) {
          case FLOAT -> body.fixed64(Double.doubleToRawLongBits((Double) v));
          case INTEGER -> body.varint(zigzag((Long) v));
          case UINTEGER -> body.varint((Long) v);
          case BOOLEAN -> body.put(((Boolean) v) ? 1 : 0);
          case STRING -> body.string((String) v);
          default -> throw new IllegalStateException("unknown field type " + types[i]);
        }
      }
      body.varint(zigzag(p.timeNs() - prevTime));
      prevTime = p.timeNs();
      prev = p;
      prevNames = names;
      prevTypes = types;
    }
    Buf out = new Buf(body.pos + dict.bytes + dict.size() * 2 + 16);
    out.put(VERSION);
    out.varint(points.size());
    out.varint(dict.size());
    for (String s : dict.list) {
      out.string(s);
    }
    out.put(body.buf, 0, body.pos);
    return out.pos == out.buf.length ? out.buf : Arrays.copyOf(out.buf, out.pos);
  }

  /** The number of points in an encoded batch (0 for an empty body). */
  public static int count(byte[] b) {
    if (b.length == 0) {
      return 0;
    }
    In in = new In(b);
    in.version();
    return in.count();
  }

  public static List<Point> decode(byte[] b) {
    if (b.length == 0) {
      return List.of();
    }
    In in = new In(b);
    try {
      in.version();
      int count = in.count();
      int dictSize = in.count();
      String[] dict = new String[dictSize];
      for (int i = 0; i < dictSize; i++) {
        // canonical instances (as the parser's tokens): the stored series' strings then compare by reference
        String d = in.string();
        dict[i] = d.length() <= 64 ? d.intern() : d;
      }
      List<Point> points = new ArrayList<>(count);
      String measurement = null;
      String[] tagKeys = null;
      String[] tagValues = null;
      String[] names = null;
      FieldType[] types = null;
      long time = 0;
      for (int n = 0; n < count; n++) {
        int flags = in.get();
        if ((flags & SAME_SERIES) == 0) {
          measurement = dict[in.index(dictSize)];
          int tags = in.count();
          String[] keys = new String[tags];
          String[] vals = new String[tags];
          for (int i = 0; i < tags; i++) {
            keys[i] = dict[in.index(dictSize)];
            vals[i] = dict[in.index(dictSize)];
          }
          tagKeys = tagKeys != null && Arrays.equals(tagKeys, keys) ? tagKeys : keys;
          tagValues = vals;
        } else if (measurement == null) {
          throw new IllegalArgumentException("first point refers to a previous series");
        }
        if ((flags & SAME_FIELDS) == 0) {
          int fields = in.count();
          names = new String[fields];
          types = new FieldType[fields];
          for (int i = 0; i < fields; i++) {
            names[i] = dict[in.index(dictSize)];
            int t = in.get();
            if (t >= TYPES.length) {
              throw new IllegalArgumentException("unknown field type " + t);
            }
            types[i] = TYPES[t];
          }
        } else if (names == null) {
          throw new IllegalArgumentException("first point refers to previous fields");
        }
        Object[] values = new Object[names.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = switch (types[i]) {
            case FLOAT -> Double.longBitsToDouble(in.fixed64());
            case INTEGER -> unzigzag(in.varint());
            case UINTEGER -> in.varint();
            case BOOLEAN -> in.get() != 0;
            case STRING -> in.string();
          };
        }
        time += unzigzag(in.varint());
        points.add(new Point(measurement, tagKeys, tagValues, names, types, values, time));
      }
      if (in.pos != b.length) {
        throw new IllegalArgumentException((b.length - in.pos) + " trailing bytes");
      }
      return points;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("malformed point batch: truncated");
    }
  }

  private static boolean hasNull(Object[] values) {
    for (Object v : values) {
      if (v == null) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameSeries(Point p, Point q) {
    return (p.measurement() == q.measurement() || p.measurement().equals(q.measurement()))
        && (p.tagKeys() == q.tagKeys() || Arrays.equals(p.tagKeys(), q.tagKeys()))
        && (p.tagValues() == q.tagValues() || Arrays.equals(p.tagValues(), q.tagValues()));
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** Strings in first-use order. */
  private static final class Dictionary {
    final HashMap<String, Integer> index = new HashMap<>();
    final List<String> list = new ArrayList<>();
    int bytes;

    int index(String s) {
      Integer i = index.get(s);
      if (i == null) {
        i = list.size();
        index.put(s, i);
        list.add(s);
        bytes += s.length() * 3;
      }
      return i;
    }

    int size() {
      return list.size();
    }
  }

  private static final class Buf {
    byte[] buf;
    int pos;

    Buf(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    void put(int b) {
      ensure(1);
      buf[pos++] = (byte) b;
    }

    void put(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
    }

    void varint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    void fixed64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[pos++] = (byte) (v >>> (8 * i));
      }
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length);
      put(b, 0, b.length);
    }
  }

  private static final class In {
    final byte[] b;
    int pos;

    In(byte[] b) {
      this.b = b;
    }

    void version() {
      int v = get();
      if (v != VERSION) {
        throw new IllegalArgumentException("unsupported point batch format version " + v + " (expected " + VERSION + ")");
      }
    }

    int get() {
      return b[pos++] & 0xFF;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("malformed point batch: varint too long");
    }

    int count() {
      long v = varint();
      if (v < 0 || v > b.length) {
        throw new IllegalArgumentException("malformed point batch: count " + v);
      }
      return (int) v;
    }

    int index(int size) {
      long v = varint();
      if (v < 0 || v >= size) {
        throw new IllegalArgumentException("malformed point batch: dictionary index " + v + " of " + size);
      }
      return (int) v;
    }

    long fixed64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (b[pos++] & 0xFFL) << (8 * i);
      }
      return v;
    }

    String string() {
      int len = count();
      if (pos + len > b.length) {
        throw new IllegalArgumentException("malformed point batch: truncated string");
      }
      String s = new String(b, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }
  }
}
