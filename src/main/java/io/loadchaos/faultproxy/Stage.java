package io.loadchaos.faultproxy;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * One step of a pipe's chain: receives bytes in stream order and passes them on to {@link #next},
 * possibly later. All calls happen on the link's event loop, so stages need no locking.
 */
abstract class Stage {
  final Pipe pipe;
  Stage next;

  Stage(Pipe pipe) {
    this.pipe = pipe;
  }

  /** Takes ownership of {@code buf}. */
  abstract void accept(ByteBuf buf);

  /** The source reached end of stream; pass it on after any held data. */
  abstract void end();

  /**
   * Moves held data (oldest first) into {@code into} and cancels timers, so a rebuilt chain can
   * carry it on.
   *
   * @return whether an end of stream was held back and must be replayed
   */
  boolean drain(List<ByteBuf> into) {
    return false;
  }

  /** Releases everything held; the pipe is gone. */
  void dispose() {}
}
