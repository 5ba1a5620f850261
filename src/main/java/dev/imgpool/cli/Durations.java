package dev.imgpool.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users write them: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}, {@code PT2M}. */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");

  /** Far beyond any run, and far below where nanosecond arithmetic overflows. */
  private static final Duration MAX = Duration.ofDays(36_500);

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a one-line message naming the text
   */
  static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Duration result;
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        result = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw invalid(text);
      }
    } else if (WHOLE.matcher(t).matches()) {
      result = Duration.ZERO;
      Matcher part = PART.matcher(t);
      while (part.find()) {
        double amount = Double.parseDouble(part.group(1));
        long unitMillis =
            switch (part.group(2)) {
              case "ms" -> 1;
              case "s" -> 1000;
              case "m" -> 60_000;
              case "h" -> 3_600_000;
              default -> 86_400_000;
            };
        double millis = amount * unitMillis;
        if (millis > MAX.toMillis()) {
          throw new IllegalArgumentException("invalid duration '" + text + "': at most " + MAX.toDays() + " days");
        }
        result = result.plusMillis(Math.round(millis));
      }
    } else {
      throw invalid(text);
    }
    if (result.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("invalid duration '" + text + "': at most " + MAX.toDays() + " days");
    }
    if (result.isNegative() || result.isZero()) {
      throw new IllegalArgumentException("invalid duration '" + text + "': it must be above zero");
    }
    return result;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration '" + text + "': expected a number with a unit, such as 90s, 5m, 1h30m or PT2M");
  }
}
