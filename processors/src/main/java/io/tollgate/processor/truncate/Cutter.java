package io.tollgate.processor.truncate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts strings to a number of characters, counted as Unicode code points so that a surrogate pair
 * (an emoji, a rare CJK character) is never split, and appends a visible suffix that says how much
 * was cut. The suffix counts toward the limit, so the result always fits.
 */
final class Cutter {

  private final String before; // suffix text before {n}
  private final String after; // after {n}; null when the format has no {n}
  private final int fixedLength; // code points of the suffix without the number
  private final byte[] beforeUtf8; // before in UTF-8
  private final byte[] afterUtf8; // after in UTF-8; null when it is
  private final boolean utf8Exact; // the suffix has no lone surrogate: UTF-8 holds it exactly

  Cutter(String suffixFormat) {
    int at = suffixFormat.indexOf("{n}");
    if (at < 0) {
      before = suffixFormat;
      after = null;
    } else {
      before = suffixFormat.substring(0, at);
      after = suffixFormat.substring(at + 3);
    }
    fixedLength = cp(before) + (after == null ? 0 : cp(after));
    beforeUtf8 = before.getBytes(StandardCharsets.UTF_8);
    afterUtf8 = after == null ? null : after.getBytes(StandardCharsets.UTF_8);
    // UTF-8 writes a lone surrogate as '?', where a String keeps it: such a suffix (only a
    // config escape can make one) is appended to Strings, as always.
    utf8Exact = new String(beforeUtf8, StandardCharsets.UTF_8).equals(before)
        && (after == null || new String(afterUtf8, StandardCharsets.UTF_8).equals(after));
  }

  /** Whether {@link #cut(byte[], int, int)} gives exactly the UTF-8 of the String cut. */
  boolean utf8Exact() {
    return utf8Exact;
  }

  String suffix(long cut) {
    return after == null ? before : before + cut + after;
  }

  /** The suffix's text before the number; the whole suffix when it has no number. */
  String suffixBefore() {
    return before;
  }

  /** The suffix's text after the number, or null when it has no number. */
  String suffixAfter() {
    return after;
  }

  int suffixLength(long cut) {
    return after == null ? fixedLength : fixedLength + digits(cut);
  }

  /**
   * {@code s} cut to at most {@code limit} code points, suffix included, or null when it already
   * fits. When not even the suffix fits, the value is cut to {@code limit} without one.
   */
  String cut(String s, int limit) {
    if (s.length() <= limit) {
      return null; // fast path: UTF-16 length bounds the code point count
    }
    int total = cp(s);
    if (total <= limit) {
      return null;
    }
    int keep = keepFor(total, limit);
    if (keep < 0) {
      return s.substring(0, offset(s, limit, total));
    }
    return s.substring(0, offset(s, keep, total)) + suffix(total - keep);
  }

  /**
   * {@link #cut(String, int)} for a value in UTF-8 of {@code total} code points, more than {@code
   * limit}: the UTF-8 of the cut value (exactly, when {@link #utf8Exact}). A code point is never
   * split: the cut is before a lead byte.
   */
  byte[] cut(byte[] utf8, int total, int limit) {
    int keep = keepFor(total, limit);
    if (keep < 0) {
      return Arrays.copyOf(utf8, Utf8Length.offset(utf8, limit));
    }
    int at = Utf8Length.offset(utf8, keep);
    long cut = total - keep;
    int size = at + beforeUtf8.length + (afterUtf8 == null ? 0 : digits(cut) + afterUtf8.length);
    byte[] out = Arrays.copyOf(utf8, size);
    System.arraycopy(beforeUtf8, 0, out, at, beforeUtf8.length);
    if (afterUtf8 != null) {
      int to = writeDigits(cut, out, at + beforeUtf8.length);
      System.arraycopy(afterUtf8, 0, out, to, afterUtf8.length);
    }
    return out;
  }

  /**
   * How many code points of a {@code total}-long value to keep so that they and the suffix fit
   * in {@code limit}; -1 when the suffix alone does not fit.
   */
  int keepFor(int total, int limit) {
    int keep = limit;
    // Each round lowers keep; a longer cut can only lengthen the number in the suffix.
    while (keep + suffixLength(total - keep) > limit) {
      keep = limit - suffixLength(total - keep);
      if (keep < 0) {
        return -1;
      }
    }
    return keep;
  }

  static int cp(String s) {
    return s.codePointCount(0, s.length()); // O(1) for a Latin-1 string
  }

  /**
   * The index in {@code s} after its first {@code n} code points, as {@link
   * String#offsetByCodePoints} finds it; {@code total} is the code point count of {@code s}.
   */
  static int offset(String s, int n, int total) {
    if (total == s.length()) {
      return n; // no surrogate pair: one char per code point
    }
    int length = s.length();
    int i = 0;
    for (int k = 0; k < n; k++) {
      if (Character.isHighSurrogate(s.charAt(i++))
          && i < length
          && Character.isLowSurrogate(s.charAt(i))) {
        i++;
      }
    }
    return i;
  }

  /** Writes {@code n} (not negative) in ASCII at {@code at}; returns the index after it. */
  static int writeDigits(long n, byte[] out, int at) {
    int end = at + digits(n);
    for (int i = end - 1; i >= at; i--) {
      out[i] = (byte) ('0' + n % 10);
      n /= 10;
    }
    return end;
  }

  static int digits(long n) {
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }
}
