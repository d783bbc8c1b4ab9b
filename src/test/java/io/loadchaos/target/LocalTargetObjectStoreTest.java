package io.loadchaos.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadchaos.config.Knobs;
import io.loadchaos.config.RunConfig;
import io.loadchaos.local.LocalNode;
import io.loadchaos.objectstore.ObjectStoreServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code loadchaos.objectStore}: off starts nothing new; on starts the store with the cluster, wires every node, stops with it. */
class LocalTargetObjectStoreTest {
  @TempDir Path dir;

  /** The whole command line (ProcessHandle.Info cuts long ones: the class path is long). */
  private static String commandLine(LocalNode n) throws IOException {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(n.pid()), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
  }

  @Test
  void offIsTheDefaultAndNodesRunAsBefore() throws IOException {
    RunConfig cfg = RunConfig.resolve(k -> null, e -> null, Map.of("nodes", "1", "replicationFactor", "1"));
    assertThat(cfg.get(Knobs.OBJECT_STORE)).isEqualTo("off");
    try (LocalTarget target = LocalTarget.start(cfg, dir.resolve("off"), "os-off", false)) {
      assertThat(target.objectStore()).isEmpty();
      LocalNode n = target.cluster().node("1");
      assertThat(commandLine(n)).doesNotContain("--object-store");
      assertThat(n.dataDir().resolve("wal/wal.log")).exists();
      assertThat(n.dataDir().resolve("wal/segments")).doesNotExist();
    }
  }

  @Test
  void onStartsTheStoreWiresEveryNodeIncludingAddedOnesAndStopsItWithTheCluster() throws Exception {
    RunConfig cfg = RunConfig.resolve(k -> null, e -> null, Map.of("nodes", "2", "replicationFactor", "2", "objectStore", "on"));
    ProcessHandle store;
    List<LocalNode> nodes = new ArrayList<>();
    try (LocalTarget target = LocalTarget.start(cfg, dir.resolve("on"), "os-on", false)) {
      ObjectStoreServer os = target.objectStore().orElseThrow();
      store = ProcessHandle.of(os.pid()).orElseThrow();
      nodes.addAll(target.cluster().nodes());
      nodes.add(target.cluster().addNode());
      for (LocalNode n : nodes) {
        String cmd = commandLine(n);
        assertThat(cmd).contains("--object-store " + os.endpoint()).contains("--bucket " + os.bucket())
            .doesNotContain(os.credentials().secretKey());
        assertThat(n.dataDir().resolve("wal/segments")).isDirectory();
        assertThat(n.dataDir().resolve("wal/wal.log")).doesNotExist();
      }
      try (S3Client s3 = os.client()) {
        assertThat(s3.headBucket(b -> b.bucket(os.bucket())).sdkHttpResponse().isSuccessful()).isTrue();
      }
      assertThat(dir.resolve("on/object-store/blobs").resolve(os.bucket())).isDirectory();
    }
    store.onExit().get();
    assertThat(store.isAlive()).isFalse();
    for (LocalNode n : nodes) {
      assertThat(n.isRunning()).isFalse();
    }
  }
}
