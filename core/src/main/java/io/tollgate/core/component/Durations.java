package io.tollgate.core.component;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the OpenTelemetry Collector writes them: {@code 200ms}, {@code 5s}, {@code 1m30s},
 * {@code 2h}, {@code 0}. The config loader uses this for every {@link Duration} field.
 */
public final class Durations {

  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a message that shows the accepted forms
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(
            "\"" + text + "\" is not a duration; write e.g. 200ms, 5s, 1m30s or 2h");
      }
      double n = Double.parseDouble(m.group(1));
      switch (m.group(2)) {
        case "ns":
          nanos += n;
          break;
        case "us":
        case "µs":
          nanos += n * 1e3;
          break;
        case "ms":
          nanos += n * 1e6;
          break;
        case "s":
          nanos += n * 1e9;
          break;
        case "m":
          nanos += n * 60e9;
          break;
        default:
          nanos += n * 3600e9;
      }
      pos = m.end();
    }
    return Duration.ofNanos((long) nanos);
  }

  /** The shortest collector-style spelling: {@code 5s}, {@code 200ms}, {@code 1m30s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L != 0) {
      if (nanos % 1_000_000L == 0) {
        return nanos / 1_000_000L + "ms";
      }
      if (nanos % 1_000L == 0) {
        return nanos / 1_000L + "us";
      }
      return nanos + "ns";
    }
    long secs = d.getSeconds();
    StringBuilder sb = new StringBuilder();
    if (secs >= 3600) {
      sb.append(secs / 3600).append('h');
      secs %= 3600;
    }
    if (secs >= 60) {
      sb.append(secs / 60).append('m');
      secs %= 60;
    }
    if (secs > 0) {
      sb.append(secs).append('s');
    }
    return sb.toString();
  }
}
