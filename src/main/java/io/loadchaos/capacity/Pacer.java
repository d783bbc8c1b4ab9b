package io.loadchaos.capacity;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Start schedule of the writers, changeable at run time (Gatling's injection profiles and
 * {@code throttle} are fixed when the simulation is built). Batch starts are slots at a fixed
 * interval; a pool of writers claims them. A writer asks {@link #claim()} when it is free and gets
 * its slot (wait until it, then write), or "ask again later", or "stop".
 *
 * <p>No coordinated omission: the schedule does not wait for the cluster. A slot claimed more than
 * {@code lateTolerance} after its time is a late start, counted by cause: every other writer was
 * busy (the cluster's latency used up the pool) or some writer was free but the injector did not
 * get to it in time (its own lag). Slots more than {@code maxBacklog} overdue are dropped and
 * counted, so a stalled cluster is not hit by an unbounded burst afterwards.
 */
public final class Pacer {
  /** What a free writer does next. {@code slotNanos}: the slot's time on the pacer's clock. */
  public record Claim(Kind kind, long delayNanos, long slotNanos, boolean late) {
    public enum Kind { GO, WAIT, STOP }

    public boolean go() {
      return kind == Kind.GO;
    }
  }

  /**
   * Counts since the last {@link #take()}: slots handed out, late by cause, dropped, starts whose
   * wait ended late (the injector's timers), and the most writers busy at once.
   */
  public record Counters(long slots, long lateAllBusy, long lateInjector, long dropped, long wokeLate, int maxBusy,
      int writers) {
    /** Starts the injector itself delayed, as a share of the starts due. */
    public double injectorLateShare() {
      long due = slots + dropped;
      return due == 0 ? 0 : (double) (lateInjector + wokeLate) / due;
    }

    public double allBusyShare() {
      long due = slots + dropped;
      return due == 0 ? 0 : (double) (lateAllBusy + dropped) / due;
    }
  }

  private final LongSupplier clock;
  private final int writers;
  private final long horizonNanos;
  private final long lateToleranceNanos;
  private final long maxBacklogNanos;

  private double intervalNanos; // 0: no rate (yet, or idle between steps)
  private double nextSlot;
  private boolean stopped;
  private int busy;
  private long slots;
  private long lateAllBusy;
  private long lateInjector;
  private long dropped;
  private long wokeLate;
  private int maxBusy;

  /**
   * {@code horizon}: how far ahead a writer may claim a slot; a writer told to wait asks again
   * after half to one horizon.
   */
  public Pacer(int writers, long horizonNanos, long lateToleranceNanos, long maxBacklogNanos, LongSupplier clock) {
    if (writers < 1) throw new IllegalArgumentException("pacer: writers must be >= 1, got " + writers);
    this.writers = writers;
    this.horizonNanos = horizonNanos;
    this.lateToleranceNanos = lateToleranceNanos;
    this.maxBacklogNanos = maxBacklogNanos;
    this.clock = clock;
  }

  /** 200 ms horizon, 100 ms late tolerance, 1 s backlog, on {@link System#nanoTime()}. */
  public static Pacer standard(int writers) {
    return new Pacer(writers, 200_000_000L, 100_000_000L, 1_000_000_000L, System::nanoTime);
  }

  public int writers() {
    return writers;
  }

  /** Starts {@code batchesPerSecond} from now on; slots of the old rate not yet claimed are forgotten. */
  public synchronized void rate(double batchesPerSecond) {
    if (!(batchesPerSecond > 0)) throw new IllegalArgumentException("pacer: rate must be > 0, got " + batchesPerSecond);
    intervalNanos = 1e9 / batchesPerSecond;
    nextSlot = clock.getAsLong();
  }

  /** No starts until the next {@link #rate}: writers are told to wait (to let the cluster drain between steps). */
  public synchronized void idle() {
    intervalNanos = 0;
  }

  public synchronized void stop() {
    stopped = true;
  }

  public synchronized boolean stopped() {
    return stopped;
  }

  /** A free writer asks what to do next. A GO must be followed by {@link #started} and {@link #done()}. */
  public synchronized Claim claim() {
    if (stopped) return new Claim(Claim.Kind.STOP, 0, 0, false);
    long now = clock.getAsLong();
    if (intervalNanos == 0) return new Claim(Claim.Kind.WAIT, horizonNanos, 0, false);
    if (now - nextSlot > maxBacklogNanos) {
      long n = (long) ((now - maxBacklogNanos - nextSlot) / intervalNanos) + 1;
      dropped += n;
      nextSlot += n * intervalNanos;
    }
    if (nextSlot > now + horizonNanos) {
      // ask again once the slot is in the horizon, but idle writers no more often than every half
      // horizon (jittered, so they do not all wake at once): with any writer idle, each slot is
      // seen before it is due
      long untilInHorizon = (long) (nextSlot - now - horizonNanos) + 1;
      long idle = horizonNanos / 2 + ThreadLocalRandom.current().nextLong(horizonNanos / 2 + 1);
      return new Claim(Claim.Kind.WAIT, Math.max(untilInHorizon, Math.min(idle, horizonNanos)), 0, false);
    }
    long slot = (long) nextSlot;
    nextSlot += intervalNanos;
    slots++;
    boolean late = now - slot > lateToleranceNanos;
    if (late) {
      // the writer asking has just become free: were all the others busy?
      if (busy >= writers - 1) lateAllBusy++;
      else lateInjector++;
    }
    busy++;
    maxBusy = Math.max(maxBusy, busy);
    return new Claim(Claim.Kind.GO, Math.max(0, slot - now), slot, late);
  }

  /** The writer starts its batch now (its wait is over). */
  public synchronized void started(long slotNanos, boolean lateAtClaim) {
    if (!lateAtClaim && clock.getAsLong() - slotNanos > lateToleranceNanos) wokeLate++;
  }

  /** The writer's batch is done (whatever its outcome). */
  public synchronized void done() {
    busy = Math.max(0, busy - 1);
  }

  /** The counters since the last call, then zeroes them ({@code maxBusy} restarts at the writers busy now). */
  public synchronized Counters take() {
    Counters c = new Counters(slots, lateAllBusy, lateInjector, dropped, wokeLate, maxBusy, writers);
    slots = lateAllBusy = lateInjector = dropped = wokeLate = 0;
    maxBusy = busy;
    return c;
  }
}
