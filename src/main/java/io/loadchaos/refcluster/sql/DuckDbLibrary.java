package io.loadchaos.refcluster.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DuckDB's JDBC driver copies its 58 MB native library to a fresh {@code java.io.tmpdir} file at
 * every JVM start and deletes it only on a normal exit, so every killed node left one behind (1,220
 * of them, 70 GB, filled this machine's disk). A node loads the library at start and unlinks the copy
 * it mapped: Linux keeps a mapped file's contents until the process ends.
 */
public final class DuckDbLibrary {
  private static final Logger log = LoggerFactory.getLogger(DuckDbLibrary.class);
  private static final String COPY_PREFIX = "libduckdb_java";

  private DuckDbLibrary() {}

  /** Loads the native library now and deletes this process's temporary copy of it. */
  public static void loadAndUnlinkCopy() {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      // opening a connection is what loads the native library
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB cannot start: " + e.getMessage(), e);
    }
    for (Path copy : mappedCopies()) {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException e) {
        log.warn("cannot delete DuckDB's temporary library copy {}: {}", copy, e.getMessage());
      }
    }
  }

  /** The temporary DuckDB library files this process has mapped (from /proc/self/maps; none elsewhere). */
  static List<Path> mappedCopies() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.map(l -> l.indexOf('/') < 0 ? null : Path.of(l.substring(l.indexOf('/')).replace(" (deleted)", "")))
          .filter(p -> p != null && p.getFileName().toString().startsWith(COPY_PREFIX) && tmp.equals(p.getParent()))
          .distinct().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
