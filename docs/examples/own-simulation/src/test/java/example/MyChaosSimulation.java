package example;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.loadchaos.gatling.Faults.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.loadchaos.gatling.LoadChaos;
import io.loadchaos.harness.RunSpec;

/** Writes and queries for loadchaos.duration (40 s) while a random node is SIGKILLed at 10 s and restarted 8 s later. */
public class MyChaosSimulation extends Simulation {
  LoadChaos lc = LoadChaos.start(RunSpec.of("MyChaos").standardSlos(),
      faults().at(seconds(10)).kill(randomNode()).healAfter(seconds(8)));
  ScenarioBuilder writes = scenario("writes").during(lc.duration()).on(pace(lc.writePace()).exec(lc.writeBatch()));
  ScenarioBuilder reads = scenario("reads").during(lc.duration()).on(exec(lc.query()).pause(millis(500)));
  {
    setUp(writes.injectOpen(atOnceUsers(4)).andThen(lc.verdicts()), reads.injectOpen(atOnceUsers(1)))
        .protocols(lc.http()).assertions(lc.assertions());
  }
}
