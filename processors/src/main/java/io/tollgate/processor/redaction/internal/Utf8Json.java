package io.tollgate.processor.redaction.internal;

import io.tollgate.processor.internal.JsonEscapes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The string leaves of a JSON document held as UTF-8, without decoding the document: {@link
 * JsonLeafWalker} on bytes. Each leaf is handed over as its raw bytes between the quotes, so that
 * the caller can ask {@link BytePrefilter} about the leaf alone and decode only the leaves that may
 * hold something ({@link #decodeLeaf}).
 *
 * <p>It only ever says "done" for a document on which {@link JsonLeafWalker} says "done" over the
 * decoded characters, with the same leaves (same characters) and fields, in the same order: it
 * follows the same grammar, and gives up in every case where that walker does, and in a few more (a
 * name of more than 1,000 <em>bytes</em>, a leaf of more than 2<sup>20</sup> raw bytes, an escaped
 * surrogate, bytes that are not well-formed UTF-8). Then the caller takes the char path, which
 * decides as before.
 *
 * <p>After a successful {@link #walk}, {@link #canonical()} says whether the document is written
 * exactly as Jackson's generator writes it back ({@link JsonText#rewrite}): no white space between
 * tokens, integers only (and no {@code -0}), and in strings no escapes but Jackson's own ({@code
 * \"}, {@code \\}, {@code \b}, {@code \f}, {@code \n}, {@code \r}, {@code \t}). Then rewriting some
 * leaves leaves every other byte as it is, and the caller can splice the new leaves into the bytes
 * ({@link #writeLeaf}) instead of parsing and generating the whole document again.
 *
 * <p>One instance per thread ({@link #get()}); not thread-safe.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class Utf8Json {

  /** Receives the string leaves of a document in document order. */
  public interface LeafVisitor {
    /**
     * The leaf number {@code index}: raw bytes {@code b[from, to)} between its quotes; {@code
     * escaped} when they hold a backslash; {@code field} as in {@link JsonText.Leaf#field()}.
     */
    void leaf(int index, byte[] b, int from, int to, boolean escaped, String field);
  }

  // The limits of JsonLeafWalker, which counts characters; bytes are never fewer.
  private static final int MAX_DEPTH = 64;
  private static final int MAX_NUMBER = 100;
  private static final int MAX_NAME = 1_000;
  private static final int MAX_STRING = 1 << 20;

  private static final ThreadLocal<Utf8Json> WALKERS = ThreadLocal.withInitial(Utf8Json::new);

  public static Utf8Json get() {
    return WALKERS.get();
  }

  /** Thrown (preallocated, without a stack) when the walker gives up. */
  private static final class GiveUp extends RuntimeException {
    GiveUp() {
      super("not plain JSON", null, false, false);
    }
  }

  private static final GiveUp GIVE_UP = new GiveUp();

  private byte[] doc;
  private int end;
  private int leafIndex;
  private boolean canonical;
  private LeafVisitor visitor;
  // Field names seen lately, by their bytes, so that "role" is not a new String per document.
  private final String[] names = new String[64];
  private final byte[][] nameBytes = new byte[64][];

  private Utf8Json() {}

  /** Whether the first byte that is not JSON white space opens an object or an array. */
  public static boolean startsLikeDocument(byte[] b, int from, int to) {
    int i = from;
    while (i < to && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i < to && (b[i] == '{' || b[i] == '[');
  }

  /**
   * Gives {@code visitor} the string leaves of the document {@code b[from, to)} and returns true;
   * or returns false, possibly after some leaves, when this walker does not take it (see above).
   */
  public boolean walk(byte[] b, int from, int to, LeafVisitor visitor) {
    this.doc = b;
    this.end = to;
    this.visitor = visitor;
    leafIndex = 0;
    int i = skipSpace(from);
    // A root object or array only: anything else is not JSON to the char path (looksLikeJson).
    canonical = i == from;
    try {
      if (i >= to || (b[i] != '{' && b[i] != '[')) {
        return false;
      }
      i = value(i, null, 0);
      int j = skipSpace(i);
      canonical &= j == i;
      return j == to;
    } catch (GiveUp | IndexOutOfBoundsException e) {
      return false;
    } finally {
      this.doc = null;
      this.visitor = null;
    }
  }

  /** After a successful {@link #walk}: whether Jackson writes the document back byte for byte. */
  public boolean canonical() {
    return canonical;
  }

  /**
   * During a {@link #walk} (from a {@link LeafVisitor}): whether the document read so far, up to
   * the end of the leaf being visited, is canonical. Once false it stays false, so a visitor can
   * stop preparing an edit of the bytes that {@link #canonical()} would refuse at the end.
   */
  public boolean canonicalSoFar() {
    return canonical;
  }

  private int skipSpace(int i) {
    while (i < end) {
      byte c = doc[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  /** Like {@link #skipSpace}, and notes that white space is not canonical. */
  private int space(int i) {
    int j = skipSpace(i);
    if (j != i) {
      canonical = false;
    }
    return j;
  }

  private int expect(int i) {
    if (i >= end) {
      throw GIVE_UP;
    }
    return i;
  }

  private int value(int i, String field, int depth) {
    byte c = doc[expect(i)];
    switch (c) {
      case '{':
        return object(i + 1, depth + 1);
      case '[':
        return array(i + 1, field, depth + 1);
      case '"':
        return leaf(i + 1, field);
      case 't':
        return literal(i, "true");
      case 'f':
        return literal(i, "false");
      case 'n':
        return literal(i, "null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number(i);
        }
        throw GIVE_UP;
    }
  }

  private int object(int i, int depth) {
    if (depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    i = space(i);
    if (doc[expect(i)] == '}') {
      return i + 1;
    }
    while (true) {
      if (doc[i] != '"') {
        throw GIVE_UP;
      }
      int e = stringEnd(i + 1);
      if (doc[e] != '"' || e - (i + 1) > MAX_NAME) {
        throw GIVE_UP; // an escaped name: JsonLeafWalker leaves it to Jackson
      }
      String field = name(i + 1, e);
      i = space(e + 1);
      if (doc[expect(i)] != ':') {
        throw GIVE_UP;
      }
      i = value(space(i + 1), field, depth);
      i = space(i);
      byte c = doc[expect(i)];
      if (c == '}') {
        return i + 1;
      }
      if (c != ',') {
        throw GIVE_UP;
      }
      i = space(i + 1);
      expect(i);
    }
  }

  private int array(int i, String field, int depth) {
    if (depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    i = space(i);
    if (doc[expect(i)] == ']') {
      return i + 1;
    }
    while (true) {
      i = space(value(i, field, depth));
      byte c = doc[expect(i)];
      if (c == ']') {
        return i + 1;
      }
      if (c != ',') {
        throw GIVE_UP;
      }
      i = space(i + 1);
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH = 0x8080808080808080L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long QUOTES = 0x0101010101010101L * '"';
  private static final long BACKSLASHES = 0x0101010101010101L * '\\';
  // Added to a byte below 0x80, sets its high bit when it is at least 0x20.
  private static final long AT_LEAST_SPACE = 0x0101010101010101L * (0x80 - 0x20);

  /**
   * The first '"', '\\' or control character from {@code i}, checking that every non-ASCII
   * character on the way is well-formed UTF-8; eight plain ASCII bytes per step.
   */
  private int stringEnd(int i) {
    final byte[] b = doc;
    final int to = end;
    while (true) {
      while (i + 8 <= to) {
        long v = (long) LONGS.get(b, i);
        long low = v & LOW7;
        // High bit of each byte that is a quote, a backslash, below 0x20, or not ASCII.
        long stop = (eq(low, QUOTES) | eq(low, BACKSLASHES) | ~(low + AT_LEAST_SPACE) | v) & HIGH;
        if (stop != 0) {
          i += Long.numberOfTrailingZeros(stop) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= to) {
        throw GIVE_UP;
      }
      byte c = b[i];
      if (c >= 0) {
        if (c == '"' || c == '\\' || c < 0x20) {
          return i;
        }
        i++;
        continue;
      }
      int len = BytePrefilter.sequenceLength(b, i, to);
      if (len < 0) {
        throw GIVE_UP; // not well-formed: the char path decides, on toStringUtf8()'s U+FFFDs
      }
      i += len;
    }
  }

  /** The high bit of each byte of {@code v} (all below 0x80) that equals the byte of {@code c}. */
  private static long eq(long v, long c) {
    long y = v ^ c;
    return ~(((y & LOW7) + LOW7) | y) & HIGH;
  }

  /** The string leaf whose contents start at {@code i}; returns the position after its quote. */
  private int leaf(int i, String field) {
    int e = stringEnd(i);
    boolean escaped = false;
    while (doc[e] != '"') {
      if (doc[e] != '\\') {
        throw GIVE_UP; // an unescaped control character: Jackson refuses it
      }
      escaped = true;
      byte x = doc[expect(e + 1)];
      int next = e + 2;
      switch (x) {
        case '"':
        case '\\':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          break;
        case '/':
          canonical = false; // Jackson writes '/'
          break;
        case 'u':
          {
            expect(e + 5);
            int v = 0;
            for (int k = e + 2; k < e + 6; k++) {
              int h = hex(doc[k]);
              if (h < 0) {
                throw GIVE_UP;
              }
              v = v << 4 | h;
            }
            if (v >= 0xD800 && v <= 0xDFFF) {
              throw GIVE_UP; // a surrogate: the char path keeps it as it is
            }
            canonical = false; // Jackson writes the character, or its own escape
            next = e + 6;
            break;
          }
        default:
          throw GIVE_UP;
      }
      e = stringEnd(next);
    }
    if (e - i > MAX_STRING) {
      throw GIVE_UP;
    }
    visitor.leaf(leafIndex++, doc, i, e, escaped, field);
    return e + 1;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** The field name {@code doc[from, to)} (well-formed UTF-8, no escapes), cached by its bytes. */
  private String name(int from, int to) {
    int len = to - from;
    int h = len;
    for (int k = from; k < to; k++) {
      h = 31 * h + doc[k];
    }
    int slot = (h ^ (h >>> 16)) & (names.length - 1);
    byte[] cached = nameBytes[slot];
    if (cached != null && cached.length == len) {
      int k = 0;
      while (k < len && cached[k] == doc[from + k]) {
        k++;
      }
      if (k == len) {
        return names[slot];
      }
    }
    byte[] copy = new byte[len];
    System.arraycopy(doc, from, copy, 0, len);
    String name = new String(copy, StandardCharsets.UTF_8);
    nameBytes[slot] = copy;
    names[slot] = name;
    return name;
  }

  private int literal(int i, String word) {
    int len = word.length();
    expect(i + len - 1);
    for (int k = 0; k < len; k++) {
      if (doc[i + k] != word.charAt(k)) {
        throw GIVE_UP;
      }
    }
    return i + len;
  }

  /** A number in JSON's own syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private int number(int i) {
    int start = i;
    if (doc[i] == '-') {
      i++;
    }
    byte c = doc[expect(i)];
    if (c == '0') {
      i++;
      if (doc[start] == '-') {
        canonical = false; // Jackson writes -0 as 0
      }
    } else if (c >= '1' && c <= '9') {
      i = digits(i);
    } else {
      throw GIVE_UP;
    }
    if (i < end && doc[i] == '.') {
      int d = digits(i + 1);
      if (d == i + 1) {
        throw GIVE_UP;
      }
      i = d;
      canonical = false; // Jackson writes a decimal number in its own form
    }
    if (i < end && (doc[i] == 'e' || doc[i] == 'E')) {
      i++;
      if (i < end && (doc[i] == '+' || doc[i] == '-')) {
        i++;
      }
      int d = digits(i);
      if (d == i) {
        throw GIVE_UP;
      }
      i = d;
      canonical = false;
    }
    if (i - start > MAX_NUMBER) {
      throw GIVE_UP;
    }
    return i;
  }

  private int digits(int i) {
    while (i < end && doc[i] >= '0' && doc[i] <= '9') {
      i++;
    }
    return i;
  }

  // ------------------------------------------------------------------ leaves

  /**
   * Decodes the raw leaf {@code b[from, to)} (as {@link #walk} gave it: well-formed UTF-8, valid
   * escapes, no surrogate escapes) into {@code out}, which must hold {@code to - from} chars;
   * returns the number of chars: the characters {@link JsonLeafWalker} hands over for the leaf.
   */
  public static int decodeLeaf(byte[] b, int from, int to, boolean escaped, char[] out) {
    return decodeLeaf(b, from, to, escaped, out, 0);
  }

  /**
   * {@link #decodeLeaf(byte[], int, int, boolean, char[])} of a part of a leaf that starts at a
   * character (not inside an escape or a multi-byte character), into {@code out} from {@code at}.
   */
  public static int decodeLeaf(byte[] b, int from, int to, boolean escaped, char[] out, int at) {
    if (!escaped) {
      return Utf8Text.decode(b, from, to - from, out, at);
    }
    int j = at;
    int i = from;
    while (i < to) {
      int r = i;
      while (r < to && b[r] != '\\') {
        r++;
      }
      if (r > i) {
        j += Utf8Text.decode(b, i, r - i, out, j);
      }
      if (r >= to) {
        break;
      }
      byte x = b[r + 1];
      char c;
      int next = r + 2;
      if (x == 'u') {
        c = (char) (hex(b[r + 2]) << 12 | hex(b[r + 3]) << 8 | hex(b[r + 4]) << 4 | hex(b[r + 5]));
        next = r + 6;
      } else {
        c = (char) JsonEscapes.charOf(x); // the walk accepted only the eight it stands for
      }
      out[j++] = c;
      i = next;
    }
    return j - at;
  }

  /**
   * Writes into {@code out} (from its start) the canonical document {@code b[from, to)} with the
   * raw leaves {@code [from + rawFrom[k], from + rawTo[k])} (ascending, as {@link #walk} gave them)
   * replaced by {@code leaves[k]} for {@code k < count}, written as Jackson writes a string; a null
   * leaf stays as it is. Returns false when a new leaf holds a lone surrogate (see {@link
   * #writeLeaf}).
   */
  public static boolean splice(
      byte[] b,
      int from,
      int to,
      int[] rawFrom,
      int[] rawTo,
      String[] leaves,
      int count,
      ByteSink out) {
    return splice(b, from, to, rawFrom, rawTo, leaves, null, null, null, count, out);
  }

  /**
   * {@link #splice(byte[], int, int, int[], int[], String[], int, ByteSink)} where, for each leaf
   * {@code k} with {@code keepBefore[k] >= 0}, the new leaf is known to begin with the old leaf's
   * first {@code keepBefore[k]} characters and to end with its characters from {@code keepAfter[k]}
   * to its end ({@code oldLength[k]}), as the anonymizer leaves the text before the first finding
   * and after the last one: those stay as their raw bytes (the same bytes Jackson writes for them
   * in a canonical document), and only the characters between are written.
   */
  public static boolean splice(
      byte[] b,
      int from,
      int to,
      int[] rawFrom,
      int[] rawTo,
      String[] leaves,
      int[] keepBefore,
      int[] keepAfter,
      int[] oldLength,
      int count,
      ByteSink out) {
    out.reset();
    int pos = from;
    for (int k = 0; k < count; k++) {
      String leaf = leaves[k];
      if (leaf == null) {
        continue;
      }
      int rf = from + rawFrom[k];
      int rt = from + rawTo[k];
      if (keepBefore != null && keepBefore[k] >= 0) {
        long at = rawOffsets(b, rf, rt, keepBefore[k], keepAfter[k]);
        if (at >= 0) {
          int a = (int) (at >>> 32);
          int z = (int) at;
          out.write(b, pos, a);
          int middleEnd = leaf.length() - (oldLength[k] - keepAfter[k]);
          if (!writeLeaf(leaf, keepBefore[k], middleEnd, out)) {
            return false;
          }
          pos = z;
          continue;
        }
      }
      out.write(b, pos, rf);
      if (!writeLeaf(leaf, 0, leaf.length(), out)) {
        return false;
      }
      pos = rt;
    }
    out.write(b, pos, to);
    return true;
  }

  /**
   * The raw byte offsets in the leaf {@code b[from, to)} of its characters {@code first} and {@code
   * second} ({@code first <= second}), packed as {@code first << 32 | second}; -1 when one of them
   * falls between the two chars of a surrogate pair (a 4-byte sequence) or past the end.
   */
  static long rawOffsets(byte[] b, int from, int to, int first, int second) {
    int i = from;
    int c = 0; // chars before b[i]
    int a = -1;
    int target = first;
    while (true) {
      if (c == target) {
        if (a < 0) {
          a = i;
          target = second;
          continue;
        }
        return (long) a << 32 | i;
      }
      if (c > target || i >= to) {
        return -1;
      }
      // Eight ASCII bytes without a backslash are eight chars.
      while (target - c >= 8 && i + 8 <= to) {
        long v = (long) LONGS.get(b, i);
        if (((eq(v & LOW7, BACKSLASHES) | v) & HIGH) != 0) {
          break;
        }
        i += 8;
        c += 8;
      }
      if (c == target) {
        continue;
      }
      byte x = b[i];
      if (x >= 0) {
        i += x != '\\' ? 1 : b[i + 1] == 'u' ? 6 : 2;
        c++;
      } else if ((x & 0xE0) == 0xC0) {
        i += 2;
        c++;
      } else if ((x & 0xF0) == 0xE0) {
        i += 3;
        c++;
      } else {
        i += 4;
        c += 2;
      }
    }
  }

  /**
   * Turns the ascending character offsets {@code at[0, count)} of the text whose raw bytes are
   * {@code b[from, to)} into byte offsets in {@code b}, in place: the text is a JSON leaf's raw
   * bytes ({@code json}: well-formed UTF-8 and escapes, as {@link #walk} gave them) or plain
   * well-formed UTF-8. An offset may be the text's length ({@code to}). Returns false when an
   * offset falls between the two chars of a surrogate pair (a 4-byte sequence) or past the end.
   */
  public static boolean toRawOffsets(
      byte[] b, int from, int to, boolean json, int[] at, int count) {
    return toRawOffsets(b, from, to, json, at, 0, count);
  }

  /**
   * {@link #toRawOffsets(byte[], int, int, boolean, int[], int)} of {@code at[first, first +
   * count)}.
   */
  public static boolean toRawOffsets(
      byte[] b, int from, int to, boolean json, int[] at, int first, int count) {
    int i = from;
    int c = 0; // chars before b[i]
    for (int k = first; k < first + count; k++) {
      int target = at[k];
      while (c < target) {
        // Eight ASCII bytes (without a backslash in JSON) are eight chars.
        while (target - c >= 8 && i + 8 <= to) {
          long v = (long) LONGS.get(b, i);
          long stop = json ? (eq(v & LOW7, BACKSLASHES) | v) & HIGH : v & HIGH;
          if (stop != 0) {
            break;
          }
          i += 8;
          c += 8;
        }
        if (c >= target) {
          break;
        }
        if (i >= to) {
          return false;
        }
        byte x = b[i];
        if (x >= 0) {
          i += json && x == '\\' ? (b[i + 1] == 'u' ? 6 : 2) : 1;
          c++;
        } else if ((x & 0xE0) == 0xC0) {
          i += 2;
          c++;
        } else if ((x & 0xF0) == 0xE0) {
          i += 3;
          c++;
        } else {
          i += 4;
          c += 2;
        }
      }
      if (c != target) {
        return false;
      }
      at[k] = i;
    }
    return true;
  }

  /**
   * The bytes that {@link #writeUtf8} ({@code escaped} false) or {@link #writeLeaf} ({@code
   * escaped} true) writes for {@code s}; -1 when it holds a lone surrogate.
   */
  public static int encodedLength(String s, boolean escaped) {
    int n = s.length();
    int length = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length += !escaped || (c >= 0x20 && c != '"' && c != '\\') ? 1 : asciiEscapeLength(c);
      } else if (c < 0x800) {
        length += 2;
      } else if (!Character.isSurrogate(c)) {
        length += 3;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else {
        return -1;
      }
    }
    return length;
  }

  /** The bytes of the JSON escape of an ASCII character that needs one. */
  private static int asciiEscapeLength(char c) {
    return c == '"' || c == '\\' || SHORT_ESCAPES.indexOf(c) >= 0 ? 2 : 6;
  }

  /**
   * Appends {@code s} to {@code out} as UTF-8, as {@code ByteString.copyFromUtf8} encodes it;
   * returns false (having written part of it) when {@code s} holds a lone surrogate, which protobuf
   * would write as {@code ?}: the caller then keeps the String.
   */
  public static boolean writeUtf8(String s, ByteSink out) {
    int n = s.length();
    int need = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      need += c < 0x80 ? 1 : c < 0x800 ? 2 : 3; // a surrogate pair: 3 + 3 for 4 bytes
    }
    out.ensure(need);
    byte[] b = out.bytes;
    int p = out.size;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else {
        int next = putNonAscii(s, i, n, b, p);
        if (next < 0) {
          out.size = p;
          return false;
        }
        i += next - p == 4 ? 1 : 0; // a surrogate pair took two chars
        p = next;
      }
    }
    out.size = p;
    return true;
  }

  /**
   * Writes the non-ASCII char {@code s[i]} as UTF-8 at {@code b[p]} (with the low surrogate after
   * it, as one code point, when it is a high surrogate); returns the position after it, or -1 for a
   * lone surrogate.
   */
  private static int putNonAscii(String s, int i, int n, byte[] b, int p) {
    char c = s.charAt(i);
    if (c < 0x800) {
      b[p++] = (byte) (0xC0 | c >> 6);
      b[p++] = (byte) (0x80 | (c & 0x3F));
    } else if (Character.isSurrogate(c)) {
      if (!Character.isHighSurrogate(c)
          || i + 1 >= n
          || !Character.isLowSurrogate(s.charAt(i + 1))) {
        return -1;
      }
      int cp = Character.toCodePoint(c, s.charAt(i + 1));
      b[p++] = (byte) (0xF0 | cp >> 18);
      b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      b[p++] = (byte) (0x80 | (cp & 0x3F));
    } else {
      b[p++] = (byte) (0xE0 | c >> 12);
      b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      b[p++] = (byte) (0x80 | (c & 0x3F));
    }
    return p;
  }

  /**
   * Appends {@code s} to {@code out} as Jackson's generator writes a JSON string's contents (see
   * {@link JsonText#rewrite}), in UTF-8: {@code "} and {@code \} escaped, control characters as
   * {@code \b \t \n \f \r} or {@code \\u00XX}, everything else as it is. Returns false (having
   * written part of it) when {@code s} holds a lone surrogate, which this does not write.
   */
  public static boolean writeLeaf(String s, ByteSink out) {
    return writeLeaf(s, 0, s.length(), out);
  }

  /** {@link #writeLeaf(String, ByteSink)} of {@code s[start, end)}. */
  static boolean writeLeaf(String s, int start, int end, ByteSink out) {
    int n = end;
    // Exactly the room needed (at most six bytes a char), so that an edited value's array keeps
    // little unused space (see ByteSink#array).
    int need = 0;
    for (int i = start; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        need += c < 0x800 ? 2 : 3; // a surrogate pair: 3 + 3 for 4 bytes
      } else if (c >= 0x20) {
        need += c == '"' || c == '\\' ? 2 : 1;
      } else {
        need += SHORT_ESCAPES.indexOf(c) >= 0 ? 2 : 6;
      }
    }
    out.ensure(need);
    byte[] b = out.bytes;
    int p = out.size;
    for (int i = start; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
          continue;
        }
        b[p++] = '\\';
        switch (c) {
          case '"':
          case '\\':
            b[p++] = (byte) c;
            break;
          case '\b':
            b[p++] = 'b';
            break;
          case '\t':
            b[p++] = 't';
            break;
          case '\n':
            b[p++] = 'n';
            break;
          case '\f':
            b[p++] = 'f';
            break;
          case '\r':
            b[p++] = 'r';
            break;
          default:
            b[p++] = 'u';
            b[p++] = '0';
            b[p++] = '0';
            b[p++] = HEX_DIGITS[c >> 4];
            b[p++] = HEX_DIGITS[c & 0xF];
            break;
        }
      } else {
        int next = putNonAscii(s, i, n, b, p);
        if (next < 0) {
          out.size = p;
          return false;
        }
        i += next - p == 4 ? 1 : 0; // a surrogate pair took two chars
        p = next;
      }
    }
    out.size = p;
    return true;
  }

  // The control characters Jackson writes as a two-byte escape.
  private static final String SHORT_ESCAPES = "\b\t\n\f\r";

  private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /** A growable byte buffer, reused per thread by the caller. */
  public static final class ByteSink {
    byte[] bytes;
    int size;

    public ByteSink(int capacity) {
      bytes = new byte[capacity];
    }

    public void reset() {
      size = 0;
    }

    void ensure(int more) {
      if (size + more > bytes.length) {
        byte[] bigger = new byte[Math.max(size + more, 2 * bytes.length)];
        System.arraycopy(bytes, 0, bigger, 0, size);
        bytes = bigger;
      }
    }

    public void write(byte[] b, int from, int to) {
      ensure(to - from);
      System.arraycopy(b, from, bytes, size, to - from);
      size += to - from;
    }

    public int size() {
      return size;
    }

    /** Whether the bytes written are {@code b[from, to)}. */
    public boolean contentEquals(byte[] b, int from, int to) {
      return size == to - from && java.util.Arrays.equals(bytes, 0, size, b, from, to);
    }

    /** The array written into: bytes {@code [0, size())}. */
    public byte[] array() {
      return bytes;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
      return java.util.Arrays.copyOf(bytes, size);
    }

    public int capacity() {
      return bytes.length;
    }
  }
}
