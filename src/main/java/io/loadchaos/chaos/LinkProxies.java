package io.loadchaos.chaos;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadchaos.config.Parsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One Toxiproxy proxy per link ({@code client->2}, {@code 1->2}), managed through toxiproxy-java so
 * that the real Toxiproxy and the project's own fault proxy are driven the same way. Proxy names
 * carry the run id; only those proxies are touched.
 */
public final class LinkProxies implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ToxiproxyClient client;
  private final String apiBase;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String prefix;
  private final Map<String, Proxy> proxies = new LinkedHashMap<>();
  /** Where the harness itself can connect to each link's proxy, for the probes that prove a fault. */
  private final Map<String, InetSocketAddress> probeAddresses = new LinkedHashMap<>();
  private boolean servedHere;

  public LinkProxies(String apiHost, int apiPort, String runId) {
    this.client = new ToxiproxyClient(apiHost, apiPort);
    this.apiBase = "http://" + (apiHost.contains(":") ? "[" + apiHost + "]" : apiHost) + ":" + apiPort;
    this.prefix = "lc-" + runId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
  }

  /** Link name for traffic from {@code from} ({@code null}: clients) to node {@code to}. */
  public static String link(String from, String to) {
    return (from == null ? "client" : from) + "->" + to;
  }

  /** Creates the proxy of a link on a free local port; returns the address to connect to. */
  public synchronized InetSocketAddress route(String from, String to, InetSocketAddress upstream) {
    String link = link(from, to);
    Proxy existing = proxies.get(link);
    try {
      if (existing != null) {
        // a cluster started again on other ports (a bind race) keeps its proxies, aimed at the new port
        String target = upstream.getHostString() + ":" + upstream.getPort();
        if (!existing.getUpstream().equals(target)) existing.setUpstream(target);
        return parse(existing.getListen());
      }
      String listen = "127.0.0.1:" + freePort();
      Proxy p = client.createProxy(proxyName(link), listen, upstream.getHostString() + ":" + upstream.getPort());
      proxies.put(link, p);
      probeAddresses.put(link, parse(p.getListen()));
      return parse(p.getListen());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create fault proxy for link " + link, e);
    }
  }

  /**
   * Creates the proxy of a link at an explicit listen address with an upstream only the proxy
   * server may be able to resolve, e.g. {@code 0.0.0.0:19012 -> node2:8181} inside a fault-proxy
   * container on a Compose network. Returns the listen address the server reports.
   */
  public synchronized String route(String from, String to, String listen, String upstream) {
    String link = link(from, to);
    Proxy existing = proxies.get(link);
    if (existing != null) return existing.getListen();
    try {
      Proxy p = client.createProxy(proxyName(link), listen, upstream);
      proxies.put(link, p);
      if (servedHere) {
        InetSocketAddress a = parse(p.getListen());
        String host = a.getHostString().equals("0.0.0.0") || a.getHostString().equals("::") ? "127.0.0.1" : a.getHostString();
        probeAddresses.put(link, new InetSocketAddress(host, a.getPort()));
      }
      return p.getListen();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create fault proxy for link " + link + " (" + listen + " -> " + upstream + ")", e);
    }
  }

  /**
   * The proxy server runs in this JVM's host (the in-process fault proxy): listen addresses given
   * to {@link #route(String, String, String, String)} are then reachable by the harness's probes.
   */
  public synchronized LinkProxies servedHere() {
    this.servedHere = true;
    return this;
  }

  /** Where the harness reaches a link's proxy when its listen address is not (a published container port). */
  public synchronized void probeAt(String link, InetSocketAddress address) {
    proxy(link);
    probeAddresses.put(link, address);
  }

  /** The address a probe connects to to cross this link, when the harness can reach it. */
  public synchronized Optional<InetSocketAddress> probeAddress(String link) {
    return Optional.ofNullable(probeAddresses.get(link));
  }

  /** The link's state as the proxy server reports it now: enabled, and its toxics by name with their type. */
  public synchronized LinkState state(String link) throws IOException {
    Proxy fresh = client.getProxy(proxy(link).getName());
    Map<String, String> toxics = new LinkedHashMap<>();
    for (Toxic t : fresh.toxics().getAll()) toxics.put(t.getName(), t.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + t.getStream().name().toLowerCase(Locale.ROOT));
    return new LinkState(fresh.isEnabled(), toxics);
  }

  /** A link as its proxy server reports it. */
  public record LinkState(boolean enabled, Map<String, String> toxics) {}

  private String proxyName(String link) {
    return prefix + link.replace("->", "_to_");
  }

  public synchronized List<String> links() {
    return new ArrayList<>(proxies.keySet());
  }

  private Proxy proxy(String link) {
    Proxy p = proxies.get(link);
    if (p == null) throw new IllegalArgumentException("no proxied link '" + link + "' (have " + proxies.keySet() + ")");
    return p;
  }

  /** Adds a toxic and returns its name, for removal at heal. */
  public synchronized String addToxic(String link, String kind, String stream, Map<String, String> params, String toxicName)
      throws IOException {
    ToxicDirection dir = "upstream".equals(stream) ? ToxicDirection.UPSTREAM : ToxicDirection.DOWNSTREAM;
    var toxics = proxy(link).toxics();
    Toxic t = switch (kind) {
      case "latency" -> toxics.latency(toxicName, dir, ms(params, "latency", "200ms"))
          .setJitter(ms(params, "jitter", "0ms"));
      case "bandwidth" -> toxics.bandwidth(toxicName, dir, Long.parseLong(params.getOrDefault("rate", "100")));
      case "timeout" -> toxics.timeout(toxicName, dir, ms(params, "timeout", "0ms"));
      case "reset-peer" -> toxics.resetPeer(toxicName, dir, ms(params, "timeout", "0ms"));
      case "slicer" -> toxics.slicer(toxicName, dir, Long.parseLong(params.getOrDefault("average_size", "64")),
          Long.parseLong(params.getOrDefault("delay_us", "1000")));
      case "limit-data" -> toxics.limitData(toxicName, dir, Long.parseLong(params.getOrDefault("bytes", "1024")));
      default -> throw new IllegalArgumentException("unknown toxic '" + kind + "'");
    };
    if (params.containsKey("toxicity")) t.setToxicity(Float.parseFloat(params.get("toxicity")));
    return t.getName();
  }

  public synchronized void removeToxic(String link, String toxicName) throws IOException {
    proxy(link).toxics().get(toxicName).remove();
  }

  public synchronized void disable(String link) throws IOException {
    proxy(link).disable();
  }

  public synchronized void enable(String link) throws IOException {
    proxy(link).enable();
  }

  /** What is still wrong on the run's links: disabled proxies and remaining toxics. */
  public synchronized List<String> problems() {
    List<String> out = new ArrayList<>();
    for (var e : proxies.entrySet()) {
      try {
        Proxy fresh = client.getProxy(e.getValue().getName());
        if (!fresh.isEnabled()) out.add(e.getKey() + " disabled");
        for (Toxic t : fresh.toxics().getAll()) out.add(e.getKey() + " toxic " + t.getName());
      } catch (IOException ex) {
        out.add(e.getKey() + " unreadable: " + ex.getMessage());
      }
    }
    return out;
  }

  /** Enables every link and removes every toxic of this run. */
  public synchronized void healAll() throws IOException {
    for (var e : proxies.entrySet()) {
      Proxy fresh = client.getProxy(e.getValue().getName());
      for (Toxic t : fresh.toxics().getAll()) t.remove();
      if (!fresh.isEnabled()) fresh.enable();
    }
  }

  /**
   * Traffic counted so far on each of this run's links, from the {@code loadchaos} field the
   * project's fault proxy adds to {@code GET /proxies}. Empty when the proxy server does not count
   * (a real Toxiproxy): callers then fall back to other evidence and say so.
   */
  public synchronized Map<String, LinkTraffic> traffic() throws IOException {
    Map<String, LinkTraffic> out = new LinkedHashMap<>();
    JsonNode all;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/proxies"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IOException("GET /proxies on the fault proxy -> HTTP " + r.statusCode());
      all = JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading the fault proxy's counters", e);
    }
    for (var e : proxies.entrySet()) {
      JsonNode stats = all.path(e.getValue().getName()).path("loadchaos");
      if (stats.isMissingNode()) continue;
      Map<String, Long> requests = new TreeMap<>();
      stats.path("requests").fields().forEachRemaining(f -> requests.put(f.getKey(), f.getValue().asLong()));
      out.put(e.getKey(), new LinkTraffic(stats.path("bytes_upstream").asLong(), stats.path("bytes_downstream").asLong(),
          stats.path("connections").asLong(), stats.path("http2_connections").asLong(), stats.path("opaque_connections").asLong(),
          requests));
    }
    return out;
  }

  /**
   * What crossed one link: bytes each way, connections, connections whose requests the proxy could
   * read (clear-text HTTP/2) or not (TLS, HTTP/1.1, ...), and requests per path.
   */
  public record LinkTraffic(long bytesUpstream, long bytesDownstream, long connections, long http2Connections,
      long opaqueConnections, Map<String, Long> requests) {

    public long requests(String path) {
      return requests.getOrDefault(path, 0L);
    }

    /** This snapshot minus an earlier one of the same link. */
    public LinkTraffic minus(LinkTraffic before) {
      Map<String, Long> r = new TreeMap<>();
      requests.forEach((k, v) -> {
        long d = v - before.requests(k);
        if (d != 0) r.put(k, d);
      });
      return new LinkTraffic(bytesUpstream - before.bytesUpstream, bytesDownstream - before.bytesDownstream,
          connections - before.connections, http2Connections - before.http2Connections,
          opaqueConnections - before.opaqueConnections, r);
    }
  }

  /** Deletes this run's proxies. */
  @Override
  public synchronized void close() {
    for (Proxy p : proxies.values()) {
      try {
        p.delete();
      } catch (IOException e) {
        // the proxy server may already be gone: nothing left to delete then
      }
    }
    proxies.clear();
  }

  private static long ms(Map<String, String> params, String key, String def) {
    return Parsers.parseDuration(params.getOrDefault(key, def)).toMillis();
  }

  private static InetSocketAddress parse(String hostPort) {
    int i = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, i), Integer.parseInt(hostPort.substring(i + 1)));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
