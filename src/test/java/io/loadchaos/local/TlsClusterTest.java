package io.loadchaos.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.influxdb.v3.client.InfluxDBClient;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.http.util.SslContexts;
import io.gatling.http.util.SslContextsFactory;
import io.loadchaos.gatling.GatlingTrust;
import io.loadchaos.harness.FlightQueries;
import io.loadchaos.target.ClusterHttp;
import io.loadchaos.tls.LocalCa;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/**
 * A reference cluster behind TLS with a CA generated for it: every client that is given the CA
 * (ClusterHttp, influxdb3-java's Flight, Gatling's SSL contexts) gets through, one without it is
 * refused at the handshake, and the nodes' own replication runs over TLS too.
 */
class TlsClusterTest {
  private static final String TOKEN = "tls-test-token";
  private static final String DB = "tls";

  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static Path ca;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().nodes(2).replicationFactor(2).dataDir(dir).authToken(TOKEN).tls(true).start();
    ca = cluster.caCert().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String url(String id) {
    return cluster.node(id).clientUrl();
  }

  private static long count(ClusterHttp http, String id, String table, Map<String, String> extra) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    http.querySql(url(id), DB, "SELECT count(*) AS n FROM " + table, extra, rows::add);
    return rows.get(0).get("n").asLong();
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Test
  void writesAndQueriesGoOverHttpsWithTheCaAndReplicasArriveOverTls() throws Exception {
    assertThat(url("1")).startsWith("https://127.0.0.1:");
    assertThat(ca).hasFileName("ca.pem").exists();
    ClusterHttp http = new ClusterHttp(TOKEN, Duration.ofSeconds(30), ca);
    assertThat(http.healthy(url("1"))).isTrue();
    ClusterHttp.Response w = http.send("POST", url("1") + "/api/v3/write_lp?db=" + DB, "cpu,host=a v=1 1700000000000000000\ncpu,host=b v=2 1700000000000000000");
    assertThat(w.status()).as(w.body()).isEqualTo(204);
    assertThat(count(http, "1", "cpu", Map.of())).isEqualTo(2);
    // node 2's own copy came from node 1 over the https peer link, which trusts the same CA
    assertThat(count(http, "2", "cpu", Map.of("local", "true"))).isEqualTo(2);
    // the token is still required over TLS
    assertThat(new ClusterHttp(null, Duration.ofSeconds(10), ca).send("GET", url("1") + "/metrics", null).status()).isEqualTo(401);
  }

  @Test
  void aClientWithoutTheCaIsRefusedAtTheHandshake() throws Exception {
    ClusterHttp jdkTrust = new ClusterHttp(TOKEN, Duration.ofSeconds(10));
    assertThat(jdkTrust.healthy(url("1"))).isFalse();
    assertThatThrownBy(() -> jdkTrust.send("GET", url("1") + "/health", null))
        .isInstanceOf(IOException.class).satisfies(e -> assertThat(e).isInstanceOf(SSLHandshakeException.class));

    LocalCa other = LocalCa.generate(dir.resolve("other-ca"));
    ClusterHttp otherCa = new ClusterHttp(TOKEN, Duration.ofSeconds(10), other.caCert());
    assertThatThrownBy(() -> otherCa.send("GET", url("1") + "/health", null)).isInstanceOf(SSLHandshakeException.class);

    // and plain http on the TLS port gets no answer
    String plain = "http://127.0.0.1:" + URI.create(url("1")).getPort();
    assertThatThrownBy(() -> new ClusterHttp(TOKEN, Duration.ofSeconds(5)).send("GET", plain + "/health", null)).isInstanceOf(IOException.class);
  }

  @Test
  void flightQueriesRunOverTlsWithTheCaOnly() throws Exception {
    ClusterHttp http = new ClusterHttp(TOKEN, Duration.ofSeconds(30), ca);
    assertThat(http.send("POST", url("2") + "/api/v3/write_lp?db=" + DB, "flight,host=a v=1 1700000000000000000").status()).isEqualTo(204);
    try (InfluxDBClient client = InfluxDBClient.getInstance(FlightQueries.clientConfig(url("1"), DB, TOKEN, Optional.of(ca)));
        Stream<Object[]> rows = client.query("SELECT count(*) FROM flight")) {
      assertThat(((Number) rows.toList().get(0)[0]).longValue()).isEqualTo(1);
    }
    try (InfluxDBClient noCa = InfluxDBClient.getInstance(FlightQueries.clientConfig(url("1"), DB, TOKEN, Optional.empty()))) {
      assertThatThrownBy(() -> {
        try (Stream<Object[]> rows = noCa.query("SELECT count(*) FROM flight")) {
          rows.toList();
        }
      }).satisfies(e -> assertThat(rootCause(e)).as("the JDK's trust store does not know the run's CA")
          .isInstanceOf(CertPathBuilderException.class));
    }
  }

  @Test
  void gatlingsSslContextsTrustTheRunCaAndNothingElse() throws Exception {
    int port = URI.create(url("1")).getPort();
    GatlingConfiguration config = GatlingConfiguration.load();
    assertThat(config.ssl().useInsecureTrustManager()).as("gatling.conf: certificates are checked").isFalse();
    assertThat(config.http().enableHostnameVerification()).as("gatling.conf: host names are checked").isTrue();
    List<String> keys = List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStoreType", "javax.net.ssl.trustStorePassword");
    Map<String, String> saved = new HashMap<>();
    keys.forEach(k -> saved.put(k, System.getProperty(k)));
    // the JDK's default trust already loaded and kept alive, as Gatling's start-up release check
    // (https to Maven Central) leaves it in every Gatling JVM before the simulation exists
    SslContext jdkTrust = gatlingContext(config);
    try {
      assertThat(handshake(jdkTrust, port)).as("JDK trust store: the run's CA is unknown").isInstanceOf(SSLHandshakeException.class);

      Path store = GatlingTrust.trustOnly(ca, dir.resolve("gatling"));
      assertThat(store).exists();
      // every virtual user builds its own context, all at once when the load starts
      assertThat(concurrentGatlingContexts(config, 8)).as("the run's CA, in every user's context")
          .allSatisfy(ctx -> assertThat(handshake(ctx, port)).isNull());

      GatlingTrust.trustOnly(LocalCa.generate(dir.resolve("another")).caCert(), dir.resolve("gatling-other"));
      assertThat(concurrentGatlingContexts(config, 8)).as("only the configured CA, in every user's context")
          .allSatisfy(ctx -> assertThat(handshake(ctx, port)).isInstanceOf(SSLHandshakeException.class));
    } finally {
      Reference.reachabilityFence(jdkTrust);
      saved.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  /** {@code n} Gatling TLS contexts built at the same moment on {@code n} threads, like the users of a load. */
  private static List<SslContext> concurrentGatlingContexts(GatlingConfiguration config, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier start = new CyclicBarrier(n);
      // FQN: clashes with io.netty.util.concurrent.Future
      List<java.util.concurrent.Future<SslContext>> built = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        built.add(pool.submit(() -> {
          start.await(20, TimeUnit.SECONDS);
          return gatlingContext(config);
        }));
      }
      List<SslContext> contexts = new ArrayList<>();
      for (var f : built) contexts.add(f.get(60, TimeUnit.SECONDS));
      return contexts;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A TLS context built exactly as Gatling builds one for each virtual user. */
  private static SslContext gatlingContext(GatlingConfiguration config) {
    SslContexts contexts = new SslContextsFactory(config.ssl(), config.http().enableHostnameVerification()).newSslContexts(false, Option.empty());
    return contexts.getSslContext();
  }

  /** Null when the TLS handshake with 127.0.0.1:port succeeds, else why it failed. */
  private static Throwable handshake(SslContext ctx, int port) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel ch) {
          ch.pipeline().addLast(ctx.newHandler(ch.alloc(), "127.0.0.1", port));
        }
      });
      Channel ch = b.connect("127.0.0.1", port).sync().channel();
      Future<Channel> done = ch.pipeline().get(SslHandler.class).handshakeFuture();
      assertThat(done.await(20, TimeUnit.SECONDS)).as("handshake finished").isTrue();
      ch.close().await(5, TimeUnit.SECONDS);
      return done.isSuccess() ? null : rootCauseOrSelf(done.cause());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  private static Throwable rootCauseOrSelf(Throwable t) {
    return t instanceof SSLHandshakeException ? t : t.getCause() instanceof SSLHandshakeException ? t.getCause() : t;
  }
}
