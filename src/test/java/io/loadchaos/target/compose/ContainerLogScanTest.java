package io.loadchaos.target.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.check.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogScanTest {
  @TempDir Path dir;

  @Test
  void cleanLogsPassEvenWithHandledExceptions() throws Exception {
    Files.writeString(dir.resolve("node1.log"), """
        2026-11-26T16:45:46Z INFO node 1 listening on /0.0.0.0:8181
        2026-11-26T16:46:01Z WARN peer 2 unreachable: java.net.ConnectException: Connection refused
        """);
    Verdict v = ContainerLogScan.scan(dir);
    assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
    assertThat(v.name()).isEqualTo("node logs");
    assertThat(v.detail()).contains("1 container logs, 2 lines");
  }

  @Test
  void uncaughtExceptionOomAndPanicFailWithExamples() throws Exception {
    Files.writeString(dir.resolve("node1.log"), """
        ok line
        Exception in thread "wal-writer" java.lang.IllegalStateException: boom
        java.lang.OutOfMemoryError: Java heap space
        """);
    Files.writeString(dir.resolve("node2.log"), "2026-11-26T16:45:46Z thread 'main' panicked at src/main.rs:3:5\n");
    Files.writeString(dir.resolve("notes.txt"), "panicked at (not a log file)\n");
    Verdict v = ContainerLogScan.scan(dir);
    assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
    assertThat(v.measured()).startsWith("3 bad lines");
    assertThat(v.examples().get("uncaught exception")).containsExactly(
        "node1:2: Exception in thread \"wal-writer\" java.lang.IllegalStateException: boom");
    assertThat(v.examples().get("out of memory")).containsExactly("node1:3: java.lang.OutOfMemoryError: Java heap space");
    assertThat(v.examples().get("panic")).hasSize(1).allMatch(s -> s.startsWith("node2:1:"));
  }

  @Test
  void noLogsIsUnknownNotPass() throws Exception {
    assertThat(ContainerLogScan.scan(dir).status()).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(ContainerLogScan.scan(dir.resolve("missing")).status()).isEqualTo(Verdict.Status.UNKNOWN);
  }
}
