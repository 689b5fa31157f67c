package io.tollgate.core.component;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written in config as a number of bytes or with a unit: {@code 64MiB},
 * {@code 512KiB}, {@code 1GiB}, {@code 10MB} (decimal units are accepted too).
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

  private static final Pattern FORMAT =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b|b)?\\s*", Pattern.CASE_INSENSITIVE);

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative: " + bytes);
    }
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  public static ByteSize ofKiB(long kib) {
    return new ByteSize(kib * 1024);
  }

  public static ByteSize ofMiB(long mib) {
    return new ByteSize(mib * 1024 * 1024);
  }

  @JsonCreator
  public static ByteSize fromJson(Object value) {
    if (value instanceof Number) {
      return new ByteSize(((Number) value).longValue());
    }
    return parse(String.valueOf(value));
  }

  /**
   * @throws IllegalArgumentException with a message that shows the accepted forms
   */
  public static ByteSize parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a size; write bytes (65536) or a unit: 512KiB, 64MiB, 1GiB");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    double factor;
    switch (unit) {
      case "b":
        factor = 1;
        break;
      case "kib":
        factor = 1024d;
        break;
      case "mib":
        factor = 1024d * 1024;
        break;
      case "gib":
        factor = 1024d * 1024 * 1024;
        break;
      case "tib":
        factor = 1024d * 1024 * 1024 * 1024;
        break;
      case "kb":
        factor = 1e3;
        break;
      case "mb":
        factor = 1e6;
        break;
      case "gb":
        factor = 1e9;
        break;
      default:
        factor = 1e12;
    }
    return new ByteSize((long) (n * factor));
  }

  @JsonValue
  @Override
  public String toString() {
    long b = bytes;
    if (b != 0 && b % (1024L * 1024 * 1024) == 0) {
      return b / (1024L * 1024 * 1024) + "GiB";
    }
    if (b != 0 && b % (1024L * 1024) == 0) {
      return b / (1024L * 1024) + "MiB";
    }
    if (b != 0 && b % 1024 == 0) {
      return b / 1024 + "KiB";
    }
    return Long.toString(b);
  }

  @Override
  public int compareTo(ByteSize o) {
    return Long.compare(bytes, o.bytes);
  }
}
