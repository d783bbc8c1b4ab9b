package io.loadchaos.harness;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bug matrix ({@link BugPairings}): simulations against their deliberate defects, and each
 * clean. Outside {@code mvn verify}: {@code mvn -B test -Pbug-matrix} runs every pairing (about an
 * hour), {@code mvn -B test -Pbug-matrix-ci} the fast subset that {@code .ci/run} runs (one pairing
 * per verdict family, about 10 minutes). docs/chaos.md has the table and the measured results.
 */
class BugMatrixTest {

  static Stream<BugPairings.Pairing> pairings() {
    return BugPairings.all();
  }

  static Stream<BugPairings.Pairing> controls() {
    return BugPairings.controls(BugPairings.all());
  }

  static Stream<BugPairings.Pairing> ciPairings() {
    return BugPairings.ciSubset();
  }

  static Stream<BugPairings.Pairing> ciControls() {
    return BugPairings.controls(BugPairings.ciSubset());
  }

  @Tag("bug-matrix")
  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void simulationFailsOnItsVerdict(BugPairings.Pairing p) throws Exception {
    BugPairings.failsOnItsVerdict(p);
  }

  @Tag("bug-matrix")
  @ParameterizedTest(name = "clean {0}")
  @MethodSource("controls")
  void cleanControlPasses(BugPairings.Pairing p) throws Exception {
    BugPairings.controlPasses(p);
  }

  @Tag("bug-matrix-ci")
  @ParameterizedTest(name = "{0}")
  @MethodSource("ciPairings")
  void ciSubsetFailsOnItsVerdict(BugPairings.Pairing p) throws Exception {
    BugPairings.failsOnItsVerdict(p);
  }

  @Tag("bug-matrix-ci")
  @ParameterizedTest(name = "clean {0}")
  @MethodSource("ciControls")
  void ciSubsetControlPasses(BugPairings.Pairing p) throws Exception {
    BugPairings.controlPasses(p);
  }
}
