package io.loadchaos.faultproxy;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loadchaos faultproxy bench}: throughput and per-request overhead with no toxics. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures what a proxy without toxics costs, against a direct connection.",
      "Prints bulk MB/s one way (with the proxy's CPU per GB) and the round-trip time",
      "a small request/response gains, all on 127.0.0.1."
    })
public final class FaultProxyBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--seconds",
      defaultValue = "3",
      description = "Length of each throughput run (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--requests",
      defaultValue = "5000",
      description = "Round trips per latency run (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--request-bytes",
      defaultValue = "200",
      description = "Size of each request and response (default: ${DEFAULT-VALUE}).")
  int requestBytes;

  @Option(
      names = "--io-threads",
      description = "Netty I/O threads of the proxy (default: 1).")
  Integer ioThreads;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > 120) {
      throw new ParameterException(
          spec.commandLine(), "--seconds: expected 1..120, got " + seconds);
    }
    if (requests < 10 || requests > 1_000_000) {
      throw new ParameterException(
          spec.commandLine(), "--requests: expected 10..1000000, got " + requests);
    }
    if (requestBytes < 1 || requestBytes > 1 << 20) {
      throw new ParameterException(
          spec.commandLine(), "--request-bytes: expected 1..1048576, got " + requestBytes);
    }
    int threads = ioThreads == null ? FaultProxyServer.DEFAULT_IO_THREADS : ioThreads;
    FaultProxyBench.Result r = new FaultProxyBench(seconds, requests, requestBytes, threads).run();
    spec.commandLine().getOut().print(r.report());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
