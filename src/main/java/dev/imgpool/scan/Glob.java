package dev.imgpool.scan;

import java.util.regex.Pattern;

/**
 * A glob matched against a path relative to INPUT with '/' separators: {@code *} and {@code ?}
 * stay within one folder name, {@code **} crosses folders, and {@code **}{@code /} matches zero or
 * more folders (as in git and bash's globstar), so {@code **}{@code /*.jpg} takes {@code a.jpg} at
 * the top too. {@code [abc]} and {@code {a,b}} work as in the shell.
 */
public final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /**
   * Compiles a glob.
   *
   * @throws IllegalArgumentException with a one-line message when the glob is malformed
   */
  public static Glob compile(String glob) {
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("invalid glob '': it is empty");
    }
    StringBuilder regex = new StringBuilder();
    int braces = 0;
    int i = 0;
    String g = glob.startsWith("/") ? glob.substring(1) : glob;
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*') {
        if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
          boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
          boolean atSegmentStart = i == 0 || g.charAt(i - 1) == '/';
          if (slashAfter && atSegmentStart) {
            regex.append("(?:.*/)?");
            i += 3;
          } else {
            regex.append(".*");
            i += 2;
          }
        } else {
          regex.append("[^/]*");
          i++;
        }
      } else if (c == '?') {
        regex.append("[^/]");
        i++;
      } else if (c == '[') {
        int close = g.indexOf(']', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("invalid glob '" + glob + "': '[' without ']'");
        }
        String body = g.substring(i + 1, close);
        if (body.startsWith("!")) {
          body = "^" + body.substring(1);
        }
        regex.append('[').append(body.replace("\\", "\\\\")).append(']');
        i = close + 1;
      } else if (c == '{') {
        braces++;
        regex.append("(?:");
        i++;
      } else if (c == '}' && braces > 0) {
        braces--;
        regex.append(')');
        i++;
      } else if (c == ',' && braces > 0) {
        regex.append('|');
        i++;
      } else if (c == '\\' && i + 1 < g.length()) {
        regex.append(Pattern.quote(String.valueOf(g.charAt(i + 1))));
        i += 2;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    if (braces != 0) {
      throw new IllegalArgumentException("invalid glob '" + glob + "': '{' without '}'");
    }
    return new Glob(glob, Pattern.compile(regex.toString()));
  }

  /** True when the glob matches the whole relative path. */
  public boolean matches(String relativePath) {
    return pattern.matcher(relativePath).matches();
  }

  /** True when every path below {@code relativeDir} matches, so the folder can be left unwalked. */
  public boolean matchesEverythingBelow(String relativeDir) {
    // A probe name no real file has: only a pattern ending in ** can match it.
    return pattern.matcher(relativeDir + "/\u0000probe/\u0000probe").matches();
  }

  /** True when the glob names a hidden file or folder explicitly (a segment starting with '.'). */
  public boolean namesHidden() {
    return text.startsWith(".") || text.contains("/.");
  }

  @Override
  public String toString() {
    return text;
  }
}
