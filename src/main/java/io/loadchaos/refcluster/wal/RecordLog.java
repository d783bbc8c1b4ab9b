package io.loadchaos.refcluster.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of framed records ({@code int length, int crc32c, body}) with group commit:
 * appenders enqueue and get a future; one writer thread writes everything queued, fsyncs once and
 * completes all of them. Used for the WAL and for the per-peer hint queues.
 *
 * <p>{@code fsync=false} is the deliberate {@code no-fsync} defect: records are acknowledged at
 * once and only reach the file every few seconds, so SIGKILL loses the acknowledged tail.
 */
public final class RecordLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RecordLog.class);
  private static final long LAZY_FLUSH_MILLIS = 5_000;

  private final Path path;
  private final FileChannel channel;
  private final boolean fsync;
  private final Consumer<Long> fsyncNanos;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  private record Pending(byte[] body, CompletableFuture<Void> done) {}

  private record Held(byte[] body, long start, long end) {}

  public RecordLog(Path path, boolean fsync, Consumer<Long> fsyncNanos) throws IOException {
    this.path = path;
    this.fsync = fsync;
    this.fsyncNanos = fsyncNanos;
    Files.createDirectories(path.getParent());
    this.channel =
        FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    this.writer = new Thread(this::writeLoop, "log-writer-" + path.getFileName());
    this.writer.setDaemon(true);
  }

  /**
   * Reads every intact record from {@code offset}, calls {@code consumer} for each, truncates a torn
   * tail (a crash mid-append) and positions for appending. Returns the end offset.
   */
  public long recover(long offset, RecordConsumer consumer) throws IOException {
    return recover(offset, 0, consumer);
  }

  /**
   * As {@link #recover(long, RecordConsumer)}; {@code dropLast > 0} is the deliberate {@code
   * lost-on-restart} defect: the last {@code dropLast} intact records are taken for a torn tail,
   * never passed to {@code consumer}, and truncated away, although they were fsynced and acknowledged.
   */
  public long recover(long offset, int dropLast, RecordConsumer consumer) throws IOException {
    ArrayDeque<Held> held = new ArrayDeque<>();
    long size = channel.size();
    long pos = offset;
    ByteBuffer header = ByteBuffer.allocate(8);
    while (pos + 8 <= size) {
      header.clear();
      channel.read(header, pos);
      header.flip();
      int len = header.getInt();
      int crc = header.getInt();
      if (len < 0 || pos + 8 + len > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(len);
      while (body.hasRemaining()) {
        if (channel.read(body, pos + 8 + body.position()) < 0) {
          break;
        }
      }
      CRC32C c = new CRC32C();
      c.update(body.array(), 0, len);
      if ((int) c.getValue() != crc) {
        break;
      }
      if (dropLast > 0) {
        // hold the newest dropLast records back; pass on the oldest once there are more
        held.addLast(new Held(body.array(), pos, pos + 8 + len));
        if (held.size() > dropLast) {
          Held h = held.removeFirst();
          consumer.accept(h.body, h.start, h.end);
        }
      } else {
        consumer.accept(body.array(), pos, pos + 8 + len);
      }
      pos += 8 + len;
    }
    if (!held.isEmpty()) {
      log.warn("{}: dropping the last {} intact records at {} (deliberate defect lost-on-restart)", path, held.size(), held.peekFirst().start);
      pos = held.peekFirst().start;
    }
    if (pos < size) {
      log.warn("{}: truncating torn tail at {} (file size {})", path, pos, size);
      channel.truncate(pos);
      channel.force(true);
    }
    channel.position(pos);
    return pos;
  }

  /** Starts the group-commit writer; call after {@link #recover}. */
  public void start() {
    writer.start();
  }

  /** Completes when the record is on disk (fsynced), or at once under the no-fsync defect. */
  public CompletableFuture<Void> append(byte[] body) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IOException("log closed: " + path));
      return done;
    }
    queue.add(new Pending(body, done));
    if (!fsync) {
      done.complete(null);
    }
    return done;
  }

  public long size() throws IOException {
    return channel.size();
  }

  /** Empties the file (all records consumed); callers make sure nobody appends concurrently. */
  public synchronized void truncateAll() throws IOException {
    channel.truncate(0);
    channel.position(0);
    channel.force(true);
  }

  public FileChannel channel() {
    return channel;
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    long oldestUnflushed = 0;
    while (true) {
      try {
        Pending first = queue.poll(fsync ? 1_000 : 200, TimeUnit.MILLISECONDS);
        if (first != null) {
          if (batch.isEmpty()) {
            oldestUnflushed = System.currentTimeMillis();
          }
          batch.add(first);
          queue.drainTo(batch);
        }
        boolean lazyDue = !batch.isEmpty() && System.currentTimeMillis() - oldestUnflushed >= LAZY_FLUSH_MILLIS;
        if (fsync || lazyDue || closed) {
          flushBatch(batch);
        }
        if (closed && queue.isEmpty() && batch.isEmpty()) {
          return;
        }
      } catch (InterruptedException e) {
        flushBatch(batch);
        return;
      } catch (RuntimeException e) {
        log.error("log writer {} failed", path, e);
      }
    }
  }

  private synchronized void flushBatch(List<Pending> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      int total = 0;
      for (Pending p : batch) {
        total += 8 + p.body.length;
      }
      ByteBuffer buf = ByteBuffer.allocate(total);
      CRC32C c = new CRC32C();
      for (Pending p : batch) {
        c.reset();
        c.update(p.body);
        buf.putInt(p.body.length).putInt((int) c.getValue()).put(p.body);
      }
      buf.flip();
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      if (fsync) {
        long t0 = System.nanoTime();
        channel.force(false);
        fsyncNanos.accept(System.nanoTime() - t0);
      }
      for (Pending p : batch) {
        p.done.complete(null);
      }
    } catch (IOException e) {
      for (Pending p : batch) {
        p.done.completeExceptionally(e);
      }
    } finally {
      batch.clear();
    }
  }

  /** Flushes everything queued (fsynced), then closes. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> rest = new ArrayList<>();
    queue.drainTo(rest);
    flushBatch(rest);
    channel.force(true);
    channel.close();
  }

  /** Receives each recovered record with its start and end offsets. */
  @FunctionalInterface
  public interface RecordConsumer {
    void accept(byte[] body, long start, long end) throws IOException;
  }
}
