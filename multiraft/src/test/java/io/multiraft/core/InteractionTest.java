package io.multiraft.core;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden-file script in {@code src/test/resources/interaction/*.txt} through an
 * {@link InteractionEnv}, one dynamic test per file. With {@code -Dgolden.update=true} the expected
 * outputs in the source tree are rewritten instead of checked (the parent pom's surefire
 * configuration passes the property through, default false); review the result with {@code git
 * diff}. See {@code interaction/README.md}.
 */
class InteractionTest {
  private static final String DIR = "interaction";
  private static final boolean UPDATE = Boolean.parseBoolean(System.getProperty("golden.update", "false"));

  @TestFactory
  Stream<DynamicTest> scripts() throws IOException {
    Path dir = scriptDir();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
    }
    if (files.isEmpty()) {
      // A factory with no tests passes silently: make a misplaced directory loud instead.
      throw new IllegalStateException("no interaction scripts in " + dir.toAbsolutePath());
    }
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> run(f)));
  }

  /**
   * The scripts' directory. Prefer the source tree (the working directory is the module under
   * Maven and /tmp/jt.sh) since that is where an update must write; fall back to the classpath
   * copy for read-only runs from elsewhere.
   */
  private static Path scriptDir() {
    for (String candidate : new String[] {"src/test/resources/" + DIR, "multiraft/src/test/resources/" + DIR}) {
      Path p = Paths.get(candidate);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    if (UPDATE) {
      throw new IllegalStateException("golden.update=true needs the source tree: run from the multiraft module"
          + " directory (cwd is " + Paths.get("").toAbsolutePath() + ")");
    }
    URL url = InteractionTest.class.getClassLoader().getResource(DIR);
    if (url == null || !"file".equals(url.getProtocol())) {
      throw new IllegalStateException("interaction scripts not found in the source tree nor on the classpath");
    }
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(Path file) throws IOException {
    String name = DIR + "/" + file.getFileName();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    InteractionScript script = InteractionScript.parse(name, text);
    InteractionEnv env = new InteractionEnv();
    List<InteractionScript.Block> mismatches = new ArrayList<>();
    for (InteractionScript.Block b : script.blocks) {
      try {
        b.actual = env.handle(InteractionEnv.Command.parse(b.input));
      } catch (RuntimeException | AssertionError e) {
        // A script error or a broken core invariant: stop here, naming the command.
        throw new AssertionError(name + ":" + b.line + ": " + b.input.get(0) + ": " + e, e);
      }
      if (!b.actual.equals(b.expected)) {
        mismatches.add(b);
      }
    }
    if (UPDATE) {
      String rendered = script.render();
      if (!rendered.equals(text)) {
        Files.writeString(file, rendered, StandardCharsets.UTF_8);
        System.out.println("golden.update: rewrote " + file);
      }
      return;
    }
    if (!mismatches.isEmpty()) {
      InteractionScript.Block first = mismatches.get(0);
      StringBuilder sb = new StringBuilder();
      sb.append(name).append(':').append(first.line).append(": output of '").append(first.input.get(0))
          .append("' differs\n").append(InteractionScript.diff(first.expected, first.actual));
      if (mismatches.size() > 1) {
        sb.append("later blocks also differ (often as a consequence), at lines");
        for (int i = 1; i < mismatches.size(); i++) {
          sb.append(' ').append(mismatches.get(i).line);
        }
        sb.append('\n');
      }
      sb.append("if the change is intended, regenerate and review the diff (see interaction/README.md):\n"
          + "  mvn -pl multiraft -am test -Dtest=InteractionTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true");
      fail(sb.toString());
    }
  }
}
