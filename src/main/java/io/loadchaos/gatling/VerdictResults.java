package io.loadchaos.gatling;

import com.typesafe.scalalogging.Logger;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.loadchaos.check.Verdict;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Records each verdict through Gatling's own stats engine as a result named {@code verdict <name>}
 * in the user's current groups: OK when it passed, KO (its measured value and threshold as the
 * message) otherwise. So every verdict is a row of Gatling's console and HTML report, and a KO one
 * is in its errors table; no HTTP is involved. The Java DSL has no public way to log a result, so
 * this is Gatling's core {@code ActionBuilder}/{@code Action}, implemented from Java.
 */
final class VerdictResults implements ActionBuilder {
  private final Supplier<List<Verdict>> verdicts;

  VerdictResults(Supplier<List<Verdict>> verdicts) {
    this.verdicts = verdicts;
  }

  // FQN: clashes with io.gatling.javaapi.core.ActionBuilder
  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return new io.gatling.core.action.builder.ActionBuilder() {
      @Override
      public Action build(ScenarioContext ctx, Action next) {
        return new Log(ctx.coreComponents().statsEngine(), next);
      }
    };
  }

  private final class Log implements Action {
    private final Logger logger = Logger.apply(LoggerFactory.getLogger(VerdictResults.class));
    private final StatsEngine stats;
    private final Action next;

    Log(StatsEngine stats, Action next) {
      this.stats = stats;
      this.next = next;
    }

    @Override
    public String name() {
      return "loadchaos-verdicts";
    }

    @Override
    public void execute(Session session) {
      long now = System.currentTimeMillis();
      for (Verdict v : verdicts.get()) {
        Option<String> message = v.passed() ? Option.empty()
            : Option.apply(v.status() + " " + v.name() + ": " + v.measured() + " (required " + v.threshold() + ")");
        stats.logResponse(session.scenario(), session.groups(), "verdict " + v.name(), now, now,
            v.passed() ? OK$.MODULE$ : KO$.MODULE$, Option.empty(), message);
      }
      next.$bang(session);
    }

    @Override
    public Logger logger() {
      return logger;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger l) {
      // the logger is this class's own field
    }
  }
}
