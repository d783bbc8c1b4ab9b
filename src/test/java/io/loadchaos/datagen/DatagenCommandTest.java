package io.loadchaos.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatagenCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void writesIdenticalBytesForTheSameSeedAndAnyWriterSplit() throws Exception {
    Path a = dir.resolve("a.lp");
    Path b = dir.resolve("b.lp");
    Path c = dir.resolve("c.lp");
    Path d = dir.resolve("d.lp");
    assertThat(run("datagen", "--spec", "devops", "--points", "50000", "--now", "2026-11-26T00:00:00Z", "--out", a.toString()).code()).isZero();
    assertThat(run("datagen", "--spec", "devops", "--points", "50000", "--now", "2026-11-26T00:00:00Z", "--out", b.toString()).code()).isZero();
    assertThat(run("datagen", "--spec", "devops", "--points", "50000", "--now", "2026-11-26T00:00:00Z", "--writers", "3",
        "--batch-size", "1234", "--out", c.toString()).code()).isZero();
    assertThat(run("datagen", "--spec", "devops", "--points", "50000", "--now", "2026-11-26T00:00:00Z", "--seed", "2",
        "--out", d.toString()).code()).isZero();
    byte[] first = Files.readAllBytes(a);
    assertThat(first).isNotEmpty();
    assertThat(Files.readAllBytes(b)).isEqualTo(first);
    assertThat(Files.readAllBytes(c)).isEqualTo(first);
    assertThat(Files.readAllBytes(d)).isNotEqualTo(first);
    assertThat(StrictLineProtocolParser.parseAll(first)).hasSize(50_000);
  }

  @Test
  void batchesOptionAndStatsReportTheRun() throws Exception {
    Path out = dir.resolve("iot.lp");
    Run r = run("datagen", "--spec", "iot", "--batches", "20", "--batch-size", "1000", "--writers", "2", "--stats",
        "--now", "2026-11-26T00:00:00Z", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(StrictLineProtocolParser.parseAll(Files.readAllBytes(out))).hasSize(20_000);
    assertThat(r.out()).contains("points          20000", "series          100000", "time range", "late", "future",
        "out of order", "clock offsets", "sha256");
    assertThat(r.out()).contains("bytes           " + Files.size(out));
  }

  @Test
  void badSpecsAndOptionsFailWithAClearMessage() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: x\nprecision: ps\ntime: {interval: 1s}\ntables: []\n");
    Run r = run("datagen", "--spec", bad.toString(), "--points", "10", "--out", dir.resolve("x.lp").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml").contains("precision").contains("allowed: ns, us, ms, s");
    Run missing = run("datagen", "--points", "10");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--spec is required");
    Run both = run("datagen", "--spec", "devops", "--points", "10", "--batches", "1");
    assertThat(both.code()).isNotZero();
    assertThat(both.err()).contains("mutually exclusive");
  }
}
