package io.loadchaos.refcluster.management;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.loadchaos.refcluster.NodeTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Management calls between nodes (state sync, migration steps, forwarding to the meta node). */
final class InternalClient implements AutoCloseable {
  private final ClientFactory factory;
  private final ConcurrentHashMap<String, WebClient> clients = new ConcurrentHashMap<>();
  private final String authToken;
  private final String scheme;

  /** {@code tls} null: plain http; else https trusting its CA. */
  InternalClient(String authToken, NodeTls tls) {
    this.authToken = authToken;
    this.scheme = NodeTls.scheme(tls);
    ClientFactoryBuilder b = ClientFactory.builder().connectTimeout(Duration.ofSeconds(1));
    this.factory = (tls == null ? b : tls.trustPeers(b)).build();
  }

  CompletableFuture<AggregatedHttpResponse> call(InetSocketAddress to, HttpMethod method, String pathAndQuery, MediaType type,
      byte[] body, Duration timeout) {
    String base = scheme + "://" + to.getHostString() + ":" + to.getPort();
    WebClient c = clients.computeIfAbsent(base, b -> WebClient.builder(b).factory(factory).maxResponseLength(512L * 1024 * 1024).build());
    RequestHeadersBuilder h = RequestHeaders.builder(method, pathAndQuery);
    if (authToken != null) {
      h.add("authorization", "Bearer " + authToken);
    }
    if (type != null) {
      h.contentType(type);
    }
    HttpRequest req = body == null ? HttpRequest.of(h.build()) : HttpRequest.of(h.build(), HttpData.wrap(body));
    return c.execute(req, RequestOptions.builder().responseTimeout(timeout).build()).aggregate();
  }

  @Override
  public void close() {
    factory.close();
  }
}
