package io.loadchaos.refcluster.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A process that loaded DuckDB leaves no copy of its native library in the temporary directory. */
class DuckDbLibraryTest {

  @Test
  void theLoadedLibrarysTemporaryCopyIsGoneWhileStillMapped() {
    DuckDbLibrary.loadAndUnlinkCopy();
    List<Path> mapped = DuckDbLibrary.mappedCopies();
    assertThat(mapped).as("DuckDB's library is mapped from a temporary copy").isNotEmpty();
    assertThat(mapped).allSatisfy(p -> assertThat(Files.exists(p)).as("%s still on disk", p).isFalse());
  }
}
