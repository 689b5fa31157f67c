package io.tollgate.processor.truncate;

import com.fasterxml.jackson.core.StreamReadConstraints;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Message JSON in the exact form Jackson writes a tree (no whitespace, Jackson's escapes, numbers
 * as it prints them, no repeated keys), read in one pass over the string without building
 * anything: where the strings are that may be cut, how many code points each holds decoded and
 * how many it takes written, and the width of the whole document.
 *
 * <p>Because the text is already what re-serialising its tree would give, a string can be cut
 * in place: the written form of its first {@code n} code points is a prefix of its written form.
 * So the cutter copies the document with each cut string's prefix and an escaped suffix, instead
 * of parsing, editing the tree and writing it out again.
 *
 * <p>Which strings may be cut follows the message conventions: strings under {@code content},
 * {@code arguments}, {@code response} and {@code result} at any depth are text ({@link #TEXT});
 * every other string except structural fields ({@code role}, {@code type}, {@code id}, …) may
 * give way when text alone is not enough ({@link #OTHER}).
 */
final class MessageJson {

  static final int TEXT = 0;
  static final int OTHER = 1;

  private static final String[] TEXT_FIELDS = {"content", "arguments", "response", "result"};
  private static final String[] STRUCTURAL_FIELDS = {
    "role", "type", "id", "name", "finish_reason", "mime_type", "modality", "tool_call_id",
    "call_id"
  };

  // Above this many keys in one object, leave the duplicate check to Jackson (quadratic here).
  private static final int MAX_CHECKED_KEYS = 32;

  // Per string, STRIDE ints: where its content is (quotes excluded), its decoded code points, the
  // code points it takes written, its kind, and a measuring cursor (code points measured so far,
  // where they end, how wide they are written) with the last probe beyond it, and where its last
  // escape starts (-1 without).
  private static final int START = 0;
  private static final int END = 1;
  private static final int CODE_POINTS = 2;
  private static final int WIDTH = 3;
  private static final int KIND = 4;
  private static final int AT_CODE_POINTS = 5;
  private static final int AT_INDEX = 6;
  private static final int AT_WIDTH = 7;
  private static final int PROBE_INDEX = 8;
  private static final int PROBE_WIDTH = 9;
  private static final int LAST_ESCAPE = 10;
  private static final int STRIDE = 11;

  private final String json;
  private int[] leaves = new int[8 * STRIDE];
  private int count;
  private int width;

  // While scanning: surrogate pairs so far, and those, the escapes' extra chars and where the last
  // escape starts in the last string read.
  private int pairs;
  private int stringPairs;
  private int stringEscapeChars;
  private int stringLastEscape;
  private int[] keys; // start, end of the keys of the open objects (verifying only)
  private int keyTop;

  private MessageJson(String json) {
    this.json = json;
  }

  /**
   * {@code json} read as written by Jackson, or null when it is not exactly that: not JSON, not
   * an object or array, or JSON that Jackson would write differently (whitespace, other escapes,
   * other number forms, repeated keys, trailing text) or might refuse under {@code limits}. With
   * {@code verify} false the text must come from Jackson's writer; it is then only read.
   */
  static MessageJson read(String json, boolean verify, StreamReadConstraints limits) {
    MessageJson doc = new MessageJson(json);
    return doc.scan(verify, limits) ? doc : null;
  }

  String json() {
    return json;
  }

  /** Code points of the whole document. */
  int width() {
    return width;
  }

  /** Number of strings that may be cut, in document order. */
  int count() {
    return count;
  }

  int kind(int leaf) {
    return leaves[leaf * STRIDE + KIND];
  }

  /** Code points of the string's value. */
  int codePoints(int leaf) {
    return leaves[leaf * STRIDE + CODE_POINTS];
  }

  /** Code points the string's value takes written (escapes included, quotes not). */
  int writtenWidth(int leaf) {
    return leaves[leaf * STRIDE + WIDTH];
  }

  /** Index in the document after the string's value. */
  int end(int leaf) {
    return leaves[leaf * STRIDE + END];
  }

  /**
   * Written width of the first {@code n} code points of the string's value. Measures forward from
   * the last {@link #commit committed} prefix, so a search whose committed prefix only grows and
   * whose probes beyond it shrink reads each string about twice in all.
   */
  int prefixWidth(int leaf, int n) {
    int o = leaf * STRIDE;
    int k = leaves[o + AT_CODE_POINTS];
    int i = leaves[o + AT_INDEX];
    int w = leaves[o + AT_WIDTH];
    if (n < k) {
      k = 0;
      i = leaves[o + START];
      w = 0;
    }
    String s = json;
    int end = leaves[o + END];
    if (end - leaves[o + START] == leaves[o + WIDTH]) {
      // No surrogate pair: between escapes each char is one code point, one wide. Jump from
      // escape to escape (indexOf is vectorised), never past the last one into other strings.
      int lastEscape = leaves[o + LAST_ESCAPE];
      while (k < n) {
        int run = Math.min((i <= lastEscape ? s.indexOf('\\', i) : end) - i, n - k);
        i += run;
        w += run;
        k += run;
        if (k < n) {
          int escape = s.charAt(i + 1) == 'u' ? 6 : 2;
          i += escape;
          w += escape;
          k++;
        }
      }
    } else {
      for (; k < n; k++) {
        char c = s.charAt(i);
        if (c == '\\') {
          int escape = s.charAt(i + 1) == 'u' ? 6 : 2;
          i += escape;
          w += escape;
        } else {
          i++;
          w++;
          if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(s.charAt(i))) {
            i++;
          }
        }
      }
    }
    leaves[o + PROBE_INDEX] = i;
    leaves[o + PROBE_WIDTH] = w;
    return w;
  }

  /** Makes the last {@link #prefixWidth} probe, of {@code n} code points, the committed prefix. */
  void commit(int leaf, int n) {
    int o = leaf * STRIDE;
    leaves[o + AT_CODE_POINTS] = n;
    leaves[o + AT_INDEX] = leaves[o + PROBE_INDEX];
    leaves[o + AT_WIDTH] = leaves[o + PROBE_WIDTH];
  }

  /** Index in the document after the committed prefix of the string's value. */
  int committedEnd(int leaf) {
    return leaves[leaf * STRIDE + AT_INDEX];
  }

  /** Written width of the committed prefix of the string's value. */
  int committedWidth(int leaf) {
    return leaves[leaf * STRIDE + AT_WIDTH];
  }

  // ---------------------------------------------------------------- reading

  private boolean scan(boolean verify, StreamReadConstraints limits) {
    String s = json;
    int n = s.length();
    if (n == 0 || (s.charAt(0) != '{' && s.charAt(0) != '[')) {
      return false;
    }
    if (verify
        && (n >= 1 << 28 // keeps key positions within the stack's bits
            || limits.getMaxTokenCount() > 0
            || (limits.getMaxDocumentLength() > 0 && n > limits.getMaxDocumentLength()))) {
      return false;
    }
    int maxDepth = verify ? limits.getMaxNestingDepth() : Integer.MAX_VALUE;
    if (verify) {
      keys = new int[16];
    }
    // Open containers: bit 0 object, bit 1 inside text, the rest where its keys start in keys.
    int[] stack = new int[16];
    int depth = 0;
    boolean inText = false; // of the value about to be read
    boolean skip = false; // a structural field: never cut
    int p = 0;
    while (true) {
      // A value starts at p.
      if (p >= n) {
        return false;
      }
      char c = s.charAt(p);
      if (c == '{' || c == '[') {
        boolean object = c == '{';
        if (depth == maxDepth) {
          return false;
        }
        if (depth == stack.length) {
          stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = (keyTop << 2) | (inText ? 2 : 0) | (object ? 1 : 0);
        p++;
        if (p < n && s.charAt(p) == (object ? '}' : ']')) {
          p++;
          depth--;
        } else {
          if (object) {
            p = key(p, stack[depth - 1], verify, limits);
            if (p < 0) {
              return false;
            }
            inText = inTextAfterKey;
            skip = skipAfterKey;
          } else {
            skip = false; // inText stays: an array's elements are in text when it is
          }
          continue;
        }
      } else if (c == '"') {
        int end = string(p + 1, verify);
        if (end < 0 || (verify && end - p - 1 > limits.getMaxStringLength())) {
          return false;
        }
        if (!skip) {
          add(p + 1, end, inText ? TEXT : OTHER);
        }
        p = end + 1;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        p = verify ? verifiedNumber(p, limits.getMaxNumberLength()) : number(p);
        if (p < 0) {
          return false;
        }
      } else if (s.startsWith("true", p) || s.startsWith("null", p)) {
        p += 4;
      } else if (s.startsWith("false", p)) {
        p += 5;
      } else {
        return false;
      }
      // A value ended at p: close containers, or go on to the next element or key.
      while (true) {
        if (depth == 0) {
          width = n - pairs;
          return p == n; // trailing text: Jackson would ignore it
        }
        if (p >= n) {
          return false;
        }
        int top = stack[depth - 1];
        boolean object = (top & 1) != 0;
        char d = s.charAt(p++);
        if (d == ',') {
          if (object) {
            p = key(p, top, verify, limits);
            if (p < 0) {
              return false;
            }
            inText = inTextAfterKey;
            skip = skipAfterKey;
          } else {
            inText = (top & 2) != 0;
            skip = false;
          }
          break;
        }
        if (d != (object ? '}' : ']')) {
          return false;
        }
        keyTop = top >>> 2;
        depth--;
      }
    }
  }

  private boolean inTextAfterKey;
  private boolean skipAfterKey;

  /** Reads {@code "key":} at {@code p} in the object {@code top}; the index after it, or -1. */
  private int key(int p, int top, boolean verify, StreamReadConstraints limits) {
    String s = json;
    if (p >= s.length() || s.charAt(p) != '"') {
      return -1;
    }
    int start = p + 1;
    int end = string(start, verify);
    if (end < 0 || end + 1 >= s.length() || s.charAt(end + 1) != ':') {
      return -1;
    }
    int length = end - start;
    if (verify) {
      if (length > limits.getMaxNameLength()) {
        return -1;
      }
      // A repeated key: Jackson keeps the last value, so its output would differ.
      int first = top >>> 2;
      if (keyTop - first >= 2 * MAX_CHECKED_KEYS) {
        return -1;
      }
      for (int k = first; k < keyTop; k += 2) {
        if (keys[k + 1] - keys[k] == length && s.regionMatches(keys[k], s, start, length)) {
          return -1;
        }
      }
      if (keyTop + 2 > keys.length) {
        keys = Arrays.copyOf(keys, keys.length * 2);
      }
      keys[keyTop++] = start;
      keys[keyTop++] = end;
    }
    // A key with escapes cannot be one of the field names, which have none.
    boolean parentInText = (top & 2) != 0;
    inTextAfterKey = parentInText || isOneOf(start, length, TEXT_FIELDS);
    skipAfterKey = !inTextAfterKey && isOneOf(start, length, STRUCTURAL_FIELDS);
    return end + 2;
  }

  private boolean isOneOf(int start, int length, String[] names) {
    for (String name : names) {
      if (name.length() == length && json.startsWith(name, start)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads a string's content from {@code i}; returns the index of its closing quote, or -1. With
   * {@code verify}, only the escapes Jackson writes are accepted: {@code \" \\ \b \t \n \f \r}
   * and a backslash, {@code u00} and two upper-case hex digits for the other control characters.
   */
  private int string(int i, boolean verify) {
    String s = json;
    int n = s.length();
    int surrogatePairs = 0;
    int escapeChars = 0;
    int lastEscape = -1;
    while ((i = plain(s, i, n)) < n) {
      char c = s.charAt(i);
      if (c == '"') {
        stringPairs = surrogatePairs;
        stringEscapeChars = escapeChars;
        stringLastEscape = lastEscape;
        pairs += surrogatePairs;
        return i;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          return -1;
        }
        lastEscape = i;
        char e = s.charAt(i + 1);
        if (e == 'u') {
          if (i + 6 > n || (verify && !isJacksonUnicodeEscape(s, i + 2))) {
            return -1;
          }
          i += 6;
          escapeChars += 5;
        } else {
          if (verify && "\"\\btnfr".indexOf(e) < 0) {
            return -1;
          }
          i += 2;
          escapeChars += 1;
        }
      } else if (c < 0x20) {
        return -1; // a raw control character: Jackson refuses the document
      } else {
        i++;
        if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(s.charAt(i))) {
          i++;
          surrogatePairs++;
        }
      }
    }
    return -1;
  }

  /**
   * The index of the first char from {@code i} that is not plain string content: a quote, a
   * backslash, a control character or half a surrogate pair. A loop of its own, which the JIT
   * compiles much tighter than the same test inside {@link #string}.
   */
  private static int plain(String s, int i, int n) {
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        return i;
      }
    }
    return n;
  }

  /** {@code 00XX} at {@code i} for a control character without a two-character escape. */
  private static boolean isJacksonUnicodeEscape(String s, int i) {
    if (s.charAt(i) != '0' || s.charAt(i + 1) != '0') {
      return false;
    }
    char high = s.charAt(i + 2);
    char low = s.charAt(i + 3);
    int lowValue =
        low >= '0' && low <= '9' ? low - '0' : low >= 'A' && low <= 'F' ? low - 'A' + 10 : -1;
    if ((high != '0' && high != '1') || lowValue < 0) {
      return false;
    }
    int value = (high - '0') * 16 + lowValue;
    return value != '\b' && value != '\t' && value != '\n' && value != '\f' && value != '\r';
  }

  private void add(int start, int end, int kind) {
    if ((count + 1) * STRIDE > leaves.length) {
      leaves = Arrays.copyOf(leaves, leaves.length * 2);
    }
    int o = count++ * STRIDE;
    int writtenWidth = end - start - stringPairs;
    leaves[o + START] = start;
    leaves[o + END] = end;
    leaves[o + CODE_POINTS] = writtenWidth - stringEscapeChars;
    leaves[o + WIDTH] = writtenWidth;
    leaves[o + KIND] = kind;
    leaves[o + AT_CODE_POINTS] = 0;
    leaves[o + AT_INDEX] = start;
    leaves[o + AT_WIDTH] = 0;
    leaves[o + LAST_ESCAPE] = stringLastEscape;
  }

  /** A number as Jackson writes one (the text is its output). */
  private int number(int p) {
    String s = json;
    while (p < s.length() && "0123456789-+.eE".indexOf(s.charAt(p)) >= 0) {
      p++;
    }
    return p;
  }

  /**
   * A number that Jackson reads and writes back unchanged: an integer other than {@code -0}, or a
   * number with a fraction or an exponent that {@link BigDecimal#toString} prints as written
   * (Jackson reads those as {@code BigDecimal}: {@code 1.10} and {@code 1E-7} stay, {@code 1e-7}
   * would come out as {@code 1E-7}). Anything else goes to Jackson.
   */
  private int verifiedNumber(int p, int maxLength) {
    String s = json;
    int n = s.length();
    int start = p;
    if (s.charAt(p) == '-') {
      p++;
    }
    if (p >= n) {
      return -1;
    }
    char c = s.charAt(p);
    if (c == '0') {
      p++;
    } else if (c >= '1' && c <= '9') {
      p = digits(p);
    } else {
      return -1;
    }
    boolean decimal = false;
    if (p < n && s.charAt(p) == '.') {
      int from = ++p;
      p = digits(p);
      if (p == from) {
        return -1;
      }
      decimal = true;
    }
    if (p < n && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
      p++;
      if (p < n && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
        p++;
      }
      int from = p;
      p = digits(p);
      if (p == from) {
        return -1;
      }
      decimal = true;
    }
    if (p - start > maxLength) {
      return -1;
    }
    if (decimal) {
      String literal = s.substring(start, p);
      try {
        return new BigDecimal(literal).toString().equals(literal) ? p : -1;
      } catch (NumberFormatException e) {
        return -1; // an exponent out of range
      }
    }
    return p - start == 2 && s.charAt(start) == '-' && s.charAt(start + 1) == '0' ? -1 : p;
  }

  private int digits(int p) {
    String s = json;
    while (p < s.length() && isDigit(s.charAt(p))) {
      p++;
    }
    return p;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
