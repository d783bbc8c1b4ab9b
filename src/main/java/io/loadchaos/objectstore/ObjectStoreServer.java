package io.loadchaos.objectstore;

import io.loadchaos.chaos.ProcessSignals;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3 API server (s3proxy with its filesystem backend) run as a child JVM on 127.0.0.1 with
 * a free port and credentials generated for this run. s3proxy runs from its own self-contained jar
 * ({@code target/s3proxy/s3proxy.jar}, copied there by the build), so its Jetty, Guava and Jackson
 * never meet ours. {@link #close()} (also a shutdown hook) stops it; the child also exits by itself
 * when this JVM is gone. Credentials reach it in a 0600 properties file, never on its command line.
 */
public final class ObjectStoreServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ObjectStoreServer.class);
  /** Overrides where s3proxy's jar is looked for. */
  public static final String JAR_PROPERTY = "loadchaos.s3proxyJar";
  private static final int START_ATTEMPTS = 3;

  private final Builder settings;
  private final Process process;
  private final URI endpoint;
  private final S3Credentials credentials;
  private final Path propertiesFile;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private ObjectStoreServer(Builder settings, Process process, URI endpoint, S3Credentials credentials, Path propertiesFile) {
    this.settings = settings;
    this.process = process;
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.propertiesFile = propertiesFile;
    this.shutdownHook = new Thread(this::stop, "object-store-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:port}. */
  public URI endpoint() {
    return endpoint;
  }

  public S3Credentials credentials() {
    return credentials;
  }

  /** The bucket created at start; every node of a cluster uses it. */
  public String bucket() {
    return settings.bucket;
  }

  public String label() {
    return settings.label;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** A new client for this server (the caller closes it). */
  public S3Client client() {
    return S3Clients.create(endpoint, credentials);
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs stop() itself
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    process.destroy();
    if (!ProcessSignals.waitFor(process, 10)) {
      process.destroyForcibly();
      ProcessSignals.waitFor(process, 10);
    }
    try {
      Files.deleteIfExists(propertiesFile);
    } catch (IOException e) {
      // 0600 inside the run folder: a failed delete leaks it to nobody else
    }
    log.info("object store {} stopped", settings.label);
  }

  /** Options of an object store server; {@link #start()} launches it and waits until it answers. */
  public static final class Builder {
    private Path dataDir;
    private String label = "loadchaos";
    private String bucket = "loadchaos";
    private Duration startTimeout = Duration.ofSeconds(60);

    /** Where the server keeps its blobs ({@code blobs/}), its log and its settings; required. */
    public Builder withDataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Names the process ({@code -Dloadchaos.objectstore.label=...}) so a run's teardown can tell it apart. */
    public Builder withLabel(String label) {
      this.label = label;
      return this;
    }

    public Builder withBucket(String bucket) {
      this.bucket = bucket;
      return this;
    }

    public Builder withStartTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public ObjectStoreServer start() {
      if (dataDir == null) {
        throw new IllegalStateException("withDataDir is required");
      }
      Path jar = locateJar();
      S3Credentials credentials = S3Credentials.generate();
      try {
        Files.createDirectories(dataDir.resolve("blobs"));
        Path launcher = copyLauncher(dataDir.resolve("launcher"));
        // a free port can be taken before s3proxy binds it: pick another and retry
        for (int attempt = 1; ; attempt++) {
          int port = freePort();
          URI endpoint = new URI("http://127.0.0.1:" + port);
          Path props = writeProperties(endpoint, credentials);
          Process p = launch(jar, launcher, props);
          ObjectStoreServer server = new ObjectStoreServer(this, p, endpoint, credentials, props);
          try {
            awaitAnswer(server);
            createBucket(server);
            log.info("object store {} at {} (pid {}, bucket {}, data {})", label, endpoint, p.pid(), bucket, dataDir);
            return server;
          } catch (RuntimeException e) {
            server.close();
            if (attempt == START_ATTEMPTS || !logTail().contains("Address already in use")) {
              throw e;
            }
            log.warn("object store could not bind port {} (attempt {} of {}), trying another", port, attempt, START_ATTEMPTS);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the object store in " + dataDir, e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }

    private Path writeProperties(URI endpoint, S3Credentials c) throws IOException {
      Path props = dataDir.resolve("s3proxy.properties");
      String text = String.join("\n",
          "s3proxy.endpoint=" + endpoint,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + c.accessKey(),
          "s3proxy.credential=" + c.secretKey(),
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + dataDir.resolve("blobs").toAbsolutePath(),
          "");
      Files.deleteIfExists(props);
      Files.createFile(props, PosixFilePermissions.asFileAttribute(Set.of(
          PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
      Files.writeString(props, text, StandardCharsets.UTF_8);
      return props;
    }

    private Process launch(Path jar, Path launcher, Path props) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>(List.of(java, "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Dloadchaos.objectstore.label=" + label, "-cp", launcher + ":" + jar, ParentWatchMain.class.getName(),
          "--properties", props.toAbsolutePath().toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      return pb.start();
    }

    private void awaitAnswer(ObjectStoreServer server) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long deadline = System.nanoTime() + startTimeout.toNanos();
      String last = "no answer yet";
      while (System.nanoTime() < deadline) {
        if (!server.process.isAlive()) {
          throw new IllegalStateException("object store exited (code " + server.process.exitValue() + ") before answering; log tail:\n" + logTail());
        }
        try {
          // any HTTP answer (an unauthenticated one is 403) means it serves
          http.send(HttpRequest.newBuilder(server.endpoint).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
          return;
        } catch (IOException e) {
          last = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the object store");
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the object store");
        }
      }
      throw new IllegalStateException("object store not answering at " + server.endpoint + " after " + startTimeout + " (" + last
          + "); log tail:\n" + logTail());
    }

    private void createBucket(ObjectStoreServer server) {
      try (S3Client s3 = server.client()) {
        s3.createBucket(b -> b.bucket(bucket));
      } catch (BucketAlreadyOwnedByYouException e) {
        // a restart on the same data dir: the bucket and its objects are kept
      }
    }

    private Path logFile() {
      return dataDir.resolve("s3proxy.log");
    }

    private String logTail() {
      try {
        List<String> all = Files.readAllLines(logFile());
        return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    /** The launcher's class file copied out, so the child's class path holds it and s3proxy's jar, nothing else of ours. */
    private static Path copyLauncher(Path dir) throws IOException {
      String resource = ParentWatchMain.class.getName().replace('.', '/') + ".class";
      Path target = dir.resolve(resource);
      Files.createDirectories(target.getParent());
      try (InputStream in = ObjectStoreServer.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("no " + resource + " on the class path");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return dir;
    }

    /**
     * s3proxy's jar: {@code -Dloadchaos.s3proxyJar}, else {@code s3proxy/s3proxy.jar} beside our classes
     * ({@code target/classes} or {@code target/loadchaos.jar}), else under {@code loadchaos.projectDir}'s target.
     */
    static Path locateJar() {
      List<Path> tried = new ArrayList<>();
      String property = System.getProperty(JAR_PROPERTY);
      if (property != null && !property.isBlank()) {
        tried.add(Path.of(property));
      } else {
        try {
          Path codeSource = Path.of(ObjectStoreServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
          tried.add(codeSource.getParent().resolve("s3proxy").resolve("s3proxy.jar"));
        } catch (URISyntaxException | RuntimeException e) {
          // no usable code source: the project dir below
        }
        String projectDir = System.getProperty("loadchaos.projectDir", System.getProperty("user.dir"));
        tried.add(Path.of(projectDir, "target", "s3proxy", "s3proxy.jar"));
      }
      for (Path p : tried) {
        if (Files.isRegularFile(p)) {
          return p.toAbsolutePath();
        }
      }
      throw new IllegalStateException("no s3proxy jar at " + tried + ": the build copies it there (mvn generate-resources),"
          + " or name it with -D" + JAR_PROPERTY + "=PATH");
    }

    private static int freePort() {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free port", e);
      }
    }
  }
}
