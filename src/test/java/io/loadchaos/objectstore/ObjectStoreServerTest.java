package io.loadchaos.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The real s3proxy child process, driven through the AWS SDK v2 client. */
class ObjectStoreServerTest {
  @TempDir Path dir;

  @Test
  void putGetListDeleteThroughTheSdkThenCloseLeavesNoProcess() throws Exception {
    ProcessHandle child;
    try (ObjectStoreServer server = ObjectStoreServer.builder().withDataDir(dir.resolve("os")).withLabel("ostest").withBucket("bucket1").start();
        S3Client s3 = server.client()) {
      child = ProcessHandle.of(server.pid()).orElseThrow();
      assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(child.info().commandLine().orElse("")).contains("s3proxy.jar").contains("ostest")
          .doesNotContain(server.credentials().secretKey());
      assertThat(server.credentials().toString()).doesNotContain(server.credentials().secretKey());

      s3.putObject(b -> b.bucket("bucket1").key("db/t/1/node-1/a.txt"), RequestBody.fromString("hello"));
      s3.putObject(b -> b.bucket("bucket1").key("db/t/2/node-1/b.txt"), RequestBody.fromString("world"));
      String got = s3.getObjectAsBytes(b -> b.bucket("bucket1").key("db/t/1/node-1/a.txt")).asString(StandardCharsets.UTF_8);
      assertThat(got).isEqualTo("hello");
      // jclouds' filesystem backend also lists its folders as empty keys ending in "/": not objects of ours
      List<String> keys = s3.listObjectsV2(b -> b.bucket("bucket1").prefix("db/t/")).contents().stream().map(S3Object::key)
          .filter(k -> !k.endsWith("/")).toList();
      assertThat(keys).containsExactly("db/t/1/node-1/a.txt", "db/t/2/node-1/b.txt");

      s3.deleteObject(b -> b.bucket("bucket1").key("db/t/1/node-1/a.txt"));
      assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("bucket1").key("db/t/1/node-1/a.txt"))).isInstanceOf(NoSuchKeyException.class);
      assertThat(s3.listObjectsV2(b -> b.bucket("bucket1")).contents()).extracting(S3Object::key).filteredOn(k -> !k.endsWith("/"))
          .containsExactly("db/t/2/node-1/b.txt");
      // the filesystem backend keeps blobs in the data dir
      assertThat(dir.resolve("os/blobs/bucket1")).isDirectory();

      // wrong credentials are refused: the server checks signatures
      try (S3Client wrong = S3Clients.create(server.endpoint(), new S3Credentials(server.credentials().accessKey(), "nope"))) {
        assertThatThrownBy(() -> wrong.listObjectsV2(b -> b.bucket("bucket1"))).isInstanceOf(S3Exception.class);
      }
    }
    child.onExit().get();
    assertThat(child.isAlive()).isFalse();
    assertThat(dir.resolve("os/s3proxy.properties")).doesNotExist();
  }

  @Test
  void aRestartOnTheSameDataDirKeepsTheObjects() {
    Path data = dir.resolve("os2");
    try (ObjectStoreServer server = ObjectStoreServer.builder().withDataDir(data).withBucket("keep").start(); S3Client s3 = server.client()) {
      s3.putObject(b -> b.bucket("keep").key("k"), RequestBody.fromString("v"));
    }
    try (ObjectStoreServer server = ObjectStoreServer.builder().withDataDir(data).withBucket("keep").start(); S3Client s3 = server.client()) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket("keep").key("k")).asUtf8String()).isEqualTo("v");
    }
  }

  @Test
  void theStoreExitsWhenTheProcessThatStartedItIsKilled() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ObjectStoreHolderMain.class.getName(),
        dir.resolve("held").toString()).redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      long pid = -1;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("object-store-pid ")) {
          pid = Long.parseLong(line.substring("object-store-pid ".length()).trim());
          break;
        }
      }
      assertThat(pid).as("the holder printed the store's pid").isPositive();
      ProcessHandle store = ProcessHandle.of(pid).orElseThrow();
      // SIGKILL: no shutdown hook runs in the holder; the store's own parent watch must end it
      holder.destroyForcibly().waitFor();
      store.onExit().get(20, TimeUnit.SECONDS);
      assertThat(store.isAlive()).isFalse();
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aMissingDataDirIsAClearError() {
    assertThatThrownBy(() -> ObjectStoreServer.builder().start()).hasMessageContaining("withDataDir");
    assertThat(Files.exists(dir.resolve("none"))).isFalse();
  }
}
