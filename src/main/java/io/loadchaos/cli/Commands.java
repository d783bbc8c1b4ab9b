package io.loadchaos.cli;

import io.loadchaos.capacity.CapacitySweepCommand;
import io.loadchaos.datagen.DatagenCommand;
import io.loadchaos.faultproxy.FaultProxyCommand;
import io.loadchaos.gate.GateCommand;
import io.loadchaos.harness.CheckCommand;
import io.loadchaos.local.ClusterCommand;
import io.loadchaos.refcluster.NodeCommand;
import io.loadchaos.refcluster.bench.BenchCommand;
import io.loadchaos.harness.ReadBackBenchCommand;
import io.loadchaos.report.ReportCommand;
import picocli.CommandLine;

/**
 * The subcommands of the CLI. Each feature adds one line here, so that features do not have to
 * edit {@link Main}.
 */
final class Commands {
  private Commands() {}

  static void register(CommandLine cli) {
    // registered subcommands (one per feature) go here
    cli.addSubcommand("datagen", new DatagenCommand());
    cli.addSubcommand("check", new CheckCommand());
    cli.addSubcommand("node", new NodeCommand());
    cli.addSubcommand("cluster", new ClusterCommand());
    cli.addSubcommand("bench", new BenchCommand());
    cli.getSubcommands().get("bench").addSubcommand("read-back", new ReadBackBenchCommand());
    cli.addSubcommand("faultproxy", new FaultProxyCommand());
    cli.addSubcommand("report", new ReportCommand());
    cli.addSubcommand("gate", new GateCommand());
    cli.addSubcommand("capacity-sweep", new CapacitySweepCommand());
  }
}
