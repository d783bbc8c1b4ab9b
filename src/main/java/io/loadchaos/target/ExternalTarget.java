package io.loadchaos.target;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster someone else runs, given by its URLs. Capabilities are probed, not assumed: a real
 * InfluxDB 3 without the cluster API simply lacks them.
 */
public final class ExternalTarget implements ClusterTarget {
  private final List<Node> nodes;
  private final ClusterHttp http;
  private final Set<Capability> caps;
  private final Path caCert;

  public ExternalTarget(List<String> urls, String token) {
    this(urls, token, null);
  }

  /** {@code caCert}: PEM CA certificates the https URLs are trusted with (null: the JDK's default trust). */
  public ExternalTarget(List<String> urls, String token, Path caCert) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("loadchaos.urls: the external target needs at least one node URL");
    }
    List<Node> ns = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      String u = urls.get(i).replaceAll("/+$", "");
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new IllegalArgumentException("loadchaos.urls: '" + u + "' is not an http(s) URL");
      }
      ns.add(new Node(Integer.toString(i + 1), u));
    }
    this.nodes = List.copyOf(ns);
    this.caCert = caCert;
    this.http = new ClusterHttp(token, Duration.ofSeconds(60), caCert);
    this.caps = probe(http, nodes.get(0).clientUrl());
  }

  /** The cluster API capabilities a node really answers for (a real InfluxDB 3 has none of them). */
  public static Set<Capability> probe(ClusterHttp http, String url) {
    Set<Capability> found = EnumSet.noneOf(Capability.class);
    try {
      if (http.send("GET", url + "/api/v3/cluster/nodes", null).status() == 200) {
        found.add(Capability.MANAGEMENT_API);
      }
      // without a db the listing answers 200 (all), 400 (db required) or 404; only the cluster API tells
      int shards = http.send("GET", url + "/api/v3/cluster/shards", null).status();
      if (shards == 200 || (shards == 400 || shards == 404) && found.contains(Capability.MANAGEMENT_API)) {
        found.add(Capability.SHARD_LISTING);
        found.add(Capability.NODE_LOCAL_READS);
      }
      if (http.metrics(url).containsKey("loadchaos_hints_pending")) found.add(Capability.HINT_METRICS);
    } catch (IOException e) {
      // a capability whose probe fails is absent
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return found;
  }

  @Override
  public String kind() {
    return "external";
  }

  @Override
  public List<Node> nodes() {
    return nodes;
  }

  @Override
  public Optional<Path> caCert() {
    return Optional.ofNullable(caCert);
  }

  @Override
  public ClusterHttp http() {
    return http;
  }

  @Override
  public boolean has(Capability c) {
    return caps.contains(c);
  }

  @Override
  public void close() {}
}
