package io.loadchaos.faultproxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** The stage that implements each toxic type on one pipe. */
final class ToxicStages {
  private ToxicStages() {}

  static Stage create(ToxicSpec spec, Pipe pipe) {
    return switch (spec.type()) {
      case LATENCY -> new Latency(pipe, spec.attr("latency"), spec.attr("jitter"));
      case BANDWIDTH -> new Bandwidth(pipe, spec.attr("rate"));
      case SLICER ->
          new Slicer(
              pipe, spec.attr("average_size"), spec.attr("size_variation"), spec.attr("delay"));
      case TIMEOUT -> new Timeout(pipe, spec.attr("timeout"));
      case RESET_PEER -> new ResetPeer(pipe, spec.attr("timeout"));
      case SLOW_CLOSE -> new SlowClose(pipe, spec.attr("delay"));
      case LIMIT_DATA -> new LimitData(pipe, spec.name(), spec.attr("bytes"));
    };
  }

  /** Delays each chunk by latency +/- jitter ms from its arrival, never reordering. */
  static final class Latency extends QueueStage {
    private final long latencyNanos;
    private final long jitterNanos;

    Latency(Pipe pipe, long latencyMs, long jitterMs) {
      super(pipe);
      this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMs);
      this.jitterNanos = TimeUnit.MILLISECONDS.toNanos(jitterMs);
    }

    @Override
    void accept(ByteBuf buf) {
      long delay = latencyNanos;
      if (jitterNanos > 0) {
        delay += ThreadLocalRandom.current().nextLong(-jitterNanos, jitterNanos);
      }
      enqueue(buf, System.nanoTime() + Math.max(0, delay));
      pump();
    }
  }

  /** Passes rate KB/s (1 KB = 1000 bytes, as Toxiproxy), in pieces of at most 100 ms worth. */
  static final class Bandwidth extends QueueStage {
    private final long bytesPerSecond;
    private final int piece;

    Bandwidth(Pipe pipe, long rateKb) {
      super(pipe);
      this.bytesPerSecond = rateKb * 1000;
      this.piece = (int) Math.max(1, Math.min(64 * 1024, rateKb * 100));
    }

    @Override
    void accept(ByteBuf buf) {
      if (bytesPerSecond <= 0) {
        next.accept(buf);
        return;
      }
      long cursor = Math.max(System.nanoTime(), nextFree);
      while (buf.isReadable()) {
        int n = Math.min(piece, buf.readableBytes());
        cursor += n * 1_000_000_000L / bytesPerSecond;
        enqueue(buf.readRetainedSlice(n), cursor);
      }
      buf.release();
      pump();
    }
  }

  /** Cuts chunks into slices of average_size +/- size_variation bytes, delay us apart. */
  static final class Slicer extends QueueStage {
    private final long average;
    private final long variation;
    private final long delayNanos;

    Slicer(Pipe pipe, long average, long variation, long delayMicros) {
      super(pipe);
      this.average = average;
      this.variation = Math.min(variation, Math.max(0, average - 1));
      this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
    }

    @Override
    void accept(ByteBuf buf) {
      if (average <= 0) {
        next.accept(buf);
        return;
      }
      long at = Math.max(System.nanoTime(), nextFree);
      while (buf.isReadable()) {
        long size = average;
        if (variation > 0) {
          size += ThreadLocalRandom.current().nextLong(-variation, variation + 1);
        }
        int n = (int) Math.min(Math.max(1, size), buf.readableBytes());
        enqueue(buf.readRetainedSlice(n), at);
        at += delayNanos;
      }
      nextFree = at;
      buf.release();
      pump();
    }
  }

  /**
   * Black hole: holds every byte (the sender's writes back up once the buffer is full, as on a
   * partitioned network) and, if timeout > 0, closes the connection that many ms after taking
   * effect. Removing the toxic lets the held bytes through.
   */
  static final class Timeout extends QueueStage {
    private final ScheduledFuture<?> closer;

    Timeout(Pipe pipe, long timeoutMs) {
      super(pipe);
      this.closer =
          timeoutMs > 0
              ? pipe.eventLoop().schedule(pipe.link::close, timeoutMs, TimeUnit.MILLISECONDS)
              : null;
    }

    @Override
    void accept(ByteBuf buf) {
      enqueue(buf, NEVER);
    }

    @Override
    void end() {
      // The end of stream is held too: a black hole delivers nothing, not even a FIN.
      enqueue(Unpooled.EMPTY_BUFFER, NEVER);
      super.end();
    }

    @Override
    boolean drain(List<ByteBuf> into) {
      stopCloser();
      return super.drain(into);
    }

    @Override
    void dispose() {
      stopCloser();
      super.dispose();
    }

    private void stopCloser() {
      if (closer != null) {
        closer.cancel(false);
      }
    }
  }

  /** On the first data (or end of stream), waits timeout ms and resets both sockets (RST). */
  static final class ResetPeer extends Stage {
    private final long timeoutMs;
    private ScheduledFuture<?> reset;

    ResetPeer(Pipe pipe, long timeoutMs) {
      super(pipe);
      this.timeoutMs = timeoutMs;
    }

    @Override
    void accept(ByteBuf buf) {
      // Toxiproxy drops what it read before the reset.
      pipe.released(buf.readableBytes());
      buf.release();
      arm();
    }

    @Override
    void end() {
      arm();
    }

    private void arm() {
      if (reset == null) {
        reset = pipe.eventLoop().schedule(pipe.link::reset, timeoutMs, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    boolean drain(List<ByteBuf> into) {
      dispose();
      return false;
    }

    @Override
    void dispose() {
      if (reset != null) {
        reset.cancel(false);
        reset = null;
      }
    }
  }

  /** Delays passing on the end of stream (the close) by delay ms. */
  static final class SlowClose extends Stage {
    private final long delayMs;
    private ScheduledFuture<?> closing;

    SlowClose(Pipe pipe, long delayMs) {
      super(pipe);
      this.delayMs = delayMs;
    }

    @Override
    void accept(ByteBuf buf) {
      next.accept(buf);
    }

    @Override
    void end() {
      if (closing == null) {
        closing =
            pipe.eventLoop()
                .schedule(
                    () -> {
                      if (!pipe.isDisposed()) {
                        next.end();
                        pipe.afterAsyncEmit();
                      }
                    },
                    delayMs,
                    TimeUnit.MILLISECONDS);
      }
    }

    @Override
    boolean drain(List<ByteBuf> into) {
      boolean pending = closing != null && closing.cancel(false);
      closing = null;
      return pending;
    }

    @Override
    void dispose() {
      if (closing != null) {
        closing.cancel(false);
      }
    }
  }

  /**
   * Passes at most {@code bytes} per connection and direction, then closes the connection. The
   * count survives toxic updates (kept on the pipe by toxic name), as in Toxiproxy.
   */
  static final class LimitData extends Stage {
    private final long limit;
    private final long[] sent;
    private boolean closed;

    LimitData(Pipe pipe, String toxicName, long limit) {
      super(pipe);
      this.limit = limit;
      this.sent = pipe.counter(toxicName);
    }

    @Override
    void accept(ByteBuf buf) {
      if (closed) {
        pipe.released(buf.readableBytes());
        buf.release();
        return;
      }
      long remaining = Math.max(0, limit - sent[0]);
      int n = buf.readableBytes();
      if (n > remaining) {
        pipe.released((int) (n - remaining));
        buf.writerIndex(buf.readerIndex() + (int) remaining);
        n = (int) remaining;
      }
      if (n > 0) {
        sent[0] += n;
        next.accept(buf);
      } else {
        buf.release();
      }
      if (sent[0] >= limit) {
        closed = true;
        next.end();
      }
    }

    @Override
    void end() {
      if (!closed) {
        closed = true;
        next.end();
      }
    }
  }
}
