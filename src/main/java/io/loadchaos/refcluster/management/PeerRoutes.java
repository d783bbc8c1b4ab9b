package io.loadchaos.refcluster.management;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-node overrides of how this node reaches a member that joined later (the launcher puts a
 * fault proxy on that link), persisted so they survive a restart.
 */
final class PeerRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Map<String, String> routes = new TreeMap<>();

  PeerRoutes(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      routes.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
    }
  }

  synchronized String get(String id) {
    return routes.get(id);
  }

  synchronized void put(String id, String address) {
    routes.put(id, address);
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.createDirectories(file.getParent());
      Files.write(tmp, JSON.writeValueAsBytes(routes));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist peer routes to " + file, e);
    }
  }
}
