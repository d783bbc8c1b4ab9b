package io.loadchaos.faultproxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stage that releases bytes at due times, in order: the base of latency, bandwidth, slicer and
 * the holding timeout. One timer at most is armed, for the head of the queue.
 */
abstract class QueueStage extends Stage {
  /** Due time meaning "hold until the toxic is removed". */
  static final long NEVER = Long.MAX_VALUE;

  private record Held(ByteBuf buf, long due) {}

  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private boolean endPending;
  private ScheduledFuture<?> timer;
  private long timerDue;

  /** Earliest time the next item may go out; keeps order when delays vary (jitter). */
  long nextFree;

  QueueStage(Pipe pipe) {
    super(pipe);
  }

  final void enqueue(ByteBuf buf, long due) {
    long d = Math.max(due, nextFree);
    nextFree = d;
    queue.add(new Held(buf, d));
  }

  @Override
  void end() {
    endPending = true;
    pump();
  }

  /** Sends everything that is due; arms a timer for the rest. */
  final void pump() {
    long now = System.nanoTime();
    while (!queue.isEmpty() && queue.peek().due <= now) {
      next.accept(queue.poll().buf);
    }
    if (queue.isEmpty()) {
      if (endPending) {
        endPending = false;
        next.end();
      }
      return;
    }
    long due = queue.peek().due;
    if (due == NEVER || (timer != null && timerDue <= due)) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerDue = due;
    timer = pipe.eventLoop().schedule(this::onTimer, due - now, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    timer = null;
    if (pipe.isDisposed()) {
      return;
    }
    pump();
    pipe.afterAsyncEmit();
  }

  @Override
  boolean drain(List<ByteBuf> into) {
    cancelTimer();
    for (Held h : queue) {
      into.add(h.buf);
    }
    queue.clear();
    boolean e = endPending;
    endPending = false;
    return e;
  }

  @Override
  void dispose() {
    cancelTimer();
    for (Held h : queue) {
      h.buf.release();
    }
    queue.clear();
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
