package io.loadchaos.faultproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Toxiproxy-compatible fault proxy: the Toxiproxy 2.x REST API on {@link #apiAddress()} and TCP
 * proxies moved by Netty. Start it in-process and drive it with toxiproxy-java.
 *
 * <pre>{@code
 * try (FaultProxyServer server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0))) {
 *   ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
 *   ...
 * }
 * }</pre>
 */
public final class FaultProxyServer implements AutoCloseable {
  /**
   * One I/O thread: it carries tens of thousands of requests/s, far above what the local cluster
   * serves, and on a 2-core machine shared with the cluster it used less CPU per request than two
   * (see docs/faultproxy.md). More threads only help with more cores.
   */
  public static final int DEFAULT_IO_THREADS = 1;

  private final EventLoopGroup group;
  private final ProxyRegistry registry;
  private final HttpServer http;
  private final ExecutorService apiThreads;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FaultProxyServer(InetSocketAddress api, int ioThreads) throws IOException {
    group =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("faultproxy-io", true), NioIoHandler.newFactory());
    registry = new ProxyRegistry(group);
    apiThreads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "faultproxy-api");
              t.setDaemon(true);
              return t;
            });
    try {
      http = HttpServer.create(api, 64);
    } catch (IOException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      apiThreads.shutdownNow();
      throw new IOException("fault proxy API cannot listen on " + api + ": " + e.getMessage(), e);
    }
    http.createContext("/", new ApiHandler(registry));
    http.setExecutor(apiThreads);
    http.start();
  }

  /** Starts the API on {@code api} (port 0 picks a free port) with the default I/O threads. */
  public static FaultProxyServer start(InetSocketAddress api) throws IOException {
    return new FaultProxyServer(api, DEFAULT_IO_THREADS);
  }

  public static FaultProxyServer start(InetSocketAddress api, int ioThreads) throws IOException {
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be >= 1, got " + ioThreads);
    }
    return new FaultProxyServer(api, ioThreads);
  }

  /**
   * Deliberate defect for the bug matrix ({@code --bug proxy-stale-connections}): a toxic added or
   * removed reaches only connections opened after the change, so pooled client connections bypass
   * it while a fresh probe sees it. Real Toxiproxy applies toxics to live connections.
   */
  public FaultProxyServer withToxicsOnNewConnectionsOnly() {
    registry.toxicsOnNewConnectionsOnly = true;
    return this;
  }

  /** Where the REST API listens (the real port when started with port 0). */
  public InetSocketAddress apiAddress() {
    return http.getAddress();
  }

  /**
   * Creates the proxies of a Toxiproxy config file (a JSON array of {name, listen, upstream,
   * enabled}), as {@code toxiproxy-server -config} does.
   *
   * @return the names of the proxies now configured from the file
   */
  public List<String> populate(Path configFile) throws IOException {
    JsonNode body;
    try {
      body = new ObjectMapper().readTree(Files.readAllBytes(configFile));
    } catch (JsonProcessingException e) {
      throw new IOException(configFile + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    try {
      return registry.populate(body).stream().map(p -> p.name).toList();
    } catch (ApiException e) {
      throw new IOException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** Open connections through one proxy (for tests and the bench). */
  int connectionCount(String proxyName) throws IOException {
    try {
      return registry.get(proxyName).connectionCount();
    } catch (ApiException e) {
      throw new IOException(proxyName + ": " + e.getMessage(), e);
    }
  }

  /** Closes the API, every proxy and every connection. Safe to call more than once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.stop(0);
    registry.closeAll();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    apiThreads.shutdownNow();
    try {
      apiThreads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
