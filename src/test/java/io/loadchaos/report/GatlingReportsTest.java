package io.loadchaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatlingReportsTest {
  @TempDir Path root;

  @Test
  void findsTheNewestFolderOfThisSimulationSinceTheRunStarted() throws Exception {
    long start = System.currentTimeMillis() - 10_000;
    Path old = Files.createDirectory(root.resolve("capacitysimulation-20261126100000000"));
    Files.setLastModifiedTime(old, FileTime.fromMillis(start - 60_000));
    Files.createDirectory(root.resolve("capacitysimulation-20261126120000000"));
    Path newest = Files.createDirectory(root.resolve("capacitysimulation-20261126120500000"));
    Files.createDirectory(root.resolve("baselinewritesimulation-20261126130000000"));
    Files.createDirectory(root.resolve("capacitysimulation-notes"));
    assertThat(GatlingReports.find(root, "CapacitySimulation", start)).isEqualTo(newest.toAbsolutePath().toString());
    assertThat(GatlingReports.find(root, "QuorumWriteSimulation", start)).isEmpty();
    assertThat(GatlingReports.find(root.resolve("absent"), "CapacitySimulation", start)).isEmpty();
  }
}
