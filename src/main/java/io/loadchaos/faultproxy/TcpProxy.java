package io.loadchaos.faultproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named proxy: a listening socket that forwards every accepted connection to the upstream
 * through the configured toxics. Mutations come from API threads (synchronized); the byte moving
 * happens on the event loops, which only read the volatile fields.
 */
final class TcpProxy {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
  private static final long APPLY_TIMEOUT_SECONDS = 10;
  private static final long REBIND_WINDOW_MS = 1000;

  final String name;
  private final EventLoopGroup group;
  private volatile String listen;
  private volatile String upstream;
  private volatile boolean enabled;
  private Channel listener;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  /** Traffic counters for the life of this proxy (kept across disable/enable). */
  final LinkStats stats = new LinkStats();

  /** Upstream toxics first, then downstream, each in creation order (Toxiproxy's listing order). */
  private volatile List<ToxicSpec> toxics = List.of();

  /** The deliberate defect of {@link FaultProxyServer#withToxicsOnNewConnectionsOnly()}. */
  private final BooleanSupplier toxicsOnNewConnectionsOnly;

  TcpProxy(EventLoopGroup group, String name, String listen, String upstream, BooleanSupplier toxicsOnNewConnectionsOnly) {
    this.group = group;
    this.toxicsOnNewConnectionsOnly = toxicsOnNewConnectionsOnly;
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
  }

  List<ToxicSpec> toxics() {
    return toxics;
  }

  boolean enabled() {
    return enabled;
  }

  String listen() {
    return listen;
  }

  String upstream() {
    return upstream;
  }

  int connectionCount() {
    return links.size();
  }

  synchronized void start() throws ApiException {
    if (enabled) {
      return;
    }
    HostPort at = HostPort.parse("listen", listen);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted(ch);
                  }
                });
    InetSocketAddress bindTo =
        at.host().isEmpty()
            ? new InetSocketAddress(at.port())
            : new InetSocketAddress(at.host(), at.port());
    ChannelFuture bound = b.bind(bindTo).awaitUninterruptibly();
    // A listener this process just closed (disable, upstream change, populate replace) frees its
    // port only at the event loop's next select, so a rebind of the same port may briefly fail.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REBIND_WINDOW_MS);
    while (!bound.isSuccess()
        && at.port() != 0
        && bound.cause() instanceof BindException
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      bound = b.bind(bindTo).awaitUninterruptibly();
    }
    if (!bound.isSuccess()) {
      throw new ApiException(
          500, "listen tcp " + listen + ": " + String.valueOf(bound.cause().getMessage()));
    }
    listener = bound.channel();
    InetSocketAddress actual = (InetSocketAddress) listener.localAddress();
    // Port 0 becomes the real port, so a later enable rebinds the same address.
    listen = HostPort.format(actual.getAddress().getHostAddress(), actual.getPort());
    enabled = true;
    log.debug("proxy {} listening on {} -> {}", name, listen, upstream);
  }

  /** Closes the listener and every connection: the link is down. */
  synchronized void stop() {
    if (!enabled) {
      return;
    }
    enabled = false;
    listener.close().awaitUninterruptibly();
    listener = null;
    List<Future<?>> closing = new ArrayList<>();
    for (Link l : links) {
      closing.add(l.client.close());
      closing.add(l.upstream.close());
    }
    for (Future<?> f : closing) {
      f.awaitUninterruptibly(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    log.debug("proxy {} stopped", name);
  }

  synchronized void update(String newListen, String newUpstream, boolean newEnabled)
      throws ApiException {
    HostPort.parse("listen", newListen);
    HostPort.parse("upstream", newUpstream);
    if (!newListen.equals(listen) || !newUpstream.equals(upstream)) {
      stop();
      listen = newListen;
      upstream = newUpstream;
    }
    if (newEnabled != enabled) {
      if (newEnabled) {
        start();
      } else {
        stop();
      }
    }
  }

  synchronized ToxicSpec addToxic(ToxicSpec spec) throws ApiException {
    if (find(spec.name()) != null) {
      throw new ApiException(409, "toxic already exists");
    }
    List<ToxicSpec> next = new ArrayList<>(toxics);
    next.add(spec);
    next.sort((a, b) -> a.stream().compareTo(b.stream())); // stable: keeps creation order
    setToxics(next);
    return spec;
  }

  synchronized ToxicSpec updateToxic(String toxicName, JsonNode body)
      throws ApiException {
    ToxicSpec old = find(toxicName);
    if (old == null) {
      throw ApiException.toxicNotFound();
    }
    ToxicSpec updated = old.updatedWith(body);
    List<ToxicSpec> next = new ArrayList<>(toxics);
    next.set(next.indexOf(old), updated);
    setToxics(next);
    return updated;
  }

  synchronized void removeToxic(String toxicName) throws ApiException {
    ToxicSpec old = find(toxicName);
    if (old == null) {
      throw ApiException.toxicNotFound();
    }
    List<ToxicSpec> next = new ArrayList<>(toxics);
    next.remove(old);
    setToxics(next);
  }

  synchronized void removeAllToxics() {
    if (!toxics.isEmpty()) {
      setToxics(List.of());
    }
  }

  ToxicSpec find(String toxicName) {
    for (ToxicSpec t : toxics) {
      if (t.name().equals(toxicName)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Publishes the new toxic list and waits until every live connection runs it, so bytes sent after
   * the API call returns see the change (Toxiproxy waits the same way).
   */
  private void setToxics(List<ToxicSpec> next) {
    toxics = List.copyOf(next);
    if (toxicsOnNewConnectionsOnly.getAsBoolean()) return;
    List<Future<?>> applied = new ArrayList<>();
    for (Link l : links) {
      applied.add(l.client.eventLoop().submit(l::applyToxics));
    }
    for (Future<?> f : applied) {
      f.awaitUninterruptibly(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  void forget(Link link) {
    links.remove(link);
  }

  /** Runs on the accepted channel's event loop; the upstream socket shares that loop. */
  private void accepted(SocketChannel client) {
    if (!enabled) {
      client.close();
      return;
    }
    HostPort to;
    try {
      to = HostPort.parse("upstream", upstream);
    } catch (ApiException e) {
      client.close();
      return;
    }
    new Bootstrap()
        .group(client.eventLoop())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(to.host(), to.port())
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                log.debug(
                    "proxy {}: upstream {} unreachable: {}", name, upstream, f.cause().toString());
                client.close();
                return;
              }
              Link link = new Link(this, client, f.channel());
              links.add(link);
              stats.connection();
              // Re-checked after registering, so a concurrent stop() cannot miss this link.
              if (!enabled || !client.isActive()) {
                link.close();
                links.remove(link);
                return;
              }
              link.start();
            });
  }

  synchronized ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("name", name);
    n.put("listen", listen);
    n.put("upstream", upstream);
    n.put("enabled", enabled);
    ArrayNode arr = n.putArray("toxics");
    for (ToxicSpec t : toxics) {
      arr.add(t.toJson());
    }
    // loadchaos extension: per-link traffic, so a harness can see what crossed the link
    n.set("loadchaos", stats.toJson());
    return n;
  }
}
