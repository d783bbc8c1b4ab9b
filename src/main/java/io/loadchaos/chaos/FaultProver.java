package io.loadchaos.chaos;

import io.loadchaos.config.Parsers;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.tls.CaTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Proves, with the harness's own observations, that an injected fault took effect: a killed node's
 * processes are gone from {@code /proc} (or its container stopped), a paused one is in state T and
 * does not answer, a restarted one is a new process that answers, a disabled link refuses or stays
 * silent, a toxic is on the proxy and, where a short probe can show it, a probe through that link
 * shows it. Each proof is bounded to a few seconds.
 */
final class FaultProver implements AutoCloseable {
  /** How long a signal or a container call may take to show in the process state. */
  static final Duration SHOWS_WITHIN = Duration.ofSeconds(2);
  /** A paused or disconnected node must not answer /health within this. */
  static final Duration NO_ANSWER_WITHIN = Duration.ofSeconds(1);
  /** A restarted node must answer /health within this. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);
  /** Latencies below this are not probed: scheduling noise on a busy machine is of that order. */
  static final long MIN_PROBED_LATENCY_MS = 20;
  /** A latency probe must see at least this share of the added latency. */
  static final double LATENCY_SHARE = 0.8;

  private final ClusterTarget target;
  private final HttpClient http;
  private final SSLContext ssl;
  private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "loadchaos-fault-probe");
    t.setDaemon(true);
    return t;
  });

  /** The outcome of one proof: {@code text} is what was observed, or why the fault is not proven. */
  record Proof(boolean ok, String text) {}

  FaultProver(ClusterTarget target) {
    this.target = target;
    try {
      this.ssl = target.caCert().map(p -> CaTrust.load(p).sslContext()).orElse(SSLContext.getDefault());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
    }
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(NO_ANSWER_WITHIN)
        .sslContext(ssl).build();
  }

  /** The processes of the nodes a process fault is about to hit, captured before it is injected. */
  Map<String, Object> capture(FaultSpec f, List<String> nodes) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!processFault(f.action())) return out;
    Optional<NodeControl> nc = target.nodeControl();
    for (String id : nodes) {
      try {
        out.put(id, nc.orElseThrow(() -> new UnsupportedOperationException("no node control")).process(id));
      } catch (Exception e) {
        out.put(id, "processes of node " + id + " not observable: " + e.getMessage());
      }
    }
    return out;
  }

  private static boolean processFault(FaultSpec.Action a) {
    return switch (a) {
      case KILL, TERM, PAUSE, RESTART -> true;
      default -> false;
    };
  }

  /** Proves the fault on its nodes ({@code before} from {@link #capture}) and links. */
  Proof prove(FaultSpec f, List<String> nodes, Map<String, Object> before, List<String> links) {
    try {
      return switch (f.action()) {
        case KILL, TERM -> each(nodes, id -> gone(id, before.get(id)));
        case PAUSE -> each(nodes, id -> paused(id, before.get(id)));
        case RESTART -> each(nodes, id -> restarted(id, before.get(id)));
        case DISCONNECT -> each(nodes, id -> silent(id, "disconnected"));
        case LINK_DOWN, ISOLATE, PARTITION -> linksCut(links);
        case LATENCY, BANDWIDTH, TIMEOUT, RESET_PEER, SLICER, LIMIT_DATA -> toxics(f, links);
        // cluster operations are followed through the management API until they are done
        case ADD_NODE, MOVE_SHARD, DECOMMISSION, NODE_STATUS -> new Proof(true, "completed through the management API");
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Proof(false, "interrupted while proving");
    }
  }

  @FunctionalInterface
  private interface NodeProof {
    Proof of(String id) throws InterruptedException;
  }

  private static Proof each(List<String> nodes, NodeProof p) throws InterruptedException {
    if (nodes.isEmpty()) return new Proof(false, "no node to prove it on");
    boolean ok = true;
    List<String> texts = new ArrayList<>();
    for (String id : nodes) {
      Proof one = p.of(id);
      ok &= one.ok();
      texts.add("node " + id + ": " + one.text());
    }
    return new Proof(ok, String.join("; ", texts));
  }

  private Proof gone(String id, Object before) throws InterruptedException {
    if (!(before instanceof NodeProcess p)) return new Proof(false, String.valueOf(before));
    NodeProcess.State s = awaitState(p, st -> st.gone());
    return s.gone() ? new Proof(true, p.describe() + " gone (" + s.evidence() + ")")
        : new Proof(false, p.describe() + " still alive " + SHOWS_WITHIN.toSeconds() + " s after the signal (" + s.evidence() + ")");
  }

  private Proof paused(String id, Object before) throws InterruptedException {
    if (!(before instanceof NodeProcess p)) return new Proof(false, String.valueOf(before));
    NodeProcess.State s = awaitState(p, st -> st.stopped() || st.gone());
    if (!s.stopped()) return new Proof(false, p.describe() + " not stopped (" + s.evidence() + ")");
    String answer = healthAnswer(id, NO_ANSWER_WITHIN);
    if (answer.startsWith("HTTP")) return new Proof(false, p.describe() + " stopped, but /health still answers (" + answer + ")");
    return new Proof(true, p.describe() + " stopped (" + s.evidence() + "), /health " + answer);
  }

  private Proof restarted(String id, Object before) throws InterruptedException {
    if (!(before instanceof NodeProcess old)) return new Proof(false, String.valueOf(before));
    NodeProcess.State was = awaitState(old, st -> st.gone());
    if (!was.gone()) return new Proof(false, "old " + old.describe() + " still alive (" + was.evidence() + ")");
    NodeProcess now;
    try {
      now = target.nodeControl().orElseThrow().process(id);
    } catch (Exception e) {
      return new Proof(false, "old " + old.describe() + " gone, but no new process: " + e.getMessage());
    }
    NodeProcess.State s;
    try {
      s = now.observe();
    } catch (Exception e) {
      return new Proof(false, "new " + now.describe() + " not observable: " + e.getMessage());
    }
    if (s.gone() || s.stopped()) return new Proof(false, "new " + now.describe() + " not running (" + s.evidence() + ")");
    String answer = healthAnswer(id, ANSWER_WITHIN);
    // InfluxDB 1.x before 1.8 has no /health: its /ping says the same
    if (answer.startsWith("HTTP 404") && target.healthPath(id) == null) answer = healthAnswer(id, "/ping", ANSWER_WITHIN);
    if (!answer.startsWith("HTTP 2")) return new Proof(false, "new " + now.describe() + " does not answer /health (" + answer + ")");
    return new Proof(true, "old " + old.describe() + " gone, new " + now.describe() + " answers /health " + answer);
  }

  private Proof silent(String id, String what) {
    String answer = healthAnswer(id, NO_ANSWER_WITHIN);
    return answer.startsWith("HTTP") ? new Proof(false, what + ", but /health still answers (" + answer + ")")
        : new Proof(true, what + ": /health " + answer);
  }

  private NodeProcess.State awaitState(NodeProcess p, Predicate<NodeProcess.State> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + SHOWS_WITHIN.toNanos();
    NodeProcess.State s;
    while (true) {
      try {
        s = p.observe();
      } catch (Exception e) {
        s = new NodeProcess.State(false, false, "not observable: " + e.getMessage());
      }
      if (done.test(s) || System.nanoTime() > deadline) return s;
      Thread.sleep(50);
    }
  }

  /** "HTTP 200 in 3 ms", or what happened instead ("no answer within 1000 ms", "refused: ..."). */
  private String healthAnswer(String id, Duration within) {
    return healthAnswer(id, target.healthPath(id) == null ? "/health" : target.healthPath(id), within);
  }

  private String healthAnswer(String id, String path, Duration within) {
    String url = target.node(id).clientUrl() + path;
    long t0 = System.nanoTime();
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(within).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return "HTTP " + r.statusCode() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms at " + url;
    } catch (HttpTimeoutException e) {
      return "no answer within " + within.toMillis() + " ms at " + url;
    } catch (IOException e) {
      return "no answer at " + url + " (" + e.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "not probed: interrupted";
    }
  }

  // ---- links ------------------------------------------------------------------------------------

  private LinkProxies proxies() {
    return target.links().orElseThrow(() -> new IllegalStateException(target.kind() + " target has no fault proxies"));
  }

  private Proof linksCut(List<String> links) throws InterruptedException {
    LinkProxies lp = proxies();
    Map<String, Future<LinkProbe>> probed = probeAll(lp, links, NO_ANSWER_WITHIN);
    boolean ok = true;
    List<String> seen = new ArrayList<>();
    int unprobed = 0;
    for (String l : links) {
      try {
        if (lp.state(l).enabled()) {
          ok = false;
          seen.add(l + " still enabled on the proxy");
          continue;
        }
      } catch (IOException e) {
        ok = false;
        seen.add(l + " unreadable on the proxy: " + e.getMessage());
        continue;
      }
      LinkProbe p = result(probed.get(l));
      if (p == null) {
        unprobed++;
        continue;
      }
      if (p.answered()) {
        ok = false;
        seen.add(l + " still answers through its proxy (" + p.text() + ")");
      } else {
        seen.add(l + " " + p.text());
      }
    }
    String head = links.size() + " links " + links + " disabled on the proxy" + (unprobed > 0 ? " (" + unprobed + " not reachable by a probe from the harness)" : "");
    return new Proof(ok, head + (seen.isEmpty() ? "" : ": " + String.join(", ", seen)));
  }

  private Proof toxics(FaultSpec f, List<String> links) throws InterruptedException {
    LinkProxies lp = proxies();
    String kind = f.action().label();
    List<String> streams = switch (f.param("stream", "downstream")) {
      case "both" -> List.of("downstream", "upstream");
      case "upstream" -> List.of("upstream");
      default -> List.of("downstream");
    };
    boolean fullToxicity = Float.parseFloat(f.param("toxicity", "1")) >= 1f;
    long latency = f.action() == FaultSpec.Action.LATENCY ? ms(f.param("latency", "200ms")) : 0;
    long jitter = f.action() == FaultSpec.Action.LATENCY ? ms(f.param("jitter", "0ms")) : 0;
    long expectMs = Math.round(LATENCY_SHARE * Math.max(0, latency - jitter));
    String why = null;
    if (!fullToxicity) why = "toxicity < 1 hits only some connections";
    else if (f.action() == FaultSpec.Action.LATENCY && latency - jitter < MIN_PROBED_LATENCY_MS) why = "latency below " + MIN_PROBED_LATENCY_MS + " ms";
    else if (List.of(FaultSpec.Action.BANDWIDTH, FaultSpec.Action.SLICER, FaultSpec.Action.LIMIT_DATA).contains(f.action())) {
      why = "a short /health probe cannot show " + kind;
    }
    Duration timeout = f.action() == FaultSpec.Action.LATENCY
        ? Duration.ofMillis(Math.min(5000, latency + jitter + 1500)) : NO_ANSWER_WITHIN;
    Map<String, Future<LinkProbe>> probed = why == null ? probeAll(lp, links, timeout) : Map.of();
    boolean ok = true;
    List<String> seen = new ArrayList<>();
    int unprobed = 0;
    for (String l : links) {
      try {
        Map<String, String> on = lp.state(l).toxics();
        for (String stream : streams) {
          if (!on.containsKey(f.name() + "-" + stream)) {
            ok = false;
            seen.add(l + ": toxic " + f.name() + "-" + stream + " not on the proxy (it has " + on.keySet() + ")");
          }
        }
      } catch (IOException e) {
        ok = false;
        seen.add(l + " unreadable on the proxy: " + e.getMessage());
        continue;
      }
      if (why != null) continue;
      LinkProbe p = result(probed.get(l));
      if (p == null) {
        unprobed++;
        continue;
      }
      if (f.action() == FaultSpec.Action.LATENCY) {
        if (p.answered() && p.millis() < expectMs) {
          ok = false;
          seen.add(l + " answered in " + p.millis() + " ms, expected >= " + expectMs + " ms of added latency");
        } else {
          seen.add(l + " " + p.text());
        }
      } else if (p.answered()) {
        ok = false;
        seen.add(l + " still answers through its proxy (" + p.text() + ")");
      } else {
        seen.add(l + " " + p.text());
      }
    }
    String head = kind + " toxic on " + links.size() + " links " + links + " (proxy API)"
        + (why != null ? "; effect not probed: " + why : "")
        + (f.action() == FaultSpec.Action.LATENCY && why == null ? "; probes through each must take >= " + expectMs + " ms" : "")
        + (unprobed > 0 ? "; " + unprobed + " links not reachable by a probe from the harness" : "");
    return new Proof(ok, head + (seen.isEmpty() ? "" : ": " + String.join(", ", seen)));
  }

  private Map<String, Future<LinkProbe>> probeAll(LinkProxies lp, List<String> links, Duration timeout) {
    boolean tls = target.nodes().stream().anyMatch(n -> n.clientUrl().startsWith("https:"));
    Map<String, Future<LinkProbe>> out = new LinkedHashMap<>();
    for (String l : links) {
      Optional<InetSocketAddress> at = lp.probeAddress(l);
      at.ifPresent(a -> out.put(l, probes.submit(() -> probe(a, tls, timeout))));
    }
    return out;
  }

  private static LinkProbe result(Future<LinkProbe> f) throws InterruptedException {
    if (f == null) return null;
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return new LinkProbe(false, -1, "probe failed: " + e);
    }
  }

  /** One crossing of a link: {@code answered} when any byte of an HTTP answer came back. */
  record LinkProbe(boolean answered, long millis, String text) {}

  /**
   * A TCP connect and {@code GET /health} through the proxy (TLS when the cluster speaks https),
   * timed to the first byte of the answer: a fresh connection, so no pooled one bypasses a toxic.
   */
  LinkProbe probe(InetSocketAddress at, boolean tls, Duration timeout) {
    long t0 = System.nanoTime();
    int budget = (int) Math.max(1, timeout.toMillis());
    try (Socket s = new Socket()) {
      s.connect(at, budget);
      s.setSoTimeout(budget);
      Socket io = s;
      if (tls) {
        SSLSocket ss = (SSLSocket) ssl.getSocketFactory().createSocket(s, at.getHostString(), at.getPort(), true);
        ss.setSoTimeout(budget);
        ss.startHandshake();
        io = ss;
      }
      OutputStream out = io.getOutputStream();
      out.write(("GET /health HTTP/1.1\r\nHost: " + at.getHostString() + ":" + at.getPort() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = io.getInputStream();
      int b = in.read();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (b < 0) return new LinkProbe(false, ms, "closed without an answer after " + ms + " ms");
      return new LinkProbe(true, ms, "answered in " + ms + " ms");
    } catch (ConnectException e) {
      return new LinkProbe(false, -1, "connection refused");
    } catch (SocketTimeoutException e) {
      return new LinkProbe(false, -1, "no answer within " + budget + " ms");
    } catch (IOException e) {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new LinkProbe(false, ms, e.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " after " + ms + " ms");
    }
  }

  private static long ms(String d) {
    return Parsers.parseDuration(d).toMillis();
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
