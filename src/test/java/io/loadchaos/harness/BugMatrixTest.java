package io.loadchaos.harness;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The full bug matrix ({@link BugPairings}): every simulation against its deliberate defect, and
 * each clean. About an hour, so outside {@code mvn verify}: {@code mvn -B test -Pbug-matrix}
 * (docs/chaos.md has the table and the measured results).
 */
@Tag("bug-matrix")
class BugMatrixTest {

  static Stream<BugPairings.Pairing> pairings() {
    return BugPairings.all();
  }

  static Stream<BugPairings.Pairing> controls() {
    return BugPairings.controls(BugPairings.all());
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
