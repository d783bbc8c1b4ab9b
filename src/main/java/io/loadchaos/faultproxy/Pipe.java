package io.loadchaos.faultproxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One direction of a link: bytes read from {@link #src} run through the toxic stages of that
 * direction and are written to {@link #dst}. Reading pauses while the destination is not writable
 * or the stages hold too much, so a slow or black-holed path pushes back on the sender instead of
 * filling memory. Everything runs on the link's event loop.
 */
final class Pipe {
  /** Bytes a pipe may hold in its stages before it stops reading from the source. */
  static final int HIGH_WATER = 256 * 1024;

  final Link link;
  final Direction direction;
  final Channel src;
  final Channel dst;
  private final WriterStage writer;
  private Stage head;
  private List<Stage> stages = List.of();

  /** The toxics the current chain was built from (with their toxicity roll applied). */
  private List<ToxicSpec> active = List.of();

  /** Per toxic name: the toxicity it was rolled at and whether it hit this connection. */
  private final Map<String, Roll> rolls = new HashMap<>();

  private final Map<String, long[]> counters = new HashMap<>();
  private long buffered;
  private boolean srcEnded;
  private boolean disposed;
  private boolean dirty;

  private record Roll(float toxicity, boolean hit) {}

  private final LinkStats stats;
  /** Reads the requests of the client->server direction; null the other way. */
  private final RequestSniffer sniffer;

  Pipe(Link link, Direction direction, Channel src, Channel dst, LinkStats stats, RequestSniffer sniffer) {
    this.stats = stats;
    this.sniffer = sniffer;
    this.link = link;
    this.direction = direction;
    this.src = src;
    this.dst = dst;
    this.writer = new WriterStage(this);
    this.head = writer;
  }

  EventLoop eventLoop() {
    return src.eventLoop();
  }

  boolean isDisposed() {
    return disposed;
  }

  long[] counter(String toxicName) {
    return counters.computeIfAbsent(toxicName, k -> new long[1]);
  }

  void onData(ByteBuf buf) {
    if (disposed || srcEnded) {
      buf.release();
      return;
    }
    buffered += buf.readableBytes();
    // counted as read from the source, before any toxic holds or drops the bytes
    stats.bytes(direction, buf.readableBytes());
    if (sniffer != null) sniffer.accept(buf);
    head.accept(buf);
  }

  void onReadComplete() {
    flush();
    updateReading();
  }

  void onSourceEnd() {
    if (srcEnded || disposed) {
      return;
    }
    srcEnded = true;
    head.end();
    flush();
  }

  /** Called by a stage that emitted from a timer rather than from a read. */
  void afterAsyncEmit() {
    flush();
    updateReading();
  }

  void released(int bytes) {
    buffered -= bytes;
  }

  void markDirty() {
    dirty = true;
  }

  void flush() {
    if (dirty) {
      dirty = false;
      dst.flush();
    }
  }

  /** Reads while there is room downstream; autoRead is cheaper than one read() per chunk. */
  void updateReading() {
    boolean want = !disposed && !srcEnded && buffered < HIGH_WATER && dst.isWritable();
    if (src.config().isAutoRead() != want && src.isOpen()) {
      src.config().setAutoRead(want);
    }
  }

  /**
   * Rebuilds the chain from the proxy's current toxics. Bytes held by the old stages are carried
   * into the new chain in order, so removing a toxic releases what it held (as in Toxiproxy).
   */
  void applyToxics(List<ToxicSpec> all) {
    if (disposed) {
      return;
    }
    List<ToxicSpec> mine = new ArrayList<>();
    for (ToxicSpec t : all) {
      if (t.stream() != direction) {
        continue;
      }
      Roll r = rolls.get(t.name());
      if (r == null || r.toxicity != t.toxicity()) {
        boolean hit = t.toxicity() >= 1f || ThreadLocalRandom.current().nextFloat() < t.toxicity();
        r = new Roll(t.toxicity(), hit);
        rolls.put(t.name(), r);
      }
      if (r.hit) {
        mine.add(t);
      }
    }
    rolls.keySet().removeIf(n -> all.stream().noneMatch(t -> t.name().equals(n)));
    counters.keySet().removeIf(n -> all.stream().noneMatch(t -> t.name().equals(n)));
    if (mine.equals(active)) {
      return;
    }
    List<ByteBuf> held = new ArrayList<>();
    boolean endHeld = false;
    for (int i = stages.size() - 1; i >= 0; i--) {
      endHeld |= stages.get(i).drain(held);
    }
    List<Stage> built = new ArrayList<>(mine.size());
    for (ToxicSpec t : mine) {
      built.add(ToxicStages.create(t, this));
    }
    for (int i = 0; i < built.size(); i++) {
      built.get(i).next = i + 1 < built.size() ? built.get(i + 1) : writer;
    }
    stages = built;
    active = mine;
    head = built.isEmpty() ? writer : built.get(0);
    for (ByteBuf b : held) {
      head.accept(b);
    }
    if (endHeld) {
      head.end();
    }
    afterAsyncEmit();
  }

  /** The destination is gone: drop everything held and stop. */
  void dispose() {
    if (disposed) {
      return;
    }
    disposed = true;
    if (sniffer != null) sniffer.dispose();
    for (Stage s : stages) {
      s.dispose();
    }
    buffered = 0;
    updateReading();
  }
}
