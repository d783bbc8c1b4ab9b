package io.loadchaos.refcluster;

import io.loadchaos.refcluster.lp.LineProtocolParser;
import io.loadchaos.refcluster.lp.ParseResult;
import io.loadchaos.refcluster.lp.PointBatch;
import io.loadchaos.refcluster.lp.Precision;
import java.util.zip.CRC32C;

/**
 * The {@code slow-write=F} defect: a slowdown that is real CPU work, not a sleep, so a gate on CPU
 * per point (and on latency and throughput, as a real regression would) can be proven to see it.
 * The coordinator parses each batch as always and then redoes that batch's parse, encode
 * ({@link PointBatch}, the replica wire form) and CRC32C hash {@code (F-1) x PASSES_PER_UNIT} more
 * times; the fractional part of that count redoes a prefix of the batch's lines. Every pass's
 * checksum is folded into a volatile field so the JIT cannot drop the work.
 */
public final class SlowWrite {
  /** Upper bound of F: beyond it a node is not "slow" but unusable. */
  static final double MAX_FACTOR = 100;

  /**
   * One unit of {@code F-1}, calibrated end to end on the gate's workload (BaselineWrite write-only,
   * 3 nodes at RF 3, 20,000 points/s, steady phase after a 10 s warm-up): with 60 passes F=2 cost
   * x2.34 and x2.35 the clean run's cpu-s per million points (pairs side by side, 2026-12-02) and
   * F=1.1 about x1.14, so one unit is 60 / 1.35 = 45 passes and F is the factor on that workload's
   * CPU per point (docs/refcluster.md).
   */
  static final double PASSES_PER_UNIT = 45;

  private static volatile long sink;

  private SlowWrite() {}

  /**
   * The write path's parse: the batch parsed once, plus under {@code factor > 1} the extra passes
   * over the same bytes (their results are discarded but consumed).
   */
  public static ParseResult parse(byte[] body, Precision precision, long defaultTimeNs, double factor) {
    ParseResult parsed = LineProtocolParser.parse(body, precision, defaultTimeNs);
    if (factor > 1 && !parsed.points().isEmpty()) {
      burn(body, precision, defaultTimeNs, (factor - 1) * PASSES_PER_UNIT);
    }
    return parsed;
  }

  /** {@code passes} more parse + encode + hash passes over {@code body}; returns their checksum. */
  static long burn(byte[] body, Precision precision, long defaultTimeNs, double passes) {
    long acc = 0;
    int full = (int) passes;
    for (int i = 0; i < full; i++) {
      acc += pass(body, body.length, precision, defaultTimeNs);
    }
    double frac = passes - full;
    if (frac > 0) {
      acc += pass(body, prefixLength(body, frac), precision, defaultTimeNs);
    }
    sink += acc; // a racy add is fine: it only has to be observable
    return acc;
  }

  private static long pass(byte[] body, int len, Precision precision, long defaultTimeNs) {
    ParseResult r = LineProtocolParser.parse(body, 0, len, precision, defaultTimeNs);
    byte[] encoded = PointBatch.encode(r.points());
    CRC32C crc = new CRC32C();
    crc.update(encoded);
    return crc.getValue() + r.points().size();
  }

  /** The length of the shortest prefix of whole lines that covers {@code frac} of the bytes. */
  static int prefixLength(byte[] body, double frac) {
    int at = (int) Math.ceil(body.length * frac);
    while (at < body.length && body[at - 1] != '\n') {
      at++;
    }
    return Math.min(at, body.length);
  }
}
