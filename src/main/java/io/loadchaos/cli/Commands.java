package io.loadchaos.cli;

import picocli.CommandLine;

/**
 * The subcommands of the CLI. Each feature adds one line here, so that features do not have to
 * edit {@link Main}.
 */
final class Commands {
  private Commands() {}

  static void register(CommandLine cli) {
    // registered subcommands (one per feature) go here
    cli.addSubcommand("datagen", new io.loadchaos.datagen.DatagenCommand());
    cli.addSubcommand("check", new io.loadchaos.harness.CheckCommand());
    cli.addSubcommand("node", new io.loadchaos.refcluster.NodeCommand());
    cli.addSubcommand("cluster", new io.loadchaos.local.ClusterCommand());
    cli.addSubcommand("bench", new io.loadchaos.refcluster.bench.BenchCommand());
    cli.addSubcommand("faultproxy", new io.loadchaos.faultproxy.FaultProxyCommand());
    cli.addSubcommand("report", new io.loadchaos.report.ReportCommand());
    cli.addSubcommand("gate", new io.loadchaos.gate.GateCommand());
    cli.addSubcommand("capacity-sweep", new io.loadchaos.capacity.CapacitySweepCommand());
  }
}
