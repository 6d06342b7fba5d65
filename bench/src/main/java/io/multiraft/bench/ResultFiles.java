package io.multiraft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a scenario's results go (a picocli mixin): the JSON to {@code --json FILE}, the HTML
 * report beside it with the same name, or, into {@code --report DIR} when given. Without
 * {@code --json} both go into the report directory (default {@code bench-results/}), named after
 * the scenario and the time, so every run leaves its results behind.
 */
final class ResultFiles {
  static final Path DEFAULT_REPORT_DIR = Path.of("bench-results");

  @Option(names = "--json", description = "Write the results to this JSON file (the HTML report goes beside it).")
  Path json;

  @Option(names = "--report", description = "Directory for the HTML report (and the JSON when --json is not given);"
      + " default: beside --json, else bench-results/.")
  Path reportDir;

  /** The files one run wrote. */
  record Written(Path json, Path html) {}

  Written write(String scenario, Map<String, Object> doc) throws IOException {
    Path jsonFile = json;
    if (jsonFile == null) {
      Path dir = reportDir != null ? reportDir : DEFAULT_REPORT_DIR;
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      jsonFile = dir.resolve(scenario + "-" + stamp + ".json");
    }
    String base = jsonFile.getFileName().toString().replaceFirst("\\.json$", "");
    Path htmlDir = reportDir != null ? reportDir : jsonFile.toAbsolutePath().getParent();
    Path html = htmlDir.resolve(base + ".html");
    createParent(jsonFile);
    createParent(html);
    Files.writeString(jsonFile, Json.write(doc));
    Files.writeString(html, HtmlReport.render(doc));
    Progress.say("results written to " + jsonFile + ", report " + html);
    return new Written(jsonFile, html);
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
