package io.loadchaos.refcluster.management;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Management calls between nodes (state sync, migration steps, forwarding to the meta node). */
final class InternalClient implements AutoCloseable {
  private final ClientFactory factory = ClientFactory.builder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ConcurrentHashMap<String, WebClient> clients = new ConcurrentHashMap<>();
  private final String authToken;

  InternalClient(String authToken) {
    this.authToken = authToken;
  }

  CompletableFuture<AggregatedHttpResponse> call(InetSocketAddress to, HttpMethod method, String pathAndQuery, MediaType type,
      byte[] body, Duration timeout) {
    String base = "http://" + to.getHostString() + ":" + to.getPort();
    WebClient c = clients.computeIfAbsent(base, b -> WebClient.builder(b).factory(factory).maxResponseLength(512L * 1024 * 1024).build());
    RequestHeadersBuilder h = RequestHeaders.builder(method, pathAndQuery);
    if (authToken != null) {
      h.add("authorization", "Bearer " + authToken);
    }
    if (type != null) {
      h.contentType(type);
    }
    HttpRequest req = body == null ? HttpRequest.of(h.build()) : HttpRequest.of(h.build(), HttpData.wrap(body));
    return c.execute(req, com.linecorp.armeria.client.RequestOptions.builder().responseTimeout(timeout).build()).aggregate();
  }

  @Override
  public void close() {
    factory.close();
  }
}
