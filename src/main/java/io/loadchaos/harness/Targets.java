package io.loadchaos.harness;

import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.target.ClusterTarget;
import io.loadchaos.target.ComposeTarget;
import io.loadchaos.target.ExternalTarget;
import io.loadchaos.target.LocalTarget;
import io.loadchaos.target.cluster.ClusterFile;
import io.loadchaos.target.cluster.ClusterFileTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Opens the target a run's configuration names. */
final class Targets {
  private Targets() {}

  /** The cluster file a run names, or null. */
  static ClusterFile clusterFile(RunConfig config) {
    String f = config.get(Knobs.CLUSTER);
    return f.isEmpty() ? null : ClusterFile.read(Path.of(f));
  }

  /** Opens the target; {@code file} is the run's cluster file, already read (null: none). */
  static ClusterTarget open(RunConfig config, ClusterFile file, Path runDir, boolean linkProxies) {
    if (config.get(Knobs.TLS) && !config.get(Knobs.TARGET).equals("local")) {
      throw new IllegalArgumentException(Knobs.TLS.property() + ": only the local target generates certificates; for a cluster"
          + " that serves https give its https URLs and " + Knobs.CA_CERT.property());
    }
    String caText = config.get(Knobs.CA_CERT);
    Path ca = caText.isEmpty() ? null : Path.of(caText);
    if (file != null) {
      if (!config.get(Knobs.TARGET).equals("local")) {
        throw new IllegalArgumentException("loadchaos.cluster names a cluster file, so loadchaos.target must stay unset (it is '"
            + config.get(Knobs.TARGET) + "')");
      }
      if (config.get(Knobs.TLS)) {
        throw new IllegalArgumentException(Knobs.TLS.property() + ": a cluster file's nodes bring their own certificates;"
            + " give their https URLs and " + Knobs.CA_CERT.property());
      }
      return ClusterFileTarget.open(file, config.get(Knobs.TOKEN), ca, runDir, runDir.getFileName().toString(), linkProxies);
    }
    return switch (config.get(Knobs.TARGET)) {
      case "external" -> new ExternalTarget(config.get(Knobs.URLS), config.get(Knobs.TOKEN), ca);
      case "local" -> LocalTarget.start(config, runDir.resolve("cluster"),
          runDir.getFileName().toString(), linkProxies);
      case "compose" -> ComposeTarget.start(new ComposeTarget.Options(Path.of(config.get(Knobs.COMPOSE_FILE)),
          runDir.getFileName().toString(), runDir, config.get(Knobs.NODES), config.get(Knobs.REPLICATION_FACTOR),
          config.get(Knobs.BUGS), config.get(Knobs.TOKEN), Duration.ofMinutes(3), config.get(Knobs.COMPOSE_PROFILES),
          Map.of()));
      default -> throw new IllegalArgumentException("loadchaos.target: unsupported target '" + config.get(Knobs.TARGET) + "'");
    };
  }
}
