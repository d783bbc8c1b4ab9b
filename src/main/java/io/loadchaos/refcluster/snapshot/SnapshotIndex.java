package io.loadchaos.refcluster.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The node's committed snapshots: one object per shard copy and the first WAL segment they do not
 * cover. Kept on the node's disk ({@code snapshots/index.json}), replaced atomically (write, fsync,
 * rename): that rename is the commit point of a snapshot cycle.
 */
public record SnapshotIndex(long cycle, long walFrom, List<Entry> shards) {
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static final SnapshotIndex EMPTY = new SnapshotIndex(0, 0, List.of());

  /** One shard copy's Parquet object: its key in the bucket, row count and columns. */
  public record Entry(long shard, String db, String table, String key, long rows, List<ParquetShardFile.Column> columns) {}

  public static SnapshotIndex load(Path file) throws IOException {
    return Files.exists(file) ? JSON.readValue(file.toFile(), SnapshotIndex.class) : EMPTY;
  }

  public void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
