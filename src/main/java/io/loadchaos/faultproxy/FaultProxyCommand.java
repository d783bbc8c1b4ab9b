package io.loadchaos.faultproxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadchaos faultproxy}: serves the Toxiproxy API until SIGTERM/SIGINT. */
@Command(
    name = "faultproxy",
    mixinStandardHelpOptions = true,
    subcommands = {FaultProxyBenchCommand.class},
    description = {
      "Toxiproxy-compatible TCP fault proxy: serves the Toxiproxy 2.x REST API and runs",
      "until SIGTERM or SIGINT, closing every proxy and connection on the way out."
    })
public final class FaultProxyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--api",
      defaultValue = "127.0.0.1:8474",
      description = "host:port for the REST API (default: ${DEFAULT-VALUE}).")
  String api;

  @Option(
      names = "--config",
      description =
          "Toxiproxy JSON config (array of {name, listen, upstream, enabled}) to create at start.")
  Path config;

  @Option(
      names = "--io-threads",
      description = "Netty I/O threads shared by all proxies (default: 1).")
  Integer ioThreads;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress apiAddress = parseApi(spec, api);
    if (config != null && !Files.isReadable(config)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--config: cannot read file '" + config + "'");
    }
    int threads = ioThreads == null ? FaultProxyServer.DEFAULT_IO_THREADS : ioThreads;
    if (threads < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--io-threads: must be >= 1, got " + threads);
    }
    FaultProxyServer server = FaultProxyServer.start(apiAddress, threads);
    if (config != null) {
      try {
        List<String> names = server.populate(config);
        spec.commandLine()
            .getOut()
            .println("faultproxy: created proxies " + names + " from " + config);
      } catch (IOException e) {
        server.close();
        spec.commandLine().getErr().println("faultproxy: " + e.getMessage());
        return 2;
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "faultproxy-shutdown"));
    InetSocketAddress at = server.apiAddress();
    spec.commandLine()
        .getOut()
        .println(
            "faultproxy: Toxiproxy API on http://"
                + HostPort.format(at.getAddress().getHostAddress(), at.getPort())
                + " (stop with SIGTERM or Ctrl-C)");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  static InetSocketAddress parseApi(CommandSpec spec, String value) {
    try {
      HostPort hp = HostPort.parse("--api", value);
      return new InetSocketAddress(hp.host().isEmpty() ? "127.0.0.1" : hp.host(), hp.port());
    } catch (ApiException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--api: expected host:port, got '" + value + "'");
    }
  }
}
