package io.tollgate.processor.truncate;

/**
 * Cuts strings to a number of characters, counted as Unicode code points so that a surrogate pair
 * (an emoji, a rare CJK character) is never split, and appends a visible suffix that says how much
 * was cut. The suffix counts toward the limit, so the result always fits.
 */
final class Cutter {

  private final String before; // suffix text before {n}
  private final String after; // after {n}; null when the format has no {n}
  private final int fixedLength; // code points of the suffix without the number

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

  static int digits(long n) {
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }
}
