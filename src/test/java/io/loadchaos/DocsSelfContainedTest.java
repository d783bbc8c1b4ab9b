package io.loadchaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository stands alone: README, docs and javadoc point at nothing outside it. The design is
 * cited as docs/design.md, scenarios as docs/scenarios.md. This test flags a sibling "shared" folder,
 * the external design file (upper-case name), absolute paths of the machine's work directory, the
 * strategy document's file name or section numbers, and relative markdown links (and their
 * #anchors) in README and docs that lead to no file or out of the repository. Each finding is
 * reported as file:line.
 */
class DocsSelfContainedTest {

  /** Patterns are written so that this file does not match itself. */
  private static final List<Rule> RULES = List.of(
      new Rule(Pattern.compile("\\.\\./shared"), "points outside the repository (a sibling shared folder)"),
      new Rule(Pattern.compile("DESIGN\\.md"), "cites the external design file: cite docs/design.md (section N)"),
      new Rule(Pattern.compile("(?<![\\w.:/-])/work(?=/)"), "an absolute path of the machine's work directory"),
      new Rule(Pattern.compile("integration-testing-" + "strategy"), "names the strategy document, which is not in the repository:"
          + " cite docs/scenarios.md"),
      new Rule(Pattern.compile("(?i)\\bstrategy(?: sections?)? [1-8]\\b"),
          "cites the strategy document's numbering: cite docs/scenarios.md (scenario N.M)"));

  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  private record Rule(Pattern pattern, String why) {}

  @Test
  void theRepositoryPointsAtNothingOutsideItself() {
    Path root = Path.of(System.getProperty("loadchaos.projectDir", ".")).toAbsolutePath().normalize();
    assertThat(Files.isRegularFile(root.resolve("README.md"))).as("README.md in " + root).isTrue();
    List<String> problems = problems(root);
    assertThat(problems).withFailMessage("references outside the repository or to missing files:%n%s",
        String.join(System.lineSeparator(), problems)).isEmpty();
  }

  @Test
  void everyKindOfOutsideReferenceIsReportedWithFileAndLine(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("docs"));
    Files.createDirectories(root.resolve("src/main/java/x"));
    Files.writeString(root.resolve("docs/design.md"), "# Design\n\n## 4. Placement\n");
    Files.writeString(root.resolve("README.md"), String.join("\n",
        "# r",
        "Design: `.." + "/shared/DESIGN" + ".md`",
        "see [missing](docs/nope.md) and [out](../elsewhere.md)",
        "see [bad anchor](docs/design.md#no-such-heading)",
        "```",
        "cluster file /work" + "/cluster.yaml:",
        "```",
        ""));
    Files.writeString(root.resolve("src/main/java/x/A.java"),
        "/** as DESIGN" + ".md section 3 and strategy" + " section 5 say. */\nclass A {}\n");

    List<String> problems = problems(root);

    assertThat(problems).anyMatch(p -> p.startsWith("README.md:2: ") && p.contains("sibling shared folder"))
        .anyMatch(p -> p.startsWith("README.md:2: ") && p.contains("external design file"))
        .anyMatch(p -> p.startsWith("README.md:3: ") && p.contains("docs/nope.md") && p.contains("no such file"))
        .anyMatch(p -> p.startsWith("README.md:3: ") && p.contains("../elsewhere.md") && p.contains("outside the repository"))
        .anyMatch(p -> p.startsWith("README.md:4: ") && p.contains("#no-such-heading"))
        .anyMatch(p -> p.startsWith("README.md:6: ") && p.contains("work directory"))
        .anyMatch(p -> p.startsWith("src/main/java/x/A.java:1: ") && p.contains("external design file"))
        .anyMatch(p -> p.startsWith("src/main/java/x/A.java:1: ") && p.contains("strategy document's numbering"))
        .hasSize(8);
  }

  @Test
  void citationsOfTheRepositorysOwnDocsPass(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("docs"));
    Files.createDirectories(root.resolve("simulations/x"));
    Files.writeString(root.resolve("docs/design.md"), "# Design\n\n## 4. Placement, writes and queries\n\n"
        + "see [scenarios](scenarios.md#2-replication) and [above](#4-placement-writes-and-queries)\n");
    Files.writeString(root.resolve("docs/scenarios.md"), "# Scenarios\n\n## 2. Replication\n\nthe testing strategy; [design](design.md)\n");
    Files.writeString(root.resolve("README.md"), "[design](docs/design.md), [web](https://example.com/a.md), [top](#r)\n# r\n");
    Files.writeString(root.resolve("simulations/x/S.java"), "/** Scenario 2.2 (docs/scenarios.md); docs/design.md section 4. */\n");

    assertThat(problems(root)).isEmpty();
  }

  /** Every finding under {@code root}, as {@code path:line: text -> why}. */
  static List<String> problems(Path root) {
    List<String> out = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path file : files(root)) {
      List<String> lines = read(file);
      String rel = root.relativize(file).toString().replace('\\', '/');
      boolean markdown = rel.endsWith(".md");
      boolean inFence = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String where = rel + ":" + (i + 1) + ": ";
        for (Rule r : RULES) {
          Matcher m = r.pattern().matcher(line);
          while (m.find()) out.add(where + "'" + m.group() + "' " + r.why());
        }
        if (!markdown) continue;
        if (line.strip().startsWith("```")) {
          inFence = !inFence;
          continue;
        }
        if (inFence) continue;
        Matcher m = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
        while (m.find()) {
          String problem = linkProblem(root, file, m.group(1), anchors);
          if (problem != null) out.add(where + "link '" + m.group(1) + "' " + problem);
        }
      }
    }
    return out;
  }

  private static List<Path> files(Path root) {
    List<Path> out = new ArrayList<>();
    out.add(root.resolve("README.md"));
    out.addAll(walk(root.resolve("docs"), ".md"));
    for (String dir : List.of("src", "simulations", "data-generators")) out.addAll(walk(root.resolve(dir), ".java"));
    return out.stream().filter(Files::isRegularFile).toList();
  }

  private static List<Path> walk(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.walk(dir)) {
      // build output of example projects is not the repository's text
      return s.filter(p -> p.toString().endsWith(suffix) && !p.toString().contains("/target/")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Why a markdown link target is broken, or null when it is an external URL or leads to an existing file (and heading). */
  private static String linkProblem(Path root, Path from, String target, Map<Path, Set<String>> anchors) {
    if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) return null; // https:, mailto: ...
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
    if (!resolved.startsWith(root)) return "points outside the repository";
    if (!Files.exists(resolved)) return "points to no such file (" + root.relativize(resolved) + ")";
    if (anchor == null || anchor.isEmpty() || !resolved.toString().endsWith(".md")) return null;
    Set<String> known = anchors.computeIfAbsent(resolved, DocsSelfContainedTest::anchorsOf);
    return known.contains(anchor) ? null : "points to no heading '#" + anchor + "' in " + root.relativize(resolved);
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered. */
  private static Set<String> anchorsOf(Path md) {
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    for (String line : read(md)) {
      if (line.strip().startsWith("```")) inFence = !inFence;
      Matcher m = HEADING.matcher(line);
      if (inFence || !m.matches()) continue;
      String slug = m.group(1).toLowerCase().replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      out.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return out;
  }
}
