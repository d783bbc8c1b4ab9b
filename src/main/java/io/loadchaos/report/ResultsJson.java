package io.loadchaos.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** results.json: written atomically, read back by {@code check}, {@code report} and {@code gate}. */
public final class ResultsJson {
  public static final String FILE = "results.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ResultsJson() {}

  public static ObjectMapper mapper() {
    return JSON;
  }

  public static Path write(Path runDir, RunResult result) throws IOException {
    Path file = runDir.resolve(FILE);
    writeAtomically(file, JSON.writeValueAsBytes(result));
    return file;
  }

  public static RunResult read(Path runDir) throws IOException {
    Path file = runDir.resolve(FILE);
    if (!Files.exists(file)) throw new IOException(file + " does not exist (not a run folder?)");
    return JSON.readValue(file.toFile(), RunResult.class);
  }

  /** Temp file + rename, so a crash never leaves half a file behind. */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
