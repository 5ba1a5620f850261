package dev.imgpool.report;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Escaping for the HTML page. File names and messages are untrusted: they go through
 * {@link #escape} whether they land in text or in a double-quoted attribute, and through
 * {@link #urlPath} before they become part of a link.
 *
 * <p>Stateless.
 */
final class Html {
  private Html() {}

  /**
   * Text safe both between tags and inside a double-quoted attribute value: the five markup
   * characters become references, and control characters other than tab and newline (which the
   * HTML parser would flag) become U+FFFD.
   */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            case '\t', '\n' -> null;
            default -> (c < 0x20 || (c >= 0x7f && c < 0xa0)) ? "\uFFFD" : null;
          };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * A relative path with '/' separators as a URL path: each segment percent-encoded as UTF-8,
   * keeping only RFC 3986's unreserved characters, so that no name can become a scheme
   * ({@code javascript:}), a query, a fragment or a step out of its folder. Segments "." and
   * ".." are kept as steps: they come from relativizing, never from a file name.
   */
  static String urlPath(String relative) {
    StringBuilder out = new StringBuilder(relative.length() + 16);
    String[] segments = relative.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        out.append('/');
      }
      String segment = segments[i];
      if (segment.equals(".") || segment.equals("..")) {
        out.append(segment);
      } else {
        encodeSegment(segment, out);
      }
    }
    return out.toString();
  }

  private static void encodeSegment(String segment, StringBuilder out) {
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }

  /**
   * A command line as a person would retype it in a POSIX shell: words with anything but
   * letters, digits and {@code -_./=:,+%@} are single-quoted. For display only.
   */
  static String shellWords(List<String> words) {
    StringBuilder out = new StringBuilder();
    for (String word : words) {
      if (out.length() > 0) {
        out.append(' ');
      }
      if (!word.isEmpty() && word.chars().allMatch(Html::plainShellChar)) {
        out.append(word);
      } else {
        out.append('\'').append(word.replace("'", "'\\''")).append('\'');
      }
    }
    return out.toString();
  }

  private static boolean plainShellChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-_./=:,+%@".indexOf(c) >= 0;
  }

  /** 1536 -> "1.5 KB"; units of 1024, as {@code ls -h} and file managers show them. */
  static String bytes(long bytes) {
    if (bytes < 0) {
      return "?";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
  }
}
