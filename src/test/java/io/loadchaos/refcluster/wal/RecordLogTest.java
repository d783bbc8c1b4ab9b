package io.loadchaos.refcluster.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordLogTest {
  @TempDir Path dir;

  @Test
  void groupCommitsFsyncsAndRecoversIgnoringATornTail() throws Exception {
    Path file = dir.resolve("wal.log");
    AtomicInteger fsyncs = new AtomicInteger();
    RecordLog log = new RecordLog(file, true, n -> fsyncs.incrementAndGet());
    log.recover(0, (b, s, e) -> { });
    log.start();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(log.append(("record-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get();
    log.close();
    assertThat(fsyncs.get()).isBetween(1, 200);
    // a crash in the middle of an append leaves half a record behind
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.allocate(6).putInt(100).putShort((short) 1).flip());
    }
    RecordLog again = new RecordLog(file, true, n -> { });
    List<String> seen = new ArrayList<>();
    again.recover(0, (b, s, e) -> seen.add(new String(b, StandardCharsets.UTF_8)));
    assertThat(seen).hasSize(200).startsWith("record-0").endsWith("record-199");
    again.start();
    again.append("after".getBytes(StandardCharsets.UTF_8)).get();
    again.close();
    RecordLog third = new RecordLog(file, true, n -> { });
    List<String> all = new ArrayList<>();
    third.recover(0, (b, s, e) -> all.add(new String(b, StandardCharsets.UTF_8)));
    assertThat(all).hasSize(201).endsWith("after");
    third.close();
  }

  @Test
  void lostOnRestartDropsTheLastIntactRecordsForGood() throws Exception {
    Path file = dir.resolve("wal.log");
    RecordLog log = new RecordLog(file, true, n -> { });
    log.recover(0, (b, s, e) -> { });
    log.start();
    for (int i = 0; i < 10; i++) {
      log.append(("record-" + i).getBytes(StandardCharsets.UTF_8)).get();
    }
    log.close();
    RecordLog again = new RecordLog(file, true, n -> { });
    List<String> seen = new ArrayList<>();
    long end = again.recover(0, 3, (b, s, e) -> seen.add(new String(b, StandardCharsets.UTF_8)));
    assertThat(seen).hasSize(7).endsWith("record-6");
    assertThat(again.size()).as("the dropped records are truncated away").isEqualTo(end);
    again.close();
    // the next start (no defect) finds exactly what the defective one kept
    RecordLog third = new RecordLog(file, true, n -> { });
    List<String> all = new ArrayList<>();
    third.recover(0, (b, s, e) -> all.add(new String(b, StandardCharsets.UTF_8)));
    assertThat(all).isEqualTo(seen);
    third.close();
    // fewer records than N: all of them go
    RecordLog fourth = new RecordLog(file, true, n -> { });
    List<String> none = new ArrayList<>();
    assertThat(fourth.recover(0, 50, (b, s, e) -> none.add(new String(b, StandardCharsets.UTF_8)))).isZero();
    assertThat(none).isEmpty();
    fourth.close();
  }
}
