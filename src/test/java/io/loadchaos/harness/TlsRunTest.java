package io.loadchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.SimulationRunner;
import io.loadchaos.history.History;
import io.loadchaos.history.OpKind;
import io.loadchaos.history.Outcome;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The main job against a local cluster that serves https with a per-run CA and requires a token:
 * Gatling's writes and queries, the Flight loop and every check go over TLS trusting only that CA,
 * every verdict passes, and the token is on no command line and in no report.
 */
class TlsRunTest {

  @Test
  void baselineWriteOverTlsWithATokenPassesEveryVerdict() throws Exception {
    String token = "e2e-" + UUID.randomUUID();
    // the token by environment: a -D would put it on the nested Maven's command line
    var res = SimulationRunner.run("tls", "BaselineWriteSimulation",
        Map.of("loadchaos.tls", "true", "loadchaos.duration", "12s", "loadchaos.flight", "true"),
        Map.of("LOADCHAOS_TOKEN", token));
    assertThat(res.exitCode()).as(res.output()).isZero();
    assertThat(res.output()).contains("local cluster serves https").contains("NO VERDICT FAILED").doesNotContain(token);
    assertThat(res.gatlingIndex()).as("Gatling HTML report").isPresent();

    var run = res.runDir();
    assertThat(run.resolve("cluster/tls/ca.pem")).exists();
    assertThat(run.resolve("tls/gatling-truststore.p12")).as("Gatling's trust store of the run CA").exists();
    assertThat(run.resolve("cluster/auth-token")).as("token file deleted at the end").doesNotExist();
    for (String f : List.of("run.json", "results.json", "report.html", "verdicts.xml")) {
      assertThat(Files.readString(run.resolve(f))).as(f).doesNotContain(token);
    }

    List<History.Op> ops = History.load(run.resolve("history.csv"), List.of()).ops();
    assertThat(ops).as("Gatling wrote over https").anyMatch(o -> o.kind() == OpKind.WRITE && o.outcome() == Outcome.OK);
    assertThat(ops).as("Gatling queried over https").anyMatch(o -> o.kind() == OpKind.QUERY_SQL && o.outcome() == Outcome.OK);
    assertThat(ops).as("Flight over TLS").anyMatch(o -> o.kind() == OpKind.QUERY_FLIGHT && o.outcome() == Outcome.OK);
  }
}
