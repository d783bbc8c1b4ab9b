package io.loadchaos.faultproxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;

/**
 * Watches the client->server bytes of one connection, without changing them, and counts the
 * requests it can read: HTTP/2 in clear text (prior knowledge, as the reference cluster's peers
 * speak it) has its HEADERS frames HPACK-decoded for {@code :path}. Anything else (TLS, HTTP/1.1,
 * another protocol) is marked opaque and only its bytes are counted. Runs on the link's event loop.
 */
final class RequestSniffer {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int FRAME_HEADER = 9;
  private static final int TYPE_HEADERS = 0x1;
  private static final int TYPE_CONTINUATION = 0x9;
  private static final int FLAG_END_HEADERS = 0x4;
  private static final int FLAG_PADDED = 0x8;
  private static final int FLAG_PRIORITY = 0x20;
  /** Header blocks larger than this are not decoded (a request's headers are far smaller). */
  private static final int MAX_HEADER_BLOCK = 1 << 20;

  private enum State { PREFACE, FRAME_HEADER, HEADER_PAYLOAD, SKIP, OPAQUE, DISPOSED }

  private final LinkStats stats;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  private State state = State.PREFACE;
  private final ByteBuf pending = Unpooled.buffer(64);
  private int frameLength;
  private int frameType;
  private int frameFlags;
  private int streamId;
  private long skipLeft;
  /** The header block of a request being assembled from HEADERS + CONTINUATION frames. */
  private ByteBuf block;
  private int blockStream;

  RequestSniffer(LinkStats stats) {
    this.stats = stats;
    try {
      // the server may allow a larger table than the HPACK default; the sniffer must follow any size
      decoder.configuration().maxHeaderTableSize(0xFFFFFFFFL);
      decoder.configuration().maxHeaderListSize(0xFFFFFFFFL, 0xFFFFFFFFL);
    } catch (Exception e) {
      opaque();
    }
  }

  /** Reads a copy's worth of the chunk; never consumes {@code buf}'s reader index. */
  void accept(ByteBuf buf) {
    if (state == State.OPAQUE || state == State.DISPOSED) {
      return;
    }
    int at = buf.readerIndex();
    int end = buf.writerIndex();
    try {
      while (at < end && state != State.OPAQUE && state != State.DISPOSED) {
        at = step(buf, at, end);
      }
    } catch (Exception e) {
      opaque();
    }
  }

  private int step(ByteBuf buf, int at, int end) throws Exception {
    switch (state) {
      case PREFACE -> {
        int n = Math.min(end - at, PREFACE.length - pending.readableBytes());
        pending.writeBytes(buf, at, n);
        for (int i = 0; i < pending.readableBytes(); i++) {
          if (pending.getByte(i) != PREFACE[i]) {
            opaque();
            return end;
          }
        }
        if (pending.readableBytes() == PREFACE.length) {
          pending.clear();
          state = State.FRAME_HEADER;
          stats.http2Connection();
        }
        return at + n;
      }
      case FRAME_HEADER -> {
        int n = Math.min(end - at, FRAME_HEADER - pending.readableBytes());
        pending.writeBytes(buf, at, n);
        if (pending.readableBytes() == FRAME_HEADER) {
          frameLength = pending.getUnsignedMedium(0);
          frameType = pending.getUnsignedByte(3);
          frameFlags = pending.getUnsignedByte(4);
          streamId = pending.getInt(5) & 0x7FFFFFFF;
          pending.clear();
          if ((frameType == TYPE_HEADERS || frameType == TYPE_CONTINUATION) && frameLength <= MAX_HEADER_BLOCK) {
            state = State.HEADER_PAYLOAD;
            if (frameLength == 0) headerPayload();
          } else {
            skipLeft = frameLength;
            state = skipLeft == 0 ? State.FRAME_HEADER : State.SKIP;
          }
        }
        return at + n;
      }
      case HEADER_PAYLOAD -> {
        int n = Math.min(end - at, frameLength - pending.readableBytes());
        pending.writeBytes(buf, at, n);
        if (pending.readableBytes() == frameLength) headerPayload();
        return at + n;
      }
      case SKIP -> {
        int n = (int) Math.min(end - at, skipLeft);
        skipLeft -= n;
        if (skipLeft == 0) state = State.FRAME_HEADER;
        return at + n;
      }
      default -> {
        return end;
      }
    }
  }

  /** A whole HEADERS or CONTINUATION payload is in {@link #pending}. */
  private void headerPayload() throws Exception {
    ByteBuf p = pending;
    if (frameType == TYPE_HEADERS) {
      int from = 0;
      int padding = 0;
      if ((frameFlags & FLAG_PADDED) != 0) {
        padding = p.getUnsignedByte(0);
        from = 1;
      }
      if ((frameFlags & FLAG_PRIORITY) != 0) from += 5;
      int len = p.readableBytes() - from - padding;
      if (len < 0) throw new IllegalStateException("bad HEADERS frame");
      release();
      block = Unpooled.buffer(Math.max(len, 16));
      block.writeBytes(p, from, len);
      blockStream = streamId;
    } else {
      if (block == null || streamId != blockStream) throw new IllegalStateException("CONTINUATION without HEADERS");
      block.writeBytes(p, 0, p.readableBytes());
    }
    pending.clear();
    state = State.FRAME_HEADER;
    if ((frameFlags & FLAG_END_HEADERS) != 0) {
      // decoded in order, so the HPACK dynamic table stays in step with the encoder's
      Http2Headers h = decoder.decodeHeaders(blockStream, block);
      release();
      CharSequence path = h.path();
      // a client's trailers have no :path: only request heads are counted
      if (path != null) stats.request(path.toString());
    }
  }

  private void opaque() {
    if (state == State.DISPOSED) return;
    if (state != State.OPAQUE) {
      state = State.OPAQUE;
      stats.opaqueConnection();
    }
    release();
    pending.clear();
  }

  private void release() {
    if (block != null) {
      block.release();
      block = null;
    }
  }

  /** Frees the buffers when the connection ends. */
  void dispose() {
    if (state == State.DISPOSED) return;
    state = State.DISPOSED;
    release();
    pending.release();
  }
}
