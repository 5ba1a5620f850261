package dev.imgpool.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A rate such as {@code 5/s}, {@code 300/m} or {@code 1000/h}, in permits per second. */
record Rate(double perSecond, String text) {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*(s|sec|m|min|h|hour)");

  static Rate parse(String text) {
    Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid rate '" + text + "': expected N/s, N/m or N/h, such as 5/s");
    }
    double amount = Double.parseDouble(m.group(1));
    if (!(amount > 0)) {
      throw new IllegalArgumentException("invalid rate '" + text + "': it must be above zero");
    }
    double seconds =
        switch (m.group(2)) {
          case "s", "sec" -> 1;
          case "m", "min" -> 60;
          default -> 3600;
        };
    return new Rate(amount / seconds, text);
  }
}
