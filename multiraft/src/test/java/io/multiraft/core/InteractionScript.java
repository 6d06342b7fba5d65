package io.multiraft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One golden-file script in the datadriven format of etcd-io/raft's testdata: blocks of
 *
 * <pre>
 * command arg key=value key=(1,2)
 * [more argument lines]
 * ----
 * expected output
 * </pre>
 *
 * separated by blank lines; lines starting with {@code #} between blocks are comments. Output that
 * itself contains a blank line is written between a doubled separator ({@code ----} twice before,
 * twice after), as datadriven does. Parsing keeps comments and blank lines verbatim so that a
 * rewrite changes only the expected outputs.
 */
final class InteractionScript {
  /** A command block: its input lines, the line number of its first line, and the expected output. */
  static final class Block {
    final int line;
    final List<String> input;
    final String expected;
    String actual;

    Block(int line, List<String> input, String expected) {
      this.line = line;
      this.input = input;
      this.expected = expected;
    }
  }

  /** Either verbatim text (comment or blank line) or a block, in file order. */
  private final List<Object> parts = new ArrayList<>();
  final List<Block> blocks = new ArrayList<>();

  static InteractionScript parse(String name, String text) {
    InteractionScript s = new InteractionScript();
    List<String> lines = text.lines().toList();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        s.parts.add(line);
        i++;
        continue;
      }
      int start = i + 1;
      List<String> input = new ArrayList<>();
      while (i < lines.size() && !lines.get(i).equals("----")) {
        if (lines.get(i).isBlank()) {
          throw new IllegalArgumentException(name + ":" + start + ": blank line before ---- in command block");
        }
        input.add(lines.get(i));
        i++;
      }
      if (i == lines.size()) {
        throw new IllegalArgumentException(name + ":" + start + ": command without ---- and expected output");
      }
      i++; // the separator
      List<String> out = new ArrayList<>();
      if (i < lines.size() && lines.get(i).equals("----")) {
        // Doubled separator: output runs until "----" twice.
        i++;
        while (i < lines.size() && !(lines.get(i).equals("----") && i + 1 < lines.size() && lines.get(i + 1).equals("----"))) {
          out.add(lines.get(i));
          i++;
        }
        if (i == lines.size()) {
          throw new IllegalArgumentException(name + ":" + start + ": unterminated ----/---- output");
        }
        i += 2;
      } else {
        while (i < lines.size() && !lines.get(i).isEmpty()) {
          out.add(lines.get(i));
          i++;
        }
      }
      Block b = new Block(start, input, String.join("\n", out));
      s.parts.add(b);
      s.blocks.add(b);
    }
    return s;
  }

  /** The script with every block's expected output replaced by its actual output. */
  String render() {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof String line) {
        sb.append(line).append('\n');
        continue;
      }
      Block b = (Block) p;
      for (String in : b.input) {
        sb.append(in).append('\n');
      }
      String out = b.actual != null ? b.actual : b.expected;
      boolean doubled = out.lines().anyMatch(String::isEmpty);
      sb.append("----\n");
      if (doubled) {
        sb.append("----\n").append(out).append("\n----\n----\n");
      } else {
        sb.append(out).append('\n');
      }
    }
    return sb.toString();
  }

  /** A line diff of expected against actual (longest common subsequence), for failure messages. */
  static String diff(String expected, String actual) {
    List<String> a = expected.lines().toList();
    List<String> b = actual.lines().toList();
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    StringBuilder sb = new StringBuilder("--- expected\n+++ actual\n");
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        sb.append("  ").append(a.get(i)).append('\n');
        i++;
        j++;
      } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
        sb.append("+ ").append(b.get(j)).append('\n');
        j++;
      } else {
        sb.append("- ").append(a.get(i)).append('\n');
        i++;
      }
    }
    return sb.toString();
  }
}
