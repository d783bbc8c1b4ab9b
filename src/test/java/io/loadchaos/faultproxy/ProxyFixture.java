package io.loadchaos.faultproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/** A started fault proxy, an echo upstream and the toxiproxy-java client, closed together. */
final class ProxyFixture implements AutoCloseable {
  final FaultProxyServer server;
  final EchoServer echo;
  final ToxiproxyClient client;

  ProxyFixture() throws IOException {
    echo = new EchoServer();
    server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0));
    client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
  }

  Proxy proxy(String name) throws IOException {
    return client.createProxy(name, "127.0.0.1:0", echo.address());
  }

  static Socket connect(Proxy p) throws IOException {
    String listen = p.getListen();
    int colon = listen.lastIndexOf(':');
    Socket s =
        new Socket(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
    s.setTcpNoDelay(true);
    s.setSoTimeout(20_000);
    return s;
  }

  static int port(Proxy p) {
    return Integer.parseInt(p.getListen().substring(p.getListen().lastIndexOf(':') + 1));
  }

  /** Writes {@code msg} and reads the same number of bytes back; returns nanoseconds taken. */
  static long roundTrip(Socket s, byte[] msg) throws IOException {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    long start = System.nanoTime();
    out.write(msg);
    out.flush();
    byte[] back = in.readNBytes(msg.length);
    long took = System.nanoTime() - start;
    if (!Arrays.equals(back, msg)) {
      throw new IOException("echo returned " + back.length + " different bytes");
    }
    return took;
  }

  @Override
  public void close() throws IOException {
    server.close();
    echo.close();
  }
}
