package io.loadchaos.faultproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import io.loadchaos.chaos.LinkProxies;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-link counters: bytes, connections, and HTTP/2 requests per path read from a real h2c client. */
class FaultProxyTrafficTest {

  @Test
  void countsHttp2RequestsPerPathAndBytesEachWay() throws Exception {
    Server upstream = Server.builder().http(0)
        .service("/internal/fragment", (ctx, req) -> HttpResponse.of("x".repeat(1000)))
        .service("/internal/catalog", (ctx, req) -> HttpResponse.of("[]"))
        .build();
    upstream.start().join();
    try (FaultProxyServer server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0));
        LinkProxies links = new LinkProxies("127.0.0.1", server.apiAddress().getPort(), "traffic-test");
        ClientFactory factory = ClientFactory.builder().build()) {
      InetSocketAddress at = links.route("1", "2", new InetSocketAddress("127.0.0.1", upstream.activeLocalPort()));
      Map<String, LinkProxies.LinkTraffic> before = links.traffic();
      assertThat(before).containsKey("1->2");
      WebClient c = WebClient.builder("http://127.0.0.1:" + at.getPort()).factory(factory).build();
      for (int i = 0; i < 25; i++) {
        // distinct query strings defeat HPACK's indexing of the whole path: each must still be read
        assertThat(c.get("/internal/fragment?shard=" + i + "&min=0&max=" + (1000 + i)).aggregate().join().status().code()).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) c.get("/internal/catalog").aggregate().join();
      LinkProxies.LinkTraffic d = links.traffic().get("1->2").minus(before.get("1->2"));
      assertThat(d.requests("/internal/fragment")).isEqualTo(25);
      assertThat(d.requests("/internal/catalog")).isEqualTo(3);
      assertThat(d.http2Connections()).isEqualTo(1);
      assertThat(d.opaqueConnections()).isZero();
      assertThat(d.connections()).isEqualTo(1);
      assertThat(d.bytesDownstream()).isGreaterThan(25 * 1000);
      assertThat(d.bytesUpstream()).isPositive();
    } finally {
      upstream.stop().join();
    }
  }

  @Test
  void http1ConnectionIsOpaqueButItsBytesAreCounted() throws Exception {
    Server upstream = Server.builder().http(0).service("/x", (ctx, req) -> HttpResponse.of("ok")).build();
    upstream.start().join();
    try (FaultProxyServer server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0));
        LinkProxies links = new LinkProxies("127.0.0.1", server.apiAddress().getPort(), "traffic-test-h1")) {
      InetSocketAddress at = links.route(null, "1", new InetSocketAddress("127.0.0.1", upstream.activeLocalPort()));
      byte[] req = "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      try (Socket s = new Socket(at.getHostString(), at.getPort())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(req);
        out.flush();
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      }
      LinkProxies.LinkTraffic t = links.traffic().get("client->1");
      assertThat(t.bytesUpstream()).isEqualTo(req.length);
      assertThat(t.opaqueConnections()).isEqualTo(1);
      assertThat(t.http2Connections()).isZero();
      assertThat(t.requests()).isEmpty();
    } finally {
      upstream.stop().join();
    }
  }

  @Test
  void routingALinkAgainAimsItsProxyAtTheNewUpstream() throws Exception {
    // a cluster started again on other ports after a bind race routes its links a second time
    Server first = Server.builder().http(0).service("/x", (ctx, req) -> HttpResponse.of("first")).build();
    Server second = Server.builder().http(0).service("/x", (ctx, req) -> HttpResponse.of("second")).build();
    first.start().join();
    second.start().join();
    try (FaultProxyServer server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0));
        LinkProxies links = new LinkProxies("127.0.0.1", server.apiAddress().getPort(), "reroute-test");
        ClientFactory factory = ClientFactory.builder().build()) {
      InetSocketAddress at = links.route("1", "2", new InetSocketAddress("127.0.0.1", first.activeLocalPort()));
      InetSocketAddress again = links.route("1", "2", new InetSocketAddress("127.0.0.1", second.activeLocalPort()));
      assertThat(again).isEqualTo(at);
      WebClient c = WebClient.builder("http://127.0.0.1:" + at.getPort()).factory(factory).build();
      assertThat(c.get("/x").aggregate().join().contentUtf8()).isEqualTo("second");
    } finally {
      first.stop().join();
      second.stop().join();
    }
  }
}
