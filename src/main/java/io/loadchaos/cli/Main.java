package io.loadchaos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one CLI: {@code java -jar target/loadchaos.jar <command>}. Each concern registers its own
 * subcommand here; the subcommand classes live next to the code they drive.
 */
@Command(
    name = "loadchaos",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Load-and-chaos testing for distributed InfluxDB 3 clusters.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests use it to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    Commands.register(cli);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Reads the version Maven wrote into the jar manifest (falls back when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"loadchaos " + (v == null ? "dev" : v)};
    }
  }
}
