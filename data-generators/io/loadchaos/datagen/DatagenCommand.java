package io.loadchaos.datagen;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadchaos datagen}: writes a spec's line protocol, or prints its stats. */
@Command(
    name = "datagen",
    mixinStandardHelpOptions = true,
    description = "Write deterministic line protocol for a dataset spec (same spec + seed => identical bytes).",
    subcommands = {DatagenBench.class})
public final class DatagenCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  @Option(names = "--spec", paramLabel = "<name|file>",
      description = "built-in spec (devops, iot, high-cardinality, edge-cases, same-timestamp, overwrites) or a YAML file")
  String spec;

  @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--writers", defaultValue = "1", description = "writers splitting the volume (default: ${DEFAULT-VALUE})")
  int writers;

  @CommandLine.ArgGroup(exclusive = true)
  Volume volume;

  static final class Volume {
    @Option(names = "--points", description = "points across all writers (default: the spec's volume.points)")
    Long points;

    @Option(names = "--batches", description = "batches across all writers (points = batches x batch size)")
    Long batches;
  }

  @Option(names = "--batch-size", defaultValue = "5000", description = "points per batch (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--out", defaultValue = "-", paramLabel = "FILE|-", description = "output file, - for stdout (default)")
  String out;

  @Option(names = "--stats", description = "print series, points, bytes, time range, skew shares and sha256 (to stderr when writing to stdout)")
  boolean stats;

  @Option(names = "--field-types", defaultValue = "all", paramLabel = "all|no-unsigned",
      description = "no-unsigned writes unsigned fields as signed integers with the same values, for targets without"
          + " unsigned support such as InfluxDB 1.x (default: ${DEFAULT-VALUE})")
  String fieldTypes;

  @Option(names = "--now", paramLabel = "<instant|epoch-ns>",
      description = "the anchor for relative start times (default: today 00:00 UTC, so output is reproducible within a day)")
  String now;

  @Override
  public Integer call() {
    DatasetSpec dataset;
    GeneratorConfig config;
    LineProtocolGenerator gen;
    try {
      if (spec == null) {
        throw new IllegalArgumentException("--spec is required (a built-in name or a YAML file); or run 'datagen bench'");
      }
      dataset = DatasetSpec.resolve(spec).withFieldTypes(FieldTypes.parse(fieldTypes));
      if (volume != null && volume.points != null) {
        dataset = dataset.withPoints(volume.points);
      } else if (volume != null && volume.batches != null) {
        dataset = dataset.withPoints(Math.multiplyExact(volume.batches, (long) batchSize));
      }
      if (dataset.points().isEmpty()) {
        throw new DatasetSpecException("spec '" + dataset.name() + "' has no volume.points; give --points or --batches");
      }
      config = new GeneratorConfig(seed, writers, batchSize, anchor(now));
      gen = new LineProtocolGenerator(dataset, config);
    } catch (IllegalArgumentException | ArithmeticException e) {
      commandSpec.commandLine().getErr().println("datagen: " + e.getMessage());
      commandSpec.commandLine().getErr().flush();
      return 2;
    }
    boolean toStdout = out.equals("-");
    MessageDigest sha = sha256();
    DatagenStats collected = stats ? new DatagenStats(gen) : null;
    try (OutputStream raw = toStdout ? new FileOutputStream(FileDescriptor.out) : Files.newOutputStream(Path.of(out));
        OutputStream os = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 20), sha)) {
      BatchBuffer buffer = new BatchBuffer();
      for (int w = 0; w < writers; w++) {
        long count = gen.batchCount(w);
        for (long s = 0; s < count; s++) {
          gen.writeBatch(w, s, buffer);
          buffer.writeTo(os);
          if (collected != null) {
            collected.addBytes(buffer.length());
            gen.forEachPoint(w, s, collected);
          }
        }
      }
    } catch (IOException e) {
      commandSpec.commandLine().getErr().println("datagen: cannot write " + (toStdout ? "to stdout" : out) + ": " + e);
      commandSpec.commandLine().getErr().flush();
      return 1;
    }
    if (collected != null) {
      PrintWriter statsOut = toStdout ? commandSpec.commandLine().getErr() : commandSpec.commandLine().getOut();
      collected.print(statsOut, HexFormat.of().formatHex(sha.digest()));
      statsOut.flush();
    }
    return 0;
  }

  /** "now" for relative start times: an ISO instant or epoch nanoseconds; default today 00:00 UTC. */
  static long anchor(String text) {
    if (text == null) {
      return LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L;
    }
    if (text.matches("-?\\d+")) {
      return Long.parseLong(text);
    }
    try {
      Instant i = Instant.parse(text);
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--now: '" + text + "' is neither an ISO-8601 instant nor epoch nanoseconds");
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
