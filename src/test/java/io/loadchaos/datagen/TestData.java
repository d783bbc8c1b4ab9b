package io.loadchaos.datagen;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Shared helpers: a fixed anchor, copies of generated points, whole-run digests. */
final class TestData {
  static final long ANCHOR = Instant.parse("2026-11-26T00:00:00Z").getEpochSecond() * 1_000_000_000L;

  private TestData() {}

  record Point(String table, String seriesKey, Map<String, String> tags, Map<String, Object> fields, long nanos,
      TimeShift shift, long globalIndex, int writer, long seq, long overwrittenIndex) {
    String key() {
      return table + '|' + seriesKey + '|' + nanos;
    }
  }

  static Point copy(GeneratedPoint p) {
    return new Point(p.table(), p.seriesKey(), p.tags(), p.fields(), p.timestampNanos(), p.shift(), p.globalIndex(),
        p.writer(), p.seq(), p.overwrittenIndex());
  }

  static List<Point> points(LineProtocolGenerator gen, int writer, long seq) {
    List<Point> out = new ArrayList<>();
    gen.forEachPoint(writer, seq, p -> out.add(copy(p)));
    return out;
  }

  static LineProtocolGenerator gen(DatasetSpec spec, long seed, int writers, int batchSize) {
    return new LineProtocolGenerator(spec, new GeneratorConfig(seed, writers, batchSize, ANCHOR));
  }

  /** sha256 of every writer's batches concatenated in (writer, seq) order. */
  static String sha256(LineProtocolGenerator gen) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    BatchBuffer buf = new BatchBuffer();
    for (int w = 0; w < gen.config().writers(); w++) {
      for (long s = 0; s < gen.batchCount(w); s++) {
        gen.writeBatch(w, s, buf);
        md.update(buf.array(), 0, buf.length());
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The spec with a replaced time section. */
  static DatasetSpec withTime(DatasetSpec spec, TimeSpec time) {
    return DatasetSpec.of(spec.name(), spec.precision(), time, spec.points().isPresent() ? spec.points().getAsLong() : null,
        spec.tables());
  }

  static TimeSpec withoutClockOffset(TimeSpec t) {
    return new TimeSpec(t.startAt(), t.startFromNow(), t.interval(), t.span(), t.jitter(), t.outOfOrderRatio(),
        t.outOfOrderWindow(), t.lateRatio(), t.maxLateness(), t.futureRatio(), t.maxAhead(), Duration.ZERO, t.oneTimestamp());
  }
}
