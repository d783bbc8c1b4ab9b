package io.loadchaos.refcluster.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL as numbered segment files ({@code <dir>/<seq>.log}, each a {@link RecordLog}), so the
 * records a snapshot covers can be dropped whole: {@link #rotate()} starts a new segment, {@link
 * #deleteBefore} removes older ones. Callers keep {@link #append} and {@link #rotate} from running
 * at once (NodeStorage does, with a lock around append + apply).
 */
public final class SegmentedLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SegmentedLog.class);

  private final Path dir;
  private final boolean fsync;
  private final Consumer<Long> fsyncNanos;
  private volatile RecordLog current;
  private volatile long currentSeq;

  public SegmentedLog(Path dir, boolean fsync, Consumer<Long> fsyncNanos) throws IOException {
    this.dir = dir;
    this.fsync = fsync;
    this.fsyncNanos = fsyncNanos;
    Files.createDirectories(dir);
  }

  /**
   * Deletes the segments before {@code fromSeq} (covered by snapshots: a crash may have left them),
   * replays the others in order (a torn tail is truncated, as in {@link RecordLog#recover}) and opens
   * a fresh segment for appends. Returns the number of records replayed.
   */
  public long recover(long fromSeq, RecordLog.RecordConsumer consumer) throws IOException {
    long replayed = 0;
    long last = fromSeq - 1;
    for (long seq : segments()) {
      if (seq < fromSeq) {
        Files.delete(segment(seq));
        continue;
      }
      long[] n = new long[1];
      try (RecordLog seg = new RecordLog(segment(seq), fsync, fsyncNanos)) {
        seg.recover(0, (body, start, end) -> {
          consumer.accept(body, start, end);
          n[0]++;
        });
      }
      replayed += n[0];
      last = seq;
    }
    // a new segment per start: replayed segments are never appended to again
    open(Math.max(last + 1, fromSeq));
    return replayed;
  }

  /** Completes when the record is on disk in the current segment. */
  public CompletableFuture<Void> append(byte[] body) {
    return current.append(body);
  }

  /**
   * Closes the current segment (everything queued is flushed) and opens the next; returns the new
   * segment's number: every record appended before this call is in a lower-numbered segment.
   */
  public synchronized long rotate() throws IOException {
    RecordLog old = current;
    open(currentSeq + 1);
    old.close();
    return currentSeq;
  }

  /** Deletes every segment numbered below {@code seq} (never the current one); returns how many. */
  public synchronized int deleteBefore(long seq) throws IOException {
    int n = 0;
    for (long s : segments()) {
      if (s < seq && s != currentSeq) {
        Files.deleteIfExists(segment(s));
        n++;
      }
    }
    return n;
  }

  public long currentSeq() {
    return currentSeq;
  }

  /** Segment numbers on disk, ascending. */
  public List<Long> segments() throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".log")) {
          try {
            out.add(Long.parseLong(name.substring(0, name.length() - 4)));
          } catch (NumberFormatException e) {
            log.warn("ignoring {} in the WAL dir", p);
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  private void open(long seq) throws IOException {
    RecordLog log = new RecordLog(segment(seq), fsync, fsyncNanos);
    log.recover(0, (body, start, end) -> {
      throw new IOException("new WAL segment " + segment(seq) + " is not empty");
    });
    log.start();
    currentSeq = seq;
    current = log;
  }

  private Path segment(long seq) {
    return dir.resolve(String.format("%012d.log", seq));
  }

  @Override
  public synchronized void close() throws IOException {
    if (current != null) {
      current.close();
    }
  }
}
