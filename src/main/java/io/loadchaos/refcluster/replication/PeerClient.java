package io.loadchaos.refcluster.replication;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.loadchaos.refcluster.catalog.EnsureRequest;
import io.loadchaos.refcluster.catalog.MetaLink;
import io.loadchaos.refcluster.catalog.Sharding;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Node-to-node calls to one peer, at the address given in --peers (possibly a fault proxy). */
public final class PeerClient implements MetaLink {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A shard fragment may be large: allow more than the write timeout for the whole transfer. */
  private static final Duration FRAGMENT_TIMEOUT = Duration.ofSeconds(20);

  private final String peerId;
  private final InetSocketAddress address;
  private final WebClient client;
  private final String authToken;
  private final PeerHealth health;

  /** {@code scheme} is https for a TLS cluster (the factory then trusts its CA), else http. */
  public PeerClient(String peerId, String scheme, InetSocketAddress address, ClientFactory factory, String authToken, Duration timeout) {
    this.peerId = peerId;
    this.address = address;
    this.authToken = authToken;
    this.health = new PeerHealth();
    this.client =
        WebClient.builder(scheme + "://" + address.getHostString() + ":" + address.getPort())
            .factory(factory)
            .responseTimeout(timeout)
            .maxResponseLength(512L * 1024 * 1024)
            .build();
  }

  public String peerId() {
    return peerId;
  }

  public InetSocketAddress address() {
    return address;
  }

  public PeerHealth health() {
    return health;
  }

  public CompletableFuture<Void> write(ReplicaWrite w, boolean noSync) {
    return call(HttpMethod.POST, "/internal/write?no_sync=" + noSync, MediaType.OCTET_STREAM, w.encode())
        .thenApply(r -> {
          expect(r, HttpStatus.NO_CONTENT, "write");
          return null;
        });
  }

  /** Canonical line protocol of one shard's rows with minTime <= time <= maxTime. */
  public CompletableFuture<byte[]> fragment(long shardId, long minTime, long maxTime) {
    return call(HttpMethod.GET, "/internal/fragment?shard=" + shardId + "&min=" + minTime + "&max=" + maxTime, null, null, FRAGMENT_TIMEOUT)
        .thenApply(r -> {
          expect(r, HttpStatus.OK, "fragment of shard " + shardId);
          return r.content().array();
        });
  }

  @Override
  public CompletableFuture<TableSnapshot> ensure(EnsureRequest req) {
    return call(HttpMethod.POST, "/internal/catalog/ensure", MediaType.JSON, json(req))
        .thenApply(r -> {
          expect(r, HttpStatus.OK, "catalog ensure");
          return read(r, new TypeReference<TableSnapshot>() {});
        });
  }

  @Override
  public CompletableFuture<List<TableSnapshot>> catalog() {
    return call(HttpMethod.GET, "/internal/catalog", null, null)
        .thenApply(r -> {
          expect(r, HttpStatus.OK, "catalog");
          return read(r, new TypeReference<List<TableSnapshot>>() {});
        });
  }

  public CompletableFuture<AggregatedHttpResponse> setSharding(String db, String table, Sharding sharding) {
    return call(HttpMethod.PUT, "/internal/catalog/sharding?db=" + enc(db) + "&table=" + enc(table), MediaType.JSON, json(sharding));
  }

  public CompletableFuture<Map<Long, Long>> shardCounts() {
    return call(HttpMethod.GET, "/internal/shard_counts", null, null)
        .thenApply(r -> {
          expect(r, HttpStatus.OK, "shard counts");
          return read(r, new TypeReference<Map<Long, Long>>() {});
        });
  }

  private CompletableFuture<AggregatedHttpResponse> call(HttpMethod method, String path, MediaType type, byte[] body) {
    return call(method, path, type, body, null);
  }

  private CompletableFuture<AggregatedHttpResponse> call(HttpMethod method, String path, MediaType type, byte[] body, Duration timeout) {
    RequestHeadersBuilder h = RequestHeaders.builder(method, path);
    if (authToken != null) {
      h.add("authorization", "Bearer " + authToken);
    }
    if (type != null) {
      h.contentType(type);
    }
    HttpRequest req = body == null ? HttpRequest.of(h.build()) : HttpRequest.of(h.build(), HttpData.wrap(body));
    if (timeout != null) {
      return client.execute(req, RequestOptions.builder().responseTimeout(timeout).build()).aggregate();
    }
    return client.execute(req).aggregate();
  }

  private void expect(AggregatedHttpResponse r, HttpStatus status, String what) {
    if (!r.status().equals(status)) {
      throw new PeerException("peer " + peerId + " " + what + ": HTTP " + r.status().code() + " " + r.contentUtf8());
    }
  }

  private static byte[] json(Object o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(AggregatedHttpResponse r, TypeReference<T> type) {
    try {
      return JSON.readValue(r.content().array(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A peer answered, but not with success. */
  public static final class PeerException extends RuntimeException {
    PeerException(String message) {
      super(message);
    }
  }
}
