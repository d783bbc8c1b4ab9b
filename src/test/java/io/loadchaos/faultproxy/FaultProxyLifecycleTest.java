package io.loadchaos.faultproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Links going down and up, many connections, real HTTP/1.1 and HTTP/2, and a clean close. */
class FaultProxyLifecycleTest {
  private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

  @Test
  void disablingClosesConnectionsAndRefusesNewOnesAndEnablingRestores() throws Exception {
    try (ProxyFixture fx = new ProxyFixture()) {
      Proxy p = fx.proxy("link");
      int port = ProxyFixture.port(p);
      try (Socket open = ProxyFixture.connect(p)) {
        ProxyFixture.roundTrip(open, PING);
        p.disable();
        int r;
        try {
          r = open.getInputStream().read();
        } catch (SocketException reset) {
          r = -1;
        }
        assertThat(r).isEqualTo(-1);
      }
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);
      p.enable();
      assertThat(ProxyFixture.port(p)).isEqualTo(port);
      try (Socket again = ProxyFixture.connect(p)) {
        ProxyFixture.roundTrip(again, PING);
      }
    }
  }

  @Test
  void aFlappingLinkKeepsItsPort() throws Exception {
    try (ProxyFixture fx = new ProxyFixture()) {
      Proxy p = fx.proxy("flap");
      int port = ProxyFixture.port(p);
      for (int i = 0; i < 30; i++) {
        p.disable();
        p.enable();
        assertThat(ProxyFixture.port(p)).isEqualTo(port);
      }
      try (Socket s = ProxyFixture.connect(p)) {
        ProxyFixture.roundTrip(s, PING);
      }
    }
  }

  @Test
  void changingTheUpstreamClosesConnectionsAndRoutesNewOnesThere() throws Exception {
    try (ProxyFixture fx = new ProxyFixture();
        EchoServer other = new EchoServer()) {
      Proxy p = fx.proxy("move");
      try (Socket before = ProxyFixture.connect(p)) {
        ProxyFixture.roundTrip(before, PING);
        p.setUpstream(other.address());
        int r;
        try {
          r = before.getInputStream().read();
        } catch (SocketException reset) {
          r = -1;
        }
        assertThat(r).isEqualTo(-1);
      }
      try (Socket after = ProxyFixture.connect(p)) {
        ProxyFixture.roundTrip(after, PING);
      }
      assertThat(fx.echo.acceptedConnections()).isEqualTo(1);
      assertThat(other.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void upstreamDownClosesTheClientConnection() throws Exception {
    try (ProxyFixture fx = new ProxyFixture()) {
      Proxy p = fx.client.createProxy("dead", "127.0.0.1:0", "127.0.0.1:1");
      try (Socket s = ProxyFixture.connect(p)) {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(fx.server.connectionCount("dead")).isZero();
    }
  }

  @Test
  void manyConcurrentConnectionsAreCarriedAndForgottenWhenClosed() throws Exception {
    try (ProxyFixture fx = new ProxyFixture()) {
      Proxy p = fx.proxy("many");
      p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 20);
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          sockets.add(ProxyFixture.connect(p));
        }
        for (Socket s : sockets) {
          s.getOutputStream().write(PING);
        }
        for (Socket s : sockets) {
          assertThat(s.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
        }
        assertThat(fx.server.connectionCount("many")).isEqualTo(200);
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fx.server.connectionCount("many") > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(fx.server.connectionCount("many")).isZero();
    }
  }

  @Test
  void carriesHttp1AndHttp2WithLatency() throws Exception {
    Queue<SessionProtocol> seen = new ConcurrentLinkedQueue<>();
    Server http =
        Server.builder()
            .http(new InetSocketAddress("127.0.0.1", 0))
            .service(
                "/hello",
                (ctx, req) -> {
                  seen.add(ctx.sessionProtocol());
                  return HttpResponse.of("hello " + "x".repeat(100_000));
                })
            .build();
    http.start().join();
    ClientFactory factory = ClientFactory.builder().build();
    try (ProxyFixture fx = new ProxyFixture()) {
      Proxy p = fx.client.createProxy("web", "127.0.0.1:0", "127.0.0.1:" + http.activeLocalPort());
      p.toxics().latency("l", ToxicDirection.DOWNSTREAM, 100);
      for (String scheme : List.of("h2c", "h1c")) {
        WebClient web = WebClient.builder(scheme + "://" + p.getListen()).factory(factory).build();
        for (int i = 0; i < 3; i++) {
          long start = System.nanoTime();
          AggregatedHttpResponse r = web.get("/hello").aggregate().join();
          assertThat(r.status().code()).isEqualTo(200);
          assertThat(r.contentUtf8()).startsWith("hello xxx").hasSize(100_006);
          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
              .isGreaterThanOrEqualTo(95L);
        }
      }
      assertThat(seen).contains(SessionProtocol.H2C, SessionProtocol.H1C);
    } finally {
      factory.close();
      http.stop().join();
    }
  }

  @Test
  void closeLeavesNoListeningSocketAndNoThreadAndIsIdempotent() throws Exception {
    List<Integer> ports = new ArrayList<>();
    try (EchoServer echo = new EchoServer()) {
      FaultProxyServer server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0));
      ports.add(server.apiAddress().getPort());
      ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
      Socket open = null;
      for (int i = 0; i < 3; i++) {
        Proxy p = client.createProxy("p" + i, "127.0.0.1:0", echo.address());
        p.toxics().latency("l", ToxicDirection.UPSTREAM, 10);
        ports.add(ProxyFixture.port(p));
        if (i == 0) {
          open = ProxyFixture.connect(p);
          ProxyFixture.roundTrip(open, PING);
        }
      }
      server.close();
      server.close();
      int r;
      try {
        r = open.getInputStream().read();
      } catch (SocketException reset) {
        r = -1;
      }
      assertThat(r).isEqualTo(-1);
      open.close();
    }
    for (int port : ports) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);
      try (ServerSocket rebind = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(rebind.getLocalPort()).isEqualTo(port);
      }
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.isAlive() && t.getName().startsWith("faultproxy-"))
        .isEmpty();
  }
}
