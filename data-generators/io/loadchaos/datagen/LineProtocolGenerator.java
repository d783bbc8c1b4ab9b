package io.loadchaos.datagen;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Deterministic line-protocol generator. Every batch is a pure function of (seed, writer, seq):
 * any batch can be regenerated alone, in O(batch size), identically on any machine. Thread-safe:
 * the generator is immutable; each call uses its own scratch state.
 *
 * <p>How a point is placed. The run is a sequence of points with a global index G. With P points
 * per round (the sum of the tables' points per interval), G = round * P + offset, and the offset
 * picks the table and the point's index i in the round; g = round * P_table + i numbers the table's
 * points. Tags are computed from g (sequential tags: digits of g in the tags' mixed radix; uniform
 * and zipf: seeded by g), so series are never stored. The timestamp is
 *
 * <pre>T0 + (step + d) * interval + position * lanes + lane</pre>
 *
 * where step is the round (or the batch, or 0 for one_timestamp), d the seeded displacement in
 * whole intervals (out of order, late, future, writer clock offset; |d| <= D), and lane a slot
 * inside the interval that is unique among the points that could land in the same interval: the
 * series' own point counter modulo 2D+1 for tables whose tags are all sequential, else (round mod
 * 2D+1, i). Two points of one series can therefore only share an interval if their lanes differ,
 * which keeps every (table, series, timestamp) key unique without remembering anything. The
 * position (0 without jitter) moves the point inside its interval by the seeded jitter, in steps
 * of {@code lanes} units, so jitter can reach +/- half an interval.
 *
 * <p>Writers. With a bounded volume the run's batches are split into contiguous ranges, one per
 * writer, so that the writers' outputs concatenated in (writer, seq) order are the one-writer
 * output. Unbounded, writer w takes global batches w, w + W, w + 2W, ...
 */
public final class LineProtocolGenerator {
  private final DatasetSpec spec;
  private final GeneratorConfig config;
  private final TablePlan[] plans;
  private final long[] roundStart; // offset of each table inside a round
  private final long pointsPerRound;
  private final long totalPoints; // -1: unbounded
  private final long totalBatches; // -1: unbounded
  private final long perWriter;
  private final TimeSpec.OneTimestamp mode;
  private final long t0;
  private final long interval;
  private final long steps; // intervals the run covers before shifts; -1 if unbounded
  private final long maxShift; // D, in intervals
  private final long laneCycle; // 2D + 1
  private final long oooSteps;
  private final long lateSteps;
  private final long futureSteps;
  private final double lateEnd;
  private final double futureEnd;
  private final double oooEnd;
  private final boolean pointShifts;
  private final long[] writerOffset; // clock offset of each writer, in intervals
  private final int maxTags;
  private final int maxFields;

  public LineProtocolGenerator(DatasetSpec spec, GeneratorConfig config) {
    this.spec = spec;
    this.config = config;
    TimeSpec time = spec.time();
    Precision precision = spec.precisionEnum();
    this.mode = time.oneTimestamp();
    this.pointsPerRound = spec.pointsPerRound();
    this.totalPoints = spec.points().isPresent() ? spec.points().getAsLong() : -1;
    int batchSize = config.batchSize();
    if (totalPoints >= 0) {
      totalBatches = (totalPoints + batchSize - 1) / batchSize;
      perWriter = (totalBatches + config.writers() - 1) / config.writers();
    } else {
      totalBatches = -1;
      perWriter = Long.MAX_VALUE;
    }
    if (perWriter != Long.MAX_VALUE && perWriter > BatchId.MAX_SEQ) {
      throw new DatasetSpecException("the volume needs " + perWriter + " batches per writer; at most " + BatchId.MAX_SEQ);
    }
    long startNanos = time.startAt() != null
        ? epochNanos(time.startAt())
        : Math.addExact(config.anchorEpochNanos(), time.startFromNow().toNanos());
    this.t0 = Math.floorDiv(startNanos, precision.nanos);

    this.steps = switch (mode) {
      case NONE -> totalPoints < 0 ? -1 : (totalPoints + pointsPerRound - 1) / pointsPerRound;
      case BATCH -> totalBatches;
      case RUN -> 1;
    };
    long iv = precision.units("time.interval", time.interval());
    if (time.span() != null && steps > 0) {
      iv = precision.units("time.span", time.span()) / steps;
      if (iv < 1) {
        throw new DatasetSpecException("time.span " + time.span() + " is shorter than " + steps + " intervals of one "
            + precision.label() + "; use a longer span or a finer precision");
      }
    }
    this.interval = iv;
    this.oooSteps = time.outOfOrderRatio() > 0 ? Math.max(1, roundDiv(precision.units("time.out_of_order.window", time.outOfOrderWindow()), iv)) : 0;
    this.lateSteps = time.lateRatio() > 0 ? Math.max(1, roundDiv(precision.units("time.late.max_lateness", time.maxLateness()), iv)) : 0;
    this.futureSteps = time.futureRatio() > 0 ? Math.max(1, roundDiv(precision.units("time.future.max_ahead", time.maxAhead()), iv)) : 0;
    long clockSteps = time.clockOffsetMax().isZero() ? 0 : Math.max(1, roundDiv(precision.units("time.clock_offset.max", time.clockOffsetMax()), iv));
    this.maxShift = Math.max(oooSteps, Math.max(lateSteps, futureSteps)) + clockSteps;
    if (maxShift > (1L << 40)) {
      throw new DatasetSpecException("time: shifts of up to " + maxShift + " intervals are too many; use a longer interval or smaller skews");
    }
    this.laneCycle = 2 * maxShift + 1;
    this.lateEnd = time.lateRatio();
    this.futureEnd = lateEnd + time.futureRatio();
    this.oooEnd = futureEnd + time.outOfOrderRatio();
    this.pointShifts = oooEnd > 0;
    this.writerOffset = new long[config.writers()];
    long clockKey = Mix.key(config.seed(), 0xC10C);
    for (int w = 0; w < writerOffset.length && clockSteps > 0; w++) {
      writerOffset[w] = Mix.bounded(Mix.at(clockKey, w), 2 * clockSteps + 1) - clockSteps;
    }

    List<TableSpec> tables = spec.tables();
    this.plans = new TablePlan[tables.size()];
    this.roundStart = new long[tables.size() + 1];
    int mt = 0;
    int mf = 0;
    long jitterUnits = precision.units("time.jitter", time.jitter());
    for (int t = 0; t < plans.length; t++) {
      plans[t] = new TablePlan(t, tables.get(t), config.seed(), precision, mode, laneCycle, iv, jitterUnits);
      roundStart[t + 1] = roundStart[t] + plans[t].perRound;
      mt = Math.max(mt, plans[t].tagCount);
      mf = Math.max(mf, plans[t].fieldCount);
      if (mode == TimeSpec.OneTimestamp.BATCH) {
        long rounds = (batchSize + pointsPerRound - 1) / pointsPerRound + 1;
        long perBatch = Math.min(batchSize, rounds > Long.MAX_VALUE / plans[t].perRound ? Long.MAX_VALUE : rounds * plans[t].perRound);
        if (perBatch > plans[t].series) {
          throw new DatasetSpecException("time.one_timestamp: batch: table '" + tables.get(t).name() + "' has "
              + plans[t].series + " series but a batch of " + batchSize
              + " points could repeat one at the batch's timestamp; use a batch size <= " + plans[t].series);
        }
      }
    }
    this.maxTags = mt;
    this.maxFields = mf;
    if (steps > 0) {
      try {
        long lastUnits = Math.addExact(t0, Math.multiplyExact(Math.addExact(steps, maxShift + 1), iv));
        Math.multiplyExact(lastUnits, precision.nanos);
        Math.multiplyExact(Math.subtractExact(t0, Math.multiplyExact(maxShift + 1, iv)), precision.nanos);
      } catch (ArithmeticException e) {
        throw new DatasetSpecException("the run's time range does not fit in 64-bit nanoseconds; use a shorter interval or volume");
      }
    }
  }

  private static long epochNanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  private static long roundDiv(long a, long b) {
    return (a + b / 2) / b;
  }

  public DatasetSpec spec() {
    return spec;
  }

  public GeneratorConfig config() {
    return config;
  }

  /** Batches each writer gets from the spec's volume (the last writers may get fewer); Long.MAX_VALUE if unbounded. */
  public long batchesPerWriter() {
    return perWriter;
  }

  /** Batches of this writer that hold points (Long.MAX_VALUE if unbounded). */
  public long batchCount(int writer) {
    if (totalBatches < 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, Math.min(perWriter, totalBatches - (long) writer * perWriter));
  }

  /** Points of the run across all writers, or -1 if unbounded. */
  public long totalPoints() {
    return totalPoints;
  }

  /** The interval actually used, in units of the spec's precision (derived from time.span if set). */
  public long intervalUnits() {
    return interval;
  }

  /** The run's nominal start, in units of the spec's precision. */
  public long startUnits() {
    return t0;
  }

  /**
   * A lower bound (inclusive) of every timestamp of the run, in nanoseconds: use it with {@link
   * #timeUpperBoundNanos()} to query "everything this run wrote".
   */
  public long timeLowerBoundNanos() {
    return (t0 - maxShift * interval) * spec.precisionNanos();
  }

  /** An upper bound (inclusive) of every timestamp of the run in nanoseconds; Long.MAX_VALUE if unbounded. */
  public long timeUpperBoundNanos() {
    if (steps < 0) {
      return Long.MAX_VALUE;
    }
    return (t0 + (steps + maxShift) * interval + interval - 1) * spec.precisionNanos();
  }

  /** Largest displacement of a point, in intervals. */
  public long maxShiftIntervals() {
    return maxShift;
  }

  /** Clock offset of a writer, in intervals. */
  public long clockOffsetIntervals(int writer) {
    return writerOffset[writer];
  }

  /** Number of points in the batch (0 past the writer's range). */
  public int pointsInBatch(int writer, long seq) {
    long b = globalBatch(writer, seq);
    if (b < 0) {
      return 0;
    }
    long first = b * config.batchSize();
    long end = totalPoints < 0 ? first + config.batchSize() : Math.min(totalPoints, first + config.batchSize());
    return (int) Math.max(0, end - first);
  }

  /** The global batch number of (writer, seq), or -1 if the writer has no such batch. */
  long globalBatch(int writer, long seq) {
    if (writer < 0 || writer >= config.writers()) {
      throw new IllegalArgumentException("writer must be in 0.." + (config.writers() - 1) + " (got " + writer + ")");
    }
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0 (got " + seq + ")");
    }
    if (totalBatches < 0) {
      return seq * config.writers() + writer;
    }
    if (seq >= perWriter) {
      return -1;
    }
    long b = writer * perWriter + seq;
    return b < totalBatches ? b : -1;
  }

  /** The batch as line protocol (an empty array past the writer's range). */
  public byte[] batch(int writer, long seq) {
    BatchBuffer out = new BatchBuffer(Math.max(64, pointsInBatch(writer, seq) * 64));
    writeBatch(writer, seq, out);
    return out.toByteArray();
  }

  /** Clears {@code out} and writes the batch into it; returns the number of lines. */
  public int writeBatch(int writer, long seq, BatchBuffer out) {
    out.clear();
    long b = globalBatch(writer, seq);
    int n = pointsInBatch(writer, seq);
    if (n == 0) {
      return 0;
    }
    GeneratedPoint p = new GeneratedPoint(this, maxTags, maxFields);
    long first = b * config.batchSize();
    for (int j = 0; j < n; j++) {
      place(first + j, writer, seq, b, j, p);
      TablePlan plan = plans[p.table];
      out.ensure(plan.maxLineBytes);
      plan.format(p, out);
    }
    return n;
  }

  /** The same points as {@link #batch}, in the same order, unformatted. */
  public void forEachPoint(int writer, long seq, PointVisitor visitor) {
    long b = globalBatch(writer, seq);
    int n = pointsInBatch(writer, seq);
    GeneratedPoint p = new GeneratedPoint(this, maxTags, maxFields);
    long first = b * config.batchSize();
    for (int j = 0; j < n; j++) {
      place(first + j, writer, seq, b, j, p);
      visitor.visit(p);
    }
  }

  /** Computes everything about point G into the flyweight. */
  private void place(long G, int writer, long seq, long batch, int indexInBatch, GeneratedPoint p) {
    long round = G / pointsPerRound;
    long offset = G - round * pointsPerRound;
    int t = 0;
    while (offset >= roundStart[t + 1]) {
      t++;
    }
    TablePlan plan = plans[t];
    long i = offset - roundStart[t];
    long g = round * plan.perRound + i;
    p.table = t;
    p.tableIndex = g;
    p.globalIndex = G;
    p.writer = writer;
    p.seq = seq;
    p.indexInBatch = indexInBatch;
    p.overwrittenIndex = -1;
    long root = plan.overwriteRatio > 0 ? overwriteRoot(t, g, batch) : g;
    if (root == g) {
      placeKey(plan, g, round, i, writer, batch, p);
    } else {
      // same series and timestamp as the (never overwriting) earlier point, new field values
      long rootRound = root / plan.perRound;
      long rootI = root - rootRound * plan.perRound;
      long rootG = rootRound * pointsPerRound + roundStart[t] + rootI;
      long rootBatch = rootG / config.batchSize();
      placeKey(plan, root, rootRound, rootI, writerOfBatch(rootBatch), rootBatch, p);
      p.overwrittenIndex = rootG;
    }
    plan.fields(g, round, p.timestampUnits, p.fieldRaw);
  }

  /** Tags, timestamp and shift of the table's point g (round, index i in the round). */
  private void placeKey(TablePlan plan, long g, long round, long i, int writer, long batch, GeneratedPoint p) {
    long seriesPosition = plan.tags(g, p.tagIndex);

    long step;
    long lane;
    switch (mode) {
      case RUN -> {
        step = 0;
        lane = 0;
      }
      case BATCH -> {
        step = batch;
        lane = batch % laneCycle;
      }
      default -> {
        step = round;
        lane = plan.aligned ? seriesPosition % laneCycle : (round % laneCycle) * plan.perRound + i;
      }
    }
    long shift = writerOffset[writer];
    p.shift = TimeShift.IN_ORDER;
    if (pointShifts) {
      long h = Mix.at(plan.timeKey, g);
      double u = Mix.unit(h);
      long h2 = Mix.mix(h);
      if (u < lateEnd) {
        p.shift = TimeShift.LATE;
        shift -= 1 + Mix.bounded(h2, lateSteps);
      } else if (u < futureEnd) {
        p.shift = TimeShift.FUTURE;
        shift += 1 + Mix.bounded(h2, futureSteps);
      } else if (u < oooEnd) {
        p.shift = TimeShift.OUT_OF_ORDER;
        long v = Mix.bounded(h2, 2 * oooSteps);
        shift += v < oooSteps ? v - oooSteps : v - oooSteps + 1;
      }
    }
    // the lane is the low-order part of the offset inside the interval, so jitter can use the rest
    long position = 0;
    if (plan.jitterHalf > 0) {
      long h3 = Mix.at(plan.jitterKey, g);
      position = plan.laneWidth / 2 + Mix.bounded(h3, 2 * plan.jitterHalf + 1) - plan.jitterHalf;
    }
    long within = position * plan.lanes + lane;
    p.timestampUnits = t0 + (step + shift) * interval + within;
  }

  /**
   * The table-local index of the point whose key point g of table t repeats: g itself unless g is
   * an overwrite. Overwrite targets are earlier points (in the same batch for wins: last), and a
   * target that is itself an overwrite is followed back, so the root is an original key.
   */
  private long overwriteRoot(int t, long g, long batch) {
    TablePlan plan = plans[t];
    long floor = plan.overwriteLast ? tablePointsBefore(t, batch * config.batchSize()) : 0;
    long cur = g;
    while (true) {
      long h = Mix.at(plan.overwriteKey, cur);
      long reach = plan.overwriteLast ? cur - floor : Math.min(plan.overwriteWindow, cur);
      if (reach <= 0 || Mix.unit(h) >= plan.overwriteRatio) {
        return cur;
      }
      cur = cur - 1 - Mix.bounded(Mix.mix(h), reach);
    }
  }

  /** How many points of table t have a global index below G. */
  private long tablePointsBefore(int t, long G) {
    long round = G / pointsPerRound;
    long offset = G - round * pointsPerRound;
    long inRound = Math.min(Math.max(offset - roundStart[t], 0), plans[t].perRound);
    return round * plans[t].perRound + inRound;
  }

  private int writerOfBatch(long batch) {
    return (int) (totalBatches < 0 ? batch % config.writers() : batch / perWriter);
  }

  /** The Java value of a raw field word, as {@link GeneratedPoint#fields()} reports it. */
  Object fieldValue(int table, int field, long raw) {
    return plans[table].fieldValue(field, raw);
  }

  /** Per-table constants computed once, so the per-line work is arithmetic and array copies. */
  private static final class TablePlan {
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz012345".getBytes();
    private static final byte[] TRUE = "true".getBytes();
    private static final byte[] FALSE = "false".getBytes();
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L};

    final TableSpec spec;
    final boolean aligned;
    final long series;
    final long perRound;
    final long lanes; // distinct offsets per interval that keep keys unique
    final long laneWidth; // interval / lanes: the positions available to jitter
    final long jitterHalf; // jitter amplitude in positions
    final long timeKey;
    final long jitterKey;
    final double overwriteRatio;
    final boolean overwriteLast;
    final long overwriteWindow;
    final long overwriteKey;
    final int tagCount;
    final long[] cardinality;
    final Distribution[] distribution;
    final long[] sequentialStride;
    final long[] tagKey;
    final ZipfSampler[] zipf;
    final byte[] measurement;
    final int[] sortedTags;
    final byte[][] tagKeyBytes;
    final byte[][] tagPrefix;
    final byte[][][] tagValues;
    final int fieldCount;
    final FieldSpec[] fields;
    final FieldType[] types; // cached: a sealed-interface call per field and line would be megamorphic
    final double[] trueRatio;
    final int[] wordLength;
    final byte[][] fieldKeyBytes;
    final long[] fieldKey;
    final long[] low; // float: min mantissa; integer/unsigned: min
    final long[] range; // count of values (unsigned when <= 0)
    final long[] pow10;
    final int[] decimals;
    final double[] sineMid;
    final double[] sineAmp;
    final long[] periodUnits;
    final byte[][][] stringValues;
    final int maxLineBytes;

    TablePlan(int ordinal, TableSpec spec, long seed, Precision precision, TimeSpec.OneTimestamp mode,
        long laneCycle, long interval, long jitterUnits) {
      this.spec = spec;
      this.aligned = spec.enumeratesSeries();
      this.series = spec.seriesCount();
      this.perRound = spec.effectivePointsPerInterval();
      long lanes;
      try {
        lanes = switch (mode) {
          case RUN -> 1;
          case BATCH -> laneCycle;
          case NONE -> aligned ? laneCycle : Math.multiplyExact(laneCycle, perRound);
        };
      } catch (ArithmeticException e) {
        lanes = Long.MAX_VALUE;
      }
      this.lanes = lanes;
      this.laneWidth = interval / lanes;
      if (laneWidth < 1) {
        throw new DatasetSpecException("table '" + spec.name() + "': an interval of " + interval + " " + precision.label()
            + " is too short for the " + lanes + " distinct timestamps per interval that keep its keys unique"
            + (aligned ? "" : " (" + perRound + " points per interval x " + laneCycle + " skew lanes)")
            + "; use a finer precision, a longer interval, smaller skews or fewer points_per_interval");
      }
      this.jitterHalf = Math.min((jitterUnits + lanes - 1) / lanes, (laneWidth - 1) / 2);
      this.timeKey = Mix.key(seed, ordinal, 1);
      this.jitterKey = Mix.key(seed, ordinal, 2);
      this.overwriteRatio = spec.overwrite().ratio();
      this.overwriteLast = spec.overwrite().wins() == OverwriteSpec.Wins.LAST;
      this.overwriteWindow = spec.overwrite().window();
      this.overwriteKey = Mix.key(seed, ordinal, 3);

      List<TagSpec> tags = spec.tags();
      tagCount = tags.size();
      cardinality = new long[tagCount];
      distribution = new Distribution[tagCount];
      sequentialStride = new long[tagCount];
      tagKey = new long[tagCount];
      zipf = new ZipfSampler[tagCount];
      tagPrefix = new byte[tagCount][];
      tagValues = new byte[tagCount][][];
      long stride = 1;
      for (int k = tagCount - 1; k >= 0; k--) {
        TagSpec tag = tags.get(k);
        cardinality[k] = tag.cardinality();
        distribution[k] = tag.distribution();
        tagKey[k] = Mix.key(seed, ordinal, 100 + k);
        if (tag.distribution() == Distribution.SEQUENTIAL) {
          sequentialStride[k] = stride;
          stride = stride > Long.MAX_VALUE / tag.cardinality() ? Long.MAX_VALUE : stride * tag.cardinality();
        } else if (tag.distribution() == Distribution.ZIPF) {
          zipf[k] = new ZipfSampler(tag.cardinality(), tag.zipfExponent());
        }
        tagPrefix[k] = LineProtocolEscaper.utf8(LineProtocolEscaper.key(tag.prefix()));
        if (!tag.values().isEmpty()) {
          tagValues[k] = new byte[tag.values().size()][];
          for (int v = 0; v < tag.values().size(); v++) {
            tagValues[k][v] = LineProtocolEscaper.utf8(LineProtocolEscaper.key(tag.values().get(v)));
          }
        }
      }
      // line protocol lists tags sorted by key (what InfluxDB stores and expects for speed)
      List<Integer> order = new ArrayList<>();
      for (int k = 0; k < tagCount; k++) {
        order.add(k);
      }
      order.sort(Comparator.comparing(k -> tags.get(k).name()));
      sortedTags = order.stream().mapToInt(Integer::intValue).toArray();
      tagKeyBytes = new byte[tagCount][];
      int bound = 0;
      measurement = LineProtocolEscaper.utf8(LineProtocolEscaper.measurement(spec.name()));
      bound += measurement.length;
      for (int k = 0; k < tagCount; k++) {
        TagSpec tag = tags.get(k);
        tagKeyBytes[k] = LineProtocolEscaper.utf8("," + LineProtocolEscaper.key(tag.name()) + "=");
        int valueBound = tagPrefix[k].length + 20;
        if (tagValues[k] != null) {
          for (byte[] v : tagValues[k]) {
            valueBound = Math.max(valueBound, v.length);
          }
        }
        bound += tagKeyBytes[k].length + valueBound;
      }

      List<FieldSpec> fs = spec.fields();
      fieldCount = fs.size();
      fields = fs.toArray(new FieldSpec[0]);
      types = new FieldType[fieldCount];
      trueRatio = new double[fieldCount];
      wordLength = new int[fieldCount];
      fieldKeyBytes = new byte[fieldCount][];
      fieldKey = new long[fieldCount];
      low = new long[fieldCount];
      range = new long[fieldCount];
      pow10 = new long[fieldCount];
      decimals = new int[fieldCount];
      sineMid = new double[fieldCount];
      sineAmp = new double[fieldCount];
      periodUnits = new long[fieldCount];
      stringValues = new byte[fieldCount][][];
      for (int f = 0; f < fieldCount; f++) {
        FieldSpec field = fs.get(f);
        fieldKeyBytes[f] = LineProtocolEscaper.utf8((f == 0 ? " " : ",") + LineProtocolEscaper.key(field.name()) + "=");
        fieldKey[f] = Mix.key(seed, ordinal, 1000 + f);
        int valueBound = 24;
        types[f] = field.type();
        if (field instanceof FieldSpec.BooleanField fb) {
          trueRatio[f] = fb.trueRatio();
        }
        if (field instanceof FieldSpec.FloatField ff) {
          decimals[f] = ff.decimals();
          pow10[f] = POW10[ff.decimals()];
          low[f] = Math.round(ff.min() * pow10[f]);
          range[f] = Math.round(ff.max() * pow10[f]) - low[f] + 1;
          sineMid[f] = (ff.min() + ff.max()) / 2;
          sineAmp[f] = (ff.max() - ff.min()) / 2;
          periodUnits[f] = ff.period() == null ? 0 : precision.units("field period", ff.period());
        } else if (field instanceof FieldSpec.IntegerField fi) {
          low[f] = fi.min();
          range[f] = fi.pattern() == FieldSpec.IntegerPattern.COUNTER ? 0 : fi.max() - fi.min() + 1;
        } else if (field instanceof FieldSpec.UnsignedField fu) {
          low[f] = fu.min();
          range[f] = fu.max() - fu.min() + 1;
        } else if (field instanceof FieldSpec.StringField fstr) {
          range[f] = fstr.cardinality();
          if (!fstr.values().isEmpty()) {
            stringValues[f] = new byte[fstr.values().size()][];
            int longest = 0;
            for (int v = 0; v < fstr.values().size(); v++) {
              stringValues[f][v] = LineProtocolEscaper.utf8(LineProtocolEscaper.stringValue(fstr.values().get(v)));
              longest = Math.max(longest, stringValues[f][v].length);
            }
            valueBound = longest + 2;
          } else {
            valueBound = fstr.length() + 2;
            wordLength[f] = fstr.length();
          }
        }
        bound += fieldKeyBytes[f].length + valueBound;
      }
      maxLineBytes = bound + 24;
    }

    /** Fills the tag value indexes of point g; returns the series' own point counter (aligned tables). */
    long tags(long g, long[] out) {
      if (aligned) {
        long k = g % series;
        for (int j = tagCount - 1; j >= 0; j--) {
          long c = cardinality[j];
          out[j] = k % c;
          k /= c;
        }
        return g / series;
      }
      for (int j = 0; j < tagCount; j++) {
        switch (distribution[j]) {
          case SEQUENTIAL -> out[j] = (g / sequentialStride[j]) % cardinality[j];
          case UNIFORM -> out[j] = Mix.bounded(Mix.at(tagKey[j], g), cardinality[j]);
          case ZIPF -> out[j] = zipf[j].sample(Mix.at(tagKey[j], g)) - 1;
        }
      }
      return 0;
    }

    void fields(long g, long round, long timestampUnits, long[] out) {
      for (int f = 0; f < fieldCount; f++) {
        long h = Mix.at(fieldKey[f], g);
        switch (types[f]) {
          case FLOAT -> {
            if (periodUnits[f] > 0) {
              double phase = (double) Math.floorMod(timestampUnits, periodUnits[f]) / periodUnits[f];
              double v = sineMid[f] + sineAmp[f] * StrictMath.sin(2 * Math.PI * phase);
              out[f] = Math.round(v * pow10[f]);
            } else {
              out[f] = low[f] + Mix.bounded(h, range[f]);
            }
          }
          case INTEGER -> out[f] = range[f] == 0 ? low[f] + round : low[f] + Mix.bounded(h, range[f]);
          case UNSIGNED -> out[f] = low[f] + Mix.bounded(h, range[f]);
          case BOOLEAN -> out[f] = Mix.unit(h) < trueRatio[f] ? 1 : 0;
          case STRING -> out[f] = Mix.bounded(h, range[f]);
        }
      }
    }

    void format(GeneratedPoint p, BatchBuffer out) {
      out.put(measurement);
      long[] tagIndex = p.tagIndex;
      for (int s = 0; s < tagCount; s++) {
        int k = sortedTags[s];
        out.put(tagKeyBytes[k]);
        if (tagValues[k] != null) {
          out.put(tagValues[k][(int) tagIndex[k]]);
        } else {
          out.put(tagPrefix[k]);
          out.putLong(tagIndex[k]);
        }
      }
      long[] raw = p.fieldRaw;
      for (int f = 0; f < fieldCount; f++) {
        out.put(fieldKeyBytes[f]);
        long v = raw[f];
        switch (types[f]) {
          case FLOAT -> out.putDecimal(v, decimals[f], pow10[f]);
          case INTEGER -> {
            out.putLong(v);
            out.put((byte) 'i');
          }
          case UNSIGNED -> {
            out.putLong(v);
            out.put((byte) 'u');
          }
          case BOOLEAN -> out.put(v != 0 ? TRUE : FALSE);
          case STRING -> {
            out.put((byte) '"');
            if (stringValues[f] != null) {
              out.put(stringValues[f][(int) v]);
            } else {
              writeWord(f, v, out.buf, out.len);
              out.len += wordLength[f];
            }
            out.put((byte) '"');
          }
        }
      }
      out.put((byte) ' ');
      out.putLong(p.timestampUnits);
      out.put((byte) '\n');
    }

    /** Generated word number v of string field f: letters and digits only, so no escaping. */
    private void writeWord(int f, long v, byte[] dst, int at) {
      int length = wordLength[f];
      long base = Mix.at(fieldKey[f] ^ 0x5712L, v);
      long word = 0;
      for (int c = 0; c < length; c++) {
        if (c % 12 == 0) {
          word = Mix.at(base, c / 12);
        }
        dst[at + c] = ALPHABET[(int) ((word >>> (5 * (c % 12))) & 31)];
      }
    }

    Object fieldValue(int f, long raw) {
      return switch (fields[f].type()) {
        case FLOAT -> (double) raw / (double) pow10[f];
        case INTEGER, UNSIGNED -> raw;
        case BOOLEAN -> raw != 0;
        case STRING -> {
          var sf = (FieldSpec.StringField) fields[f];
          if (!sf.values().isEmpty()) {
            yield sf.values().get((int) raw);
          }
          byte[] word = new byte[sf.length()];
          writeWord(f, raw, word, 0);
          yield new String(word, StandardCharsets.US_ASCII);
        }
      };
    }
  }
}
