package io.loadchaos.harness;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bug matrix's fast subset, one pairing per verdict family with its clean control, run by
 * {@code .ci/run} as {@code mvn -B test -Pbug-matrix-ci} (under 10 minutes).
 */
@Tag("bug-matrix-ci")
class BugMatrixCiTest {

  static Stream<BugPairings.Pairing> pairings() {
    return BugPairings.ciSubset();
  }

  static Stream<BugPairings.Pairing> controls() {
    return BugPairings.controls(BugPairings.ciSubset());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void simulationFailsOnItsVerdict(BugPairings.Pairing p) throws Exception {
    BugPairings.failsOnItsVerdict(p);
  }

  @ParameterizedTest(name = "clean {0}")
  @MethodSource("controls")
  void cleanControlPasses(BugPairings.Pairing p) throws Exception {
    BugPairings.controlPasses(p);
  }
}
