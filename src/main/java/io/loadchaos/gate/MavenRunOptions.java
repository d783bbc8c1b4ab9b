package io.loadchaos.gate;

import io.loadchaos.config.Parsers;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** How {@code gate ab} and {@code gate bench} start their child runs: which Maven, where, and for how long at most. */
public final class MavenRunOptions {

  @Option(names = "--project-dir", defaultValue = ".", description = "the loadchaos project Maven runs in (default: the current directory)")
  Path projectDir;

  @Option(names = "--mvn", defaultValue = "mvn -B -o -q", description = "the Maven command (default: ${DEFAULT-VALUE})")
  String mvn;

  @Option(names = "--run-timeout", defaultValue = "20m", converter = DurationConverter.class,
      description = "a run that takes longer is killed (default ${DEFAULT-VALUE})")
  Duration runTimeout;

  /** A runner of {@code simulation} with {@code props} (-D properties of every run). */
  MavenRuns runs(String simulation, String props) {
    return new MavenRuns(mvn, projectDir, simulation, props, runTimeout);
  }

  /** {@code <project>/target/<folder>/<stamp>}: where a command's runs go when {@code --out} is not given. */
  Path defaultOut(String folder, String stamp) {
    return projectDir.resolve("target").resolve(folder).resolve(stamp);
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      return Parsers.duration().apply(v);
    }
  }
}
