package io.loadchaos.refcluster.replication;

import io.loadchaos.refcluster.NodeMetrics;
import io.loadchaos.refcluster.wal.RecordLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable hinted handoff for one peer: writes the peer missed are appended (fsynced) to
 * {@code hints/<peer>.log}; a replay thread delivers them in order once the peer answers, keeping
 * its read offset in {@code <peer>.offset}, and empties the file once everything is delivered.
 * Survives a restart of this node. Replays are idempotent (versioned last-write-wins).
 */
public final class HintQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HintQueue.class);
  private static final int REPLAY_WINDOW = 16;

  private final PeerClient peer;
  private final RecordLog file;
  private final Path offsetFile;
  private final boolean dropHints;
  private final NodeMetrics metrics;
  private final AtomicLong pending = new AtomicLong();
  private final Object lock = new Object();
  private final Thread replayer;
  private volatile boolean closed;
  private long readOffset;

  public HintQueue(Path dir, PeerClient peer, boolean fsync, boolean dropHints, NodeMetrics metrics) throws IOException {
    this.peer = peer;
    this.dropHints = dropHints;
    this.metrics = metrics;
    Files.createDirectories(dir);
    this.offsetFile = dir.resolve(peer.peerId() + ".offset");
    this.file = new RecordLog(dir.resolve(peer.peerId() + ".log"), fsync, metrics::recordFsync);
    long start = Files.exists(offsetFile) ? Long.parseLong(Files.readString(offsetFile).trim()) : 0L;
    this.readOffset = start;
    file.recover(start, (body, s, e) -> pending.incrementAndGet());
    file.start();
    metrics.hintsPendingGauge(peer.peerId(), pending::get);
    this.replayer = new Thread(this::replayLoop, "hints-" + peer.peerId());
    this.replayer.setDaemon(true);
    this.replayer.start();
    if (pending.get() > 0) {
      log.info("{} hints pending for peer {} after restart", pending.get(), peer.peerId());
    }
  }

  /** Durably queues a write the peer missed. Under the drop-hints defect it is discarded. */
  public CompletableFuture<Void> add(ReplicaWrite w) {
    if (dropHints) {
      return CompletableFuture.completedFuture(null);
    }
    synchronized (lock) {
      pending.incrementAndGet();
      return file.append(w.encode());
    }
  }

  public long pending() {
    return pending.get();
  }

  private void replayLoop() {
    while (!closed) {
      try {
        if (pending.get() == 0) {
          TimeUnit.MILLISECONDS.sleep(200);
          continue;
        }
        // up to REPLAY_WINDOW records in flight at once: replays are idempotent and versioned,
        // so their order does not matter; the offset only moves past a fully delivered window
        List<byte[]> window = new ArrayList<>();
        long end = readOffset;
        while (window.size() < REPLAY_WINDOW) {
          byte[] body = readAt(end);
          if (body == null) {
            break;
          }
          window.add(body);
          end += 8 + body.length;
        }
        if (window.isEmpty()) {
          // appended but not yet on disk: wait for the group commit
          TimeUnit.MILLISECONDS.sleep(50);
          continue;
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (byte[] body : window) {
          metrics.replicationSends.increment();
          sends.add(peer.write(ReplicaWrite.decode(body), false));
        }
        try {
          CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          metrics.replicationFailures.increment();
          peer.health().failed();
          TimeUnit.MILLISECONDS.sleep(500);
          continue;
        }
        peer.health().ok();
        metrics.hintsReplayed.increment(window.size());
        readOffset = end;
        Files.writeString(offsetFile, Long.toString(readOffset));
        synchronized (lock) {
          if (pending.addAndGet(-window.size()) == 0 && readOffset == file.size()) {
            file.truncateAll();
            readOffset = 0;
            Files.writeString(offsetFile, "0");
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        log.error("hint replay to peer {} failed", peer.peerId(), e);
        try {
          TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private byte[] readAt(long offset) throws IOException {
    var ch = file.channel();
    if (offset + 8 > ch.size()) {
      return null;
    }
    ByteBuffer header = ByteBuffer.allocate(8);
    ch.read(header, offset);
    header.flip();
    int len = header.getInt();
    int crc = header.getInt();
    if (offset + 8 + len > ch.size()) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    while (body.hasRemaining()) {
      if (ch.read(body, offset + 8 + body.position()) < 0) {
        return null;
      }
    }
    CRC32C c = new CRC32C();
    c.update(body.array());
    if ((int) c.getValue() != crc) {
      throw new IOException("corrupt hint at offset " + offset + " for peer " + peer.peerId());
    }
    return body.array();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    replayer.interrupt();
    file.close();
  }
}
