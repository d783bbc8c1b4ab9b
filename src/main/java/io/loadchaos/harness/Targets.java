package io.loadchaos.harness;

import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.ComposeTarget;
import io.loadchaos.target.ExternalTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Opens the target a run's configuration names. */
final class Targets {
  private Targets() {}

  static ClusterTarget open(RunConfig config, Path runDir, boolean linkProxies) {
    if (config.get(Knobs.TLS) && !config.get(Knobs.TARGET).equals("local")) {
      throw new IllegalArgumentException(Knobs.TLS.property() + ": only the local target generates certificates; for a cluster"
          + " that serves https give its https URLs and " + Knobs.CA_CERT.property());
    }
    String ca = config.get(Knobs.CA_CERT);
    return switch (config.get(Knobs.TARGET)) {
      case "external" -> new ExternalTarget(config.get(Knobs.URLS), config.get(Knobs.TOKEN), ca.isEmpty() ? null : Path.of(ca));
      case "local" -> io.loadchaos.target.LocalTarget.start(config, runDir.resolve("cluster"),
          runDir.getFileName().toString(), linkProxies);
      case "compose" -> ComposeTarget.start(new ComposeTarget.Options(Path.of(config.get(Knobs.COMPOSE_FILE)),
          runDir.getFileName().toString(), runDir, config.get(Knobs.NODES), config.get(Knobs.REPLICATION_FACTOR),
          config.get(Knobs.BUGS), config.get(Knobs.TOKEN), Duration.ofMinutes(3), config.get(Knobs.COMPOSE_PROFILES),
          Map.of()));
      default -> throw new IllegalArgumentException("loadchaos.target: unsupported target '" + config.get(Knobs.TARGET) + "'");
    };
  }
}
