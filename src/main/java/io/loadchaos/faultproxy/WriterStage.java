package io.loadchaos.faultproxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;

/** The end of every chain: writes to the destination socket (flushed by the pipe in batches). */
final class WriterStage extends Stage {
  private boolean ended;

  WriterStage(Pipe pipe) {
    super(pipe);
  }

  @Override
  void accept(ByteBuf buf) {
    pipe.released(buf.readableBytes());
    if (ended || !pipe.dst.isActive()) {
      buf.release();
      return;
    }
    pipe.dst.write(buf, pipe.dst.voidPromise());
    pipe.markDirty();
  }

  @Override
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    // Close after the queued bytes are out, as Toxiproxy closes the output once its input ends.
    pipe.dst.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
