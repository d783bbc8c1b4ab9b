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
    cli.addSubcommand("report", new io.loadchaos.report.ReportCommand());
    cli.addSubcommand("gate", new io.loadchaos.gate.GateCommand());
  }
}
