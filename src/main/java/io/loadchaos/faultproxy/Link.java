package io.loadchaos.faultproxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

/** One proxied connection: the accepted client socket, the upstream socket and a pipe each way. */
final class Link {
  private final TcpProxy proxy;
  final Channel client;
  final Channel upstream;
  private final Pipe up;
  private final Pipe down;

  Link(TcpProxy proxy, Channel client, Channel upstream) {
    this.proxy = proxy;
    this.client = client;
    this.upstream = upstream;
    this.up = new Pipe(this, Direction.UPSTREAM, client, upstream, proxy.stats, new RequestSniffer(proxy.stats));
    this.down = new Pipe(this, Direction.DOWNSTREAM, upstream, client, proxy.stats, null);
  }

  /** Wires the handlers and starts moving bytes; runs on the event loop. */
  void start() {
    client.pipeline().addLast(new Endpoint(up, down));
    upstream.pipeline().addLast(new Endpoint(down, up));
    client.closeFuture().addListener(f -> onChannelClosed());
    upstream.closeFuture().addListener(f -> onChannelClosed());
    applyToxics();
    up.updateReading();
    down.updateReading();
  }

  /** Re-reads the proxy's toxics; runs on the event loop. */
  void applyToxics() {
    up.applyToxics(proxy.toxics());
    down.applyToxics(proxy.toxics());
  }

  void close() {
    client.close();
    upstream.close();
  }

  /** Abortive close: SO_LINGER 0 makes the kernel send RST instead of FIN. */
  void reset() {
    for (Channel c : new Channel[] {client, upstream}) {
      if (c.isOpen()) {
        c.config().setOption(ChannelOption.SO_LINGER, 0);
        c.close();
      }
    }
  }

  private void onChannelClosed() {
    if (!client.isOpen() && !upstream.isOpen()) {
      up.dispose();
      down.dispose();
      proxy.forget(this);
    }
  }

  /** Feeds one socket's reads into its outgoing pipe and its writability into its incoming one. */
  private static final class Endpoint extends ChannelInboundHandlerAdapter {
    private final Pipe outgoing;
    private final Pipe incoming;

    Endpoint(Pipe outgoing, Pipe incoming) {
      this.outgoing = outgoing;
      this.incoming = incoming;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      outgoing.onData((ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      outgoing.onReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      incoming.updateReading();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      incoming.dispose();
      outgoing.onSourceEnd();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Resets and broken pipes are normal under chaos; closing ends the pipe like an EOF.
      ctx.close();
    }
  }
}
