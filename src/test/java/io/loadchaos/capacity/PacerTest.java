package io.loadchaos.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * MS);

  /** 200 ms horizon, 100 ms late tolerance, 1 s backlog. */
  private Pacer pacer(int writers) {
    return new Pacer(writers, 200 * MS, 100 * MS, 1000 * MS, now::get);
  }

  @Test
  void slotsFollowTheRateAndWritersTooEarlyAreToldToWait() {
    Pacer p = pacer(10);
    assertThat(p.claim().kind()).isEqualTo(Pacer.Claim.Kind.WAIT); // no rate yet
    p.rate(10); // one slot every 100 ms
    long t0 = now.get();
    Pacer.Claim a = p.claim();
    Pacer.Claim b = p.claim();
    Pacer.Claim c = p.claim();
    assertThat(a.go()).isTrue();
    assertThat(a.slotNanos()).isEqualTo(t0);
    assertThat(b.slotNanos()).isEqualTo(t0 + 100 * MS);
    assertThat(b.delayNanos()).isEqualTo(100 * MS);
    assertThat(c.delayNanos()).isEqualTo(200 * MS);
    // the next slot (300 ms) is beyond the 200 ms horizon: ask again in half to one horizon
    Pacer.Claim d = p.claim();
    assertThat(d.kind()).isEqualTo(Pacer.Claim.Kind.WAIT);
    assertThat(d.delayNanos()).isBetween(100 * MS, 200 * MS);
    // at a slow rate, not before the next slot enters the horizon
    Pacer slow = pacer(10);
    slow.rate(0.5);
    slow.claim();
    assertThat(slow.claim().delayNanos()).isEqualTo(1800 * MS + 1);
    Pacer.Counters counts = p.take();
    assertThat(counts.slots()).isEqualTo(3);
    assertThat(counts.lateAllBusy() + counts.lateInjector() + counts.dropped()).isZero();
    assertThat(counts.maxBusy()).isEqualTo(3);
  }

  @Test
  void lateStartsAreBlamedOnTheClusterWhenEveryWriterWasBusy() {
    Pacer p = pacer(2);
    p.rate(10);
    p.claim();
    p.claim(); // both writers busy
    now.addAndGet(500 * MS); // they return 500 ms later: slots 200..500 ms are overdue
    p.done();
    Pacer.Claim late = p.claim();
    assertThat(late.go()).isTrue();
    assertThat(late.late()).isTrue();
    assertThat(late.delayNanos()).isZero();
    Pacer.Counters c = p.take();
    assertThat(c.lateAllBusy()).isEqualTo(1);
    assertThat(c.lateInjector()).isZero();
    assertThat(c.allBusyShare()).isEqualTo(1.0 / 3);
  }

  @Test
  void lateStartsWithFreeWritersAreTheInjectorsOwnLag() {
    Pacer p = pacer(10);
    p.rate(10);
    p.claim();
    p.done();
    now.addAndGet(300 * MS); // nine writers free, yet nobody asked for 300 ms
    assertThat(p.claim().late()).isTrue();
    // a writer that claimed in time but whose wait ended late
    Pacer.Claim onTime = p.claim();
    assertThat(onTime.late()).isFalse();
    now.addAndGet(250 * MS);
    p.started(onTime.slotNanos(), onTime.late());
    Pacer.Counters c = p.take();
    assertThat(c.lateInjector()).isEqualTo(1);
    assertThat(c.wokeLate()).isEqualTo(1);
    assertThat(c.lateAllBusy()).isZero();
    assertThat(c.injectorLateShare()).isEqualTo(2.0 / 3);
  }

  @Test
  void slotsOverdueBeyondTheBacklogAreDroppedAndCounted() {
    Pacer p = pacer(1);
    p.rate(100); // every 10 ms
    p.claim();
    now.addAndGet(3000 * MS); // the only writer was busy for 3 s
    p.done();
    Pacer.Claim next = p.claim();
    assertThat(next.late()).isTrue();
    // what is still due is at most 1 s old
    assertThat(now.get() - next.slotNanos()).isLessThanOrEqualTo(1000 * MS);
    Pacer.Counters c = p.take();
    assertThat(c.dropped()).isBetween(199L, 201L);
    assertThat(c.slots()).isEqualTo(2);
    assertThat(p.take().dropped()).isZero(); // take() zeroes
  }

  @Test
  void aNewRateForgetsTheOldSlotsAndStopEndsTheWriters() {
    Pacer p = pacer(4);
    p.rate(1);
    p.claim();
    now.addAndGet(5000 * MS);
    p.rate(1000);
    Pacer.Claim c = p.claim();
    assertThat(c.late()).isFalse();
    assertThat(c.slotNanos()).isEqualTo(now.get());
    p.idle(); // between steps: nobody starts
    assertThat(p.claim().kind()).isEqualTo(Pacer.Claim.Kind.WAIT);
    p.stop();
    assertThat(p.claim().kind()).isEqualTo(Pacer.Claim.Kind.STOP);
    assertThat(p.stopped()).isTrue();
  }
}
