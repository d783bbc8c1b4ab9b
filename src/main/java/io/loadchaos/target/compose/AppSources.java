package io.loadchaos.target.compose;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * What the compose images are built from: the code this JVM runs (target/classes under
 * {@code mvn gatling:test}, which does not package, or a jar) and its runtime dependency jars.
 * {@link #inputsHash} fingerprints them cheaply (class files by content, jars by name and size:
 * their names carry the version) and {@link #writeTo} lays them out as {@code loadchaos.jar} + {@code lib/},
 * the layout docker/node.Dockerfile copies, with a reproducible jar so equal inputs give equal bytes.
 */
public record AppSources(Path code, List<Path> libs) {
  /** Written by the pom (dependency:build-classpath, runtime scope) next to target/classes. */
  static final String RUNTIME_CLASSPATH_FILE = "runtime-classpath.txt";
  static final String MAIN_CLASS = "io.loadchaos.cli.Main";
  /** A fixed time for every jar entry: the same classes give the same jar. */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

  public AppSources {
    libs = List.copyOf(libs);
    if (!Files.exists(code)) throw new IllegalArgumentException("app code " + code + " does not exist");
    for (Path l : libs) {
      if (!Files.isRegularFile(l)) {
        throw new IllegalStateException("dependency jar " + l + " is missing (run 'mvn -B -o test-compile' to resolve it)");
      }
    }
  }

  /** The running JVM's own code and runtime jars. */
  public static AppSources ofRunningJvm() {
    Path code;
    try {
      code = Path.of(AppSources.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot tell where this JVM's loadchaos classes come from: " + e.getMessage(), e);
    }
    return of(code, System.getProperty("java.class.path", ""));
  }

  /**
   * {@code code} a classes directory: its jars are the lines of {@code ../runtime-classpath.txt}
   * (runtime scope), else this JVM's class path jars (test jars included: larger, still works).
   * {@code code} a jar: the jars its manifest's Class-Path names, when they all exist.
   */
  static AppSources of(Path code, String javaClassPath) {
    try {
      if (Files.isDirectory(code)) {
        Path cpFile = code.toAbsolutePath().getParent().resolve(RUNTIME_CLASSPATH_FILE);
        if (Files.isRegularFile(cpFile)) return new AppSources(code, split(Files.readString(cpFile).strip()));
      } else {
        List<Path> fromManifest = manifestClassPath(code);
        if (!fromManifest.isEmpty() && fromManifest.stream().allMatch(Files::isRegularFile)) {
          return new AppSources(code, fromManifest);
        }
      }
      List<Path> jars = split(javaClassPath).stream()
          .filter(p -> p.getFileName().toString().endsWith(".jar") && !p.toAbsolutePath().equals(code.toAbsolutePath())
              && Files.isRegularFile(p))
          .toList();
      return new AppSources(code, jars);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the app's class path next to " + code, e);
    }
  }

  private static List<Path> split(String classPath) {
    List<Path> out = new ArrayList<>();
    for (String s : classPath.split(File.pathSeparator)) if (!s.isBlank()) out.add(Path.of(s.strip()));
    return out;
  }

  private static List<Path> manifestClassPath(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      Manifest m = j.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (cp == null || cp.isBlank()) return List.of();
      Path dir = jar.toAbsolutePath().getParent();
      return Stream.of(cp.trim().split("\\s+")).map(dir::resolve).toList();
    }
  }

  /**
   * A 12-hex fingerprint of everything an image is built from: this app, the JDK the base image is
   * jlink'ed from, the Docker build inputs in {@code dockerDir} and the build settings in {@code env}.
   */
  public String inputsHash(Path dockerDir, Map<String, String> env) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(md, "loadchaos images v1");
    update(md, System.getProperty("java.home") + " " + System.getProperty("java.runtime.version"));
    for (String k : List.of("LOADCHAOS_JLINK_MODULES", "LOADCHAOS_BASE_IMAGE")) update(md, k + "=" + env.getOrDefault(k, ""));
    try {
      for (String f : List.of("node.Dockerfile", "faultproxy.Dockerfile", "build-images.sh")) {
        Path p = dockerDir.resolve(f);
        update(md, f);
        if (Files.isRegularFile(p)) md.update(Files.readAllBytes(p));
      }
      for (Map.Entry<String, Path> e : codeFiles().entrySet()) {
        update(md, e.getKey());
        md.update(Files.readAllBytes(e.getValue()));
      }
      if (!Files.isDirectory(code)) md.update(Files.readAllBytes(code));
      for (Path l : libs) update(md, l.getFileName() + " " + Files.size(l));
    } catch (IOException e) {
      throw new UncheckedIOException("hashing the image inputs", e);
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, 12);
  }

  private static void update(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
  }

  /** A classes directory's files by relative path (sorted); empty for a jar. */
  private Map<String, Path> codeFiles() throws IOException {
    Map<String, Path> files = new TreeMap<>();
    if (!Files.isDirectory(code)) return files;
    try (Stream<Path> s = Files.walk(code)) {
      s.filter(Files::isRegularFile).forEach(p -> files.put(code.relativize(p).toString().replace(File.separatorChar, '/'), p));
    }
    return files;
  }

  /** The jars' names inside lib/ (a second jar with the same file name gets a numbered prefix). */
  Map<String, Path> libNames() {
    Map<String, Path> names = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (Path l : libs) {
      String name = l.getFileName().toString();
      for (int i = 2; !used.add(name); i++) name = i + "-" + l.getFileName();
      names.put(name, l);
    }
    return names;
  }

  /** Writes {@code dir/loadchaos.jar} (reproducible, runnable with {@code -jar}) and {@code dir/lib/} (hard links where possible). */
  public void writeTo(Path dir) throws IOException {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Map<String, Path> names = libNames();
    for (Map.Entry<String, Path> e : names.entrySet()) {
      Path to = lib.resolve(e.getKey());
      try {
        Files.createLink(to, e.getValue());
      } catch (IOException | UnsupportedOperationException ex) {
        Files.copy(e.getValue(), to);
      }
    }
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.put(Attributes.Name.MAIN_CLASS, MAIN_CLASS);
    a.put(Attributes.Name.CLASS_PATH, String.join(" ", names.keySet().stream().map(n -> "lib/" + n).toList()));
    a.put(new Attributes.Name("Add-Opens"), "java.base/java.nio");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(dir.resolve("loadchaos.jar")))) {
      // the manifest by hand: JarOutputStream's own would carry the current time
      put(out, JarFile.MANIFEST_NAME, o -> m.write(o));
      if (Files.isDirectory(code)) {
        for (Map.Entry<String, Path> e : codeFiles().entrySet()) {
          if (e.getKey().equalsIgnoreCase(JarFile.MANIFEST_NAME)) continue;
          put(out, e.getKey(), o -> Files.copy(e.getValue(), o));
        }
      } else {
        try (JarFile in = new JarFile(code.toFile())) {
          List<JarEntry> entries = new ArrayList<>();
          for (Enumeration<JarEntry> en = in.entries(); en.hasMoreElements(); ) {
            JarEntry je = en.nextElement();
            if (!je.isDirectory() && !je.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) entries.add(je);
          }
          entries.sort((x, y) -> x.getName().compareTo(y.getName()));
          for (JarEntry je : entries) {
            put(out, je.getName(), o -> {
              try (InputStream is = in.getInputStream(je)) {
                is.transferTo(o);
              }
            });
          }
        }
      }
    }
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private static void put(JarOutputStream out, String name, Body body) throws IOException {
    JarEntry e = new JarEntry(name);
    e.setTimeLocal(ENTRY_TIME);
    out.putNextEntry(e);
    body.write(out);
    out.closeEntry();
  }
}
