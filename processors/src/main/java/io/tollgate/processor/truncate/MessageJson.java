package io.tollgate.processor.truncate;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tollgate.processor.internal.JsonEscapes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>The document is either a {@code String} or UTF-8 bytes, as a decoded value holds it: reading
 * the bytes directly spares decoding them to UTF-16 and encoding the cut result back. Positions
 * ({@link #end}, {@link #committedEnd}) are then byte indexes; widths and code points are the same
 * as for the decoded text. In a {@code String} the second half of a surrogate pair takes a position
 * but no width, in UTF-8 a continuation byte: the scan counts both as "extra units". Everything
 * JSON gives meaning to is ASCII, which in UTF-8 is never part of a multi-byte character, so the
 * rest of the scan reads a byte as the {@code char} of the same value.
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

  private final String json; // null when reading bytes
  private final byte[] utf8; // null when reading a String
  private final int length; // of json or utf8
  private int[] leaves = new int[8 * STRIDE];
  private int count;
  private int width;

  // While scanning: extra units (surrogate pairs' second halves, UTF-8 continuation bytes) so far,
  // and those, the escapes' extra chars and where the last escape starts in the last string read.
  private int pairs;
  private int stringPairs;
  private int stringEscapeChars;
  private int stringLastEscape;
  private int[] keys; // start, end of the keys of the open objects (verifying only)
  private int keyTop;

  private MessageJson(String json) {
    this.json = json;
    this.utf8 = null;
    this.length = json.length();
  }

  private MessageJson(byte[] utf8) {
    this.json = null;
    this.utf8 = utf8;
    this.length = utf8.length;
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

  /**
   * {@code utf8} (valid UTF-8, as every decoded string value is) read as {@link #read(String,
   * boolean, StreamReadConstraints)} reads its decoded text with {@code verify}: null when that
   * would be null. Also null in a few cases where the decoded text would be read (a string or key
   * within the limits in chars but not in bytes): the caller then decodes and reads the text.
   */
  static MessageJson read(byte[] utf8, StreamReadConstraints limits) {
    MessageJson doc = new MessageJson(utf8);
    return doc.scan(true, limits) ? doc : null;
  }

  /** The document read from a String, or null when it was read from bytes. */
  String json() {
    return json;
  }

  /** The document read from UTF-8 bytes, or null when it was read from a String. */
  byte[] utf8() {
    return utf8;
  }

  /** The unit (char or byte) at {@code i}: a byte as the char of its unsigned value. */
  private char at(int i) {
    return utf8 != null ? (char) (utf8[i] & 0xFF) : json.charAt(i);
  }

  /** Whether {@code ascii} occurs at {@code i}. */
  private boolean startsWith(String ascii, int i) {
    if (utf8 == null) {
      return json.startsWith(ascii, i);
    }
    if (i + ascii.length() > length) {
      return false;
    }
    for (int k = 0; k < ascii.length(); k++) {
      if (utf8[i + k] != ascii.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the {@code n} units at {@code a} and at {@code b} are the same. */
  private boolean sameUnits(int a, int b, int n) {
    if (utf8 == null) {
      return json.regionMatches(a, json, b, n);
    }
    return Arrays.equals(utf8, a, a + n, utf8, b, b + n);
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
    int end = leaves[o + END];
    if (utf8 != null) {
      // From i (a lead byte, or where the last probe stopped) to the lead byte of code point n;
      // k counts the lead bytes passed, so i may stop inside a character between two words.
      byte[] u = utf8;
      while (true) {
        if (i + 8 <= end) {
          long x = Utf8Length.word(u, i);
          if (!Utf8Length.hasByte(x, '\\')) {
            int leads = 8 - Utf8Length.continuationBytes(x);
            if (k + leads <= n) {
              k += leads;
              w += leads;
              i += 8;
              continue;
            }
          }
        }
        if (i == end) {
          break; // not reached: n is below the string's code points
        }
        byte c = u[i];
        if ((c & 0xC0) != 0x80) {
          if (k == n) {
            break;
          }
          k++;
          if (c == '\\') {
            int escape = u[i + 1] == 'u' ? 6 : 2;
            i += escape;
            w += escape;
            continue;
          }
          w++;
        }
        i++;
      }
    } else if (end - leaves[o + START] == leaves[o + WIDTH]) {
      // No surrogate pair: between escapes each char is one code point, one wide. Jump from escape
      // to escape (indexOf is vectorised), never past the last one into other strings.
      int lastEscape = leaves[o + LAST_ESCAPE];
      while (k < n) {
        int run = Math.min((i <= lastEscape ? json.indexOf('\\', i) : end) - i, n - k);
        i += run;
        w += run;
        k += run;
        if (k < n) {
          int escape = json.charAt(i + 1) == 'u' ? 6 : 2;
          i += escape;
          w += escape;
          k++;
        }
      }
    } else {
      String s = json;
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
    int n = length;
    if (n == 0 || (at(0) != '{' && at(0) != '[')) {
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
      char c = at(p);
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
        if (p < n && at(p) == (object ? '}' : ']')) {
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
      } else if (startsWith("true", p) || startsWith("null", p)) {
        p += 4;
      } else if (startsWith("false", p)) {
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
        char d = at(p++);
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
    if (p >= length || at(p) != '"') {
      return -1;
    }
    int start = p + 1;
    int end = string(start, verify);
    if (end < 0 || end + 1 >= length || at(end + 1) != ':') {
      return -1;
    }
    int keyLength = end - start; // units: a limit in chars holds when it holds in bytes
    if (verify) {
      if (keyLength > limits.getMaxNameLength()) {
        return -1;
      }
      // A repeated key: Jackson keeps the last value, so its output would differ.
      int first = top >>> 2;
      if (keyTop - first >= 2 * MAX_CHECKED_KEYS) {
        return -1;
      }
      for (int k = first; k < keyTop; k += 2) {
        if (keys[k + 1] - keys[k] == keyLength && sameUnits(keys[k], start, keyLength)) {
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
    inTextAfterKey = parentInText || isOneOf(start, keyLength, TEXT_FIELDS);
    skipAfterKey = !inTextAfterKey && isOneOf(start, keyLength, STRUCTURAL_FIELDS);
    return end + 2;
  }

  private boolean isOneOf(int start, int n, String[] names) {
    for (String name : names) {
      if (name.length() == n && startsWith(name, start)) {
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
    int n = length;
    int surrogatePairs = 0;
    int escapeChars = 0;
    int lastEscape = -1;
    while (true) {
      if (utf8 != null) {
        long plain = plainUtf8(utf8, i, n);
        i = (int) (plain >>> 32);
        surrogatePairs += (int) plain; // continuation bytes: extra units as well
      } else {
        i = plain(json, i, n);
      }
      if (i >= n) {
        return -1;
      }
      char c = at(i);
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
        char e = at(i + 1);
        if (e == 'u') {
          if (i + 6 > n || (verify && !isJacksonUnicodeEscape(i + 2))) {
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
        // Half a surrogate pair (plainUtf8 stops only at the cases above).
        String s = json;
        i++;
        if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(s.charAt(i))) {
          i++;
          surrogatePairs++;
        }
      }
    }
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

  /**
   * {@link #plain} for UTF-8: the index of the first byte from {@code i} that is a quote, a
   * backslash or a control character (or {@code n}) in the high half, and the number of
   * continuation bytes before it in the low half.
   */
  private static long plainUtf8(byte[] u, int i, int n) {
    int continuation = 0;
    // Eight bytes at a time (prompts are long runs). The word that ends the run says where: its
    // lowest flagged byte is the first one that ends it, so no byte is read twice.
    for (; i + 8 <= n; i += 8) {
      long x = Utf8Length.word(u, i);
      long stops = JsonEscapes.bytesToEscape(x);
      if (stops != 0) {
        int before = Long.numberOfTrailingZeros(stops) >>> 3; // bytes of the run in this word
        continuation += Utf8Length.continuationBytes(x & ((1L << (before << 3)) - 1));
        return ((long) (i + before) << 32) | continuation;
      }
      continuation += Utf8Length.continuationBytes(x);
    }
    for (; i < n; i++) {
      byte b = u[i];
      if ((b >= 0 && b < 0x20) || b == '"' || b == '\\') {
        break;
      }
      if ((b & 0xC0) == 0x80) {
        continuation++;
      }
    }
    return ((long) i << 32) | continuation;
  }

  /** {@code 00XX} at {@code i} for a control character without a two-character escape. */
  private boolean isJacksonUnicodeEscape(int i) {
    if (at(i) != '0' || at(i + 1) != '0') {
      return false;
    }
    char high = at(i + 2);
    char low = at(i + 3);
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
    while (p < length && "0123456789-+.eE".indexOf(at(p)) >= 0) {
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
    int n = length;
    int start = p;
    if (at(p) == '-') {
      p++;
    }
    if (p >= n) {
      return -1;
    }
    char c = at(p);
    if (c == '0') {
      p++;
    } else if (c >= '1' && c <= '9') {
      p = digits(p);
    } else {
      return -1;
    }
    boolean decimal = false;
    if (p < n && at(p) == '.') {
      int from = ++p;
      p = digits(p);
      if (p == from) {
        return -1;
      }
      decimal = true;
    }
    if (p < n && (at(p) == 'e' || at(p) == 'E')) {
      p++;
      if (p < n && (at(p) == '+' || at(p) == '-')) {
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
      String literal =
          utf8 != null
              ? new String(utf8, start, p - start, StandardCharsets.ISO_8859_1)
              : json.substring(start, p);
      try {
        return new BigDecimal(literal).toString().equals(literal) ? p : -1;
      } catch (NumberFormatException e) {
        return -1; // an exponent out of range
      }
    }
    return p - start == 2 && at(start) == '-' && at(start + 1) == '0' ? -1 : p;
  }

  private int digits(int p) {
    while (p < length && isDigit(at(p))) {
      p++;
    }
    return p;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
