package io.loadchaos.datagen;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;

/**
 * Counts what a run generated, in output order: points per table, bytes, time range and how the
 * time skews showed up (assigned shares, plus points older than an earlier point of their table).
 */
public final class DatagenStats implements PointVisitor {
  private final LineProtocolGenerator gen;
  private final long[] pointsPerTable;
  private final long[] previous; // the previous timestamp of each table
  private final long[] shiftCounts = new long[TimeShift.values().length];
  private long points;
  private long bytes;
  private long decreasing;
  private long afterAnchor;
  private long overwrites;
  private long minNanos = Long.MAX_VALUE;
  private long maxNanos = Long.MIN_VALUE;

  public DatagenStats(LineProtocolGenerator gen) {
    this.gen = gen;
    int tables = gen.spec().tables().size();
    this.pointsPerTable = new long[tables];
    this.previous = new long[tables];
    Arrays.fill(previous, Long.MIN_VALUE);
  }

  @Override
  public void visit(GeneratedPoint p) {
    points++;
    pointsPerTable[p.tableOrdinal()]++;
    shiftCounts[p.shift().ordinal()]++;
    if (p.overwrites()) {
      overwrites++;
    }
    long ns = p.timestampNanos();
    minNanos = Math.min(minNanos, ns);
    maxNanos = Math.max(maxNanos, ns);
    if (ns > gen.config().anchorEpochNanos()) {
      afterAnchor++;
    }
    int t = p.tableOrdinal();
    if (ns < previous[t]) {
      decreasing++;
    }
    previous[t] = ns;
  }

  /** Points that repeat an earlier key on purpose (tables with an overwrite spec). */
  public long overwrites() {
    return overwrites;
  }

  public void addBytes(long n) {
    bytes += n;
  }

  public long points() {
    return points;
  }

  public long bytes() {
    return bytes;
  }

  public long minTimestampNanos() {
    return minNanos;
  }

  public long maxTimestampNanos() {
    return maxNanos;
  }

  public long count(TimeShift shift) {
    return shiftCounts[shift.ordinal()];
  }

  /** Points whose timestamp is below the previous point of the same table in output order. */
  public long measuredOutOfOrder() {
    return decreasing;
  }

  public void print(PrintWriter out, String sha256) {
    DatasetSpec spec = gen.spec();
    out.printf("spec            %s (precision %s, seed %d, writers %d, batch size %d)%n", spec.name(), spec.precision(),
        gen.config().seed(), gen.config().writers(), gen.config().batchSize());
    out.printf("series          %d (spec total)%n", spec.seriesCount());
    for (int t = 0; t < pointsPerTable.length; t++) {
      TableSpec table = spec.tables().get(t);
      out.printf("  table %-20s series %d, points %d, shard keys %s%n", table.name(), table.seriesCount(),
          pointsPerTable[t], table.shardKeys());
    }
    out.printf("points          %d%n", points);
    out.printf("bytes           %d (%.1f per line)%n", bytes, points == 0 ? 0.0 : (double) bytes / points);
    if (points > 0) {
      out.printf("time range      %s .. %s (%d ns .. %d ns)%n", instant(minNanos), instant(maxNanos), minNanos, maxNanos);
    }
    out.printf("anchor (now)    %s; points after it: %d (%s)%n", instant(gen.config().anchorEpochNanos()), afterAnchor,
        share(afterAnchor));
    out.printf("interval        %d %s; max shift %d intervals%n", gen.intervalUnits(), spec.precision(),
        gen.maxShiftIntervals());
    out.printf("in order        %d (%s)%n", count(TimeShift.IN_ORDER), share(count(TimeShift.IN_ORDER)));
    out.printf("out of order    %d (%s) assigned; %d (%s) older than the previous point of their table%n",
        count(TimeShift.OUT_OF_ORDER), share(count(TimeShift.OUT_OF_ORDER)), decreasing, share(decreasing));
    out.printf("late            %d (%s)%n", count(TimeShift.LATE), share(count(TimeShift.LATE)));
    out.printf("future          %d (%s)%n", count(TimeShift.FUTURE), share(count(TimeShift.FUTURE)));
    out.printf("overwrites      %d (%s) repeat an earlier key on purpose%n", overwrites, share(overwrites));
    StringBuilder offsets = new StringBuilder();
    for (int w = 0; w < gen.config().writers(); w++) {
      offsets.append(w == 0 ? "" : ", ").append(gen.clockOffsetIntervals(w));
    }
    out.printf("clock offsets   [%s] intervals per writer%n", offsets);
    if (sha256 != null) {
      out.printf("sha256          %s%n", sha256);
    }
  }

  private String share(long n) {
    return points == 0 ? "0%" : String.format("%.3f%%", 100.0 * n / points);
  }

  private static String instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
  }
}
