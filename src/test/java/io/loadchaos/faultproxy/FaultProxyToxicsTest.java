package io.loadchaos.faultproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The effect of each toxic on real sockets, measured from the client side of the proxy. */
class FaultProxyToxicsTest {
  private static final byte[] PING = "ping-0123456789".getBytes(StandardCharsets.US_ASCII);
  private ProxyFixture fx;

  @BeforeEach
  void start() throws IOException {
    fx = new ProxyFixture();
  }

  @AfterEach
  void stop() throws IOException {
    fx.close();
  }

  private static long medianMillis(Socket s, int rounds) throws IOException {
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      samples.add(ProxyFixture.roundTrip(s, PING));
    }
    samples.sort(null);
    return TimeUnit.NANOSECONDS.toMillis(samples.get(rounds / 2));
  }

  @Test
  void withoutToxicsBytesPassUnchanged() throws IOException {
    Proxy p = fx.proxy("plain");
    try (Socket s = ProxyFixture.connect(p)) {
      byte[] big = new byte[3 * 1024 * 1024];
      new Random(1).nextBytes(big);
      Thread writer = new Thread(() -> writeQuietly(s, big));
      writer.start();
      byte[] back = s.getInputStream().readNBytes(big.length);
      assertThat(Arrays.equals(back, big)).isTrue();
      assertThat(medianMillis(s, 5)).isLessThan(50);
    }
  }

  @Test
  void latencyOf200msIsAddedWithinTenPercent() throws IOException {
    Proxy p = fx.proxy("lat");
    try (Socket s = ProxyFixture.connect(p)) {
      long base = medianMillis(s, 5);
      p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 200);
      long added = medianMillis(s, 7) - base;
      System.out.printf("latency toxic 200 ms: median added %d ms (base %d ms)%n", added, base);
      assertThat(added).isBetween(180L, 220L);
    }
  }

  @Test
  void latencyAppliesToNewConnectionsAndUpstreamToo() throws IOException {
    Proxy p = fx.proxy("both");
    p.toxics().latency("up", ToxicDirection.UPSTREAM, 100);
    p.toxics().latency("down", ToxicDirection.DOWNSTREAM, 100);
    try (Socket s = ProxyFixture.connect(p)) {
      assertThat(medianMillis(s, 5)).isBetween(180L, 260L);
    }
  }

  @Test
  void jitterStaysWithinItsBound() throws IOException {
    Proxy p = fx.proxy("jit");
    p.toxics().latency("j", ToxicDirection.DOWNSTREAM, 100).setJitter(50);
    try (Socket s = ProxyFixture.connect(p)) {
      for (int i = 0; i < 6; i++) {
        long ms = TimeUnit.NANOSECONDS.toMillis(ProxyFixture.roundTrip(s, PING));
        assertThat(ms).isBetween(45L, 250L);
      }
    }
  }

  @Test
  void removingOrUpdatingLatencyActsOnTheOpenConnection() throws IOException {
    Proxy p = fx.proxy("heal");
    try (Socket s = ProxyFixture.connect(p)) {
      Latency l = p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 300);
      assertThat(medianMillis(s, 3)).isGreaterThanOrEqualTo(270L);
      l.setLatency(100);
      assertThat(medianMillis(s, 5)).isBetween(90L, 250L);
      l.remove();
      assertThat(medianMillis(s, 3)).isLessThan(60L);
    }
  }

  @Test
  void theStaleConnectionsDefectLeavesOpenConnectionsUntouchedWhileNewOnesSeeTheToxic() throws IOException {
    fx.server.withToxicsOnNewConnectionsOnly();
    Proxy p = fx.proxy("stale");
    try (Socket pooled = ProxyFixture.connect(p)) {
      medianMillis(pooled, 3);
      p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 300);
      // the defect: the open connection keeps its old (empty) toxics, a fresh one gets the latency
      assertThat(medianMillis(pooled, 3)).isLessThan(100L);
      try (Socket fresh = ProxyFixture.connect(p)) {
        assertThat(medianMillis(fresh, 3)).isGreaterThanOrEqualTo(270L);
      }
    }
  }

  @Test
  void zeroToxicityNeverAppliesAndFullToxicityAlwaysDoes() throws IOException {
    Proxy p = fx.proxy("tox");
    p.toxics().latency("never", ToxicDirection.DOWNSTREAM, 400).setToxicity(0f);
    try (Socket s = ProxyFixture.connect(p)) {
      assertThat(medianMillis(s, 3)).isLessThan(100L);
    }
    p.toxics().get("never").setToxicity(1f);
    try (Socket s = ProxyFixture.connect(p)) {
      assertThat(medianMillis(s, 3)).isGreaterThanOrEqualTo(360L);
    }
  }

  @Test
  void toxicityIsDrawnPerConnection() throws IOException {
    Proxy p = fx.proxy("half");
    p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 300).setToxicity(0.5f);
    int hit = 0;
    int connections = 20;
    for (int i = 0; i < connections; i++) {
      try (Socket s = ProxyFixture.connect(p)) {
        if (TimeUnit.NANOSECONDS.toMillis(ProxyFixture.roundTrip(s, PING)) >= 250) {
          hit++;
        }
      }
    }
    // All 20 alike has probability 2^-19.
    assertThat(hit).isBetween(1, connections - 1);
  }

  @Test
  void bandwidthLimitIsHeldWithinFifteenPercent() throws Exception {
    Proxy p = fx.proxy("bw");
    Bandwidth bw = p.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 200); // 200 KB/s
    try (Socket s = ProxyFixture.connect(p)) {
      byte[] data = new byte[500_000];
      new Random(2).nextBytes(data);
      long start = System.nanoTime();
      Thread writer = new Thread(() -> writeQuietly(s, data));
      writer.start();
      byte[] back = s.getInputStream().readNBytes(data.length);
      double seconds = (System.nanoTime() - start) / 1e9;
      writer.join();
      assertThat(Arrays.equals(back, data)).isTrue();
      double kbPerSecond = data.length / 1000.0 / seconds;
      System.out.printf("bandwidth toxic 200 KB/s: measured %.1f KB/s%n", kbPerSecond);
      assertThat(kbPerSecond).isBetween(200 * 0.85, 200 * 1.15);
      bw.remove();
      assertThat(medianMillis(s, 3)).isLessThan(60L);
    }
  }

  @Test
  void timeoutZeroIsABlackHoleUntilRemovedAndNothingIsLost() throws IOException {
    Proxy p = fx.proxy("hole");
    try (Socket s = ProxyFixture.connect(p)) {
      ProxyFixture.roundTrip(s, PING);
      Timeout t = p.toxics().timeout("t", ToxicDirection.UPSTREAM, 0);
      s.getOutputStream().write(PING);
      s.setSoTimeout(500);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      t.remove();
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
    }
  }

  @Test
  void timeoutClosesTheConnectionAfterItsTimeout() throws IOException {
    Proxy p = fx.proxy("to");
    p.toxics().timeout("t", ToxicDirection.DOWNSTREAM, 300);
    try (Socket s = ProxyFixture.connect(p)) {
      long start = System.nanoTime();
      s.getOutputStream().write(PING);
      int r;
      try {
        r = s.getInputStream().read();
      } catch (SocketException reset) {
        r = -1;
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(r).isEqualTo(-1);
      assertThat(ms).isGreaterThanOrEqualTo(250L);
    }
  }

  @Test
  void resetPeerResetsTheConnection() throws IOException {
    Proxy p = fx.proxy("rst");
    p.toxics().resetPeer("r", ToxicDirection.UPSTREAM, 0);
    try (Socket s = ProxyFixture.connect(p)) {
      s.getOutputStream().write(PING);
      assertThatThrownBy(
              () -> {
                // The RST may surface on the read or on a following write.
                s.getInputStream().read();
                s.getOutputStream().write(PING);
                s.getInputStream().read();
              })
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void slicerDeliversEverythingInDelayedSlices() throws IOException {
    Proxy p = fx.proxy("slice");
    p.toxics().slicer("s", ToxicDirection.DOWNSTREAM, 10, 20_000); // 10-byte slices, 20 ms apart
    try (Socket s = ProxyFixture.connect(p)) {
      byte[] msg = new byte[100];
      new Random(3).nextBytes(msg);
      long ms = TimeUnit.NANOSECONDS.toMillis(ProxyFixture.roundTrip(s, msg));
      // 10 slices, the last one 9 delays after the first
      assertThat(ms).isGreaterThanOrEqualTo(170L);
    }
  }

  @Test
  void limitDataPassesExactlyTheLimitThenCloses() throws IOException {
    Proxy p = fx.proxy("limit");
    p.toxics().limitData("ld", ToxicDirection.DOWNSTREAM, 25);
    try (Socket s = ProxyFixture.connect(p)) {
      OutputStream out = s.getOutputStream();
      out.write(PING);
      out.write(PING);
      byte[] got = s.getInputStream().readAllBytes();
      assertThat(got).hasSize(25);
      assertThat(Arrays.copyOf(got, PING.length)).isEqualTo(PING);
    }
  }

  @Test
  void slowCloseDelaysTheClose() throws Exception {
    try (ServerSocket bye = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                try (Socket c = bye.accept()) {
                  c.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  // test fails on the client side
                }
              });
      server.start();
      Proxy p = fx.client.createProxy("sc", "127.0.0.1:0", "127.0.0.1:" + bye.getLocalPort());
      p.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 500);
      try (Socket s = ProxyFixture.connect(p)) {
        InputStream in = s.getInputStream();
        assertThat(new String(in.readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("bye");
        long start = System.nanoTime();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
            .isGreaterThanOrEqualTo(350L);
      }
      server.join();
    }
  }

  private static void writeQuietly(Socket s, byte[] data) {
    try {
      s.getOutputStream().write(data);
      s.getOutputStream().flush();
    } catch (IOException e) {
      // the reading side of the test reports the failure
    }
  }
}
