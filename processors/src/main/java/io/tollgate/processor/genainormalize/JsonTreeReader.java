package io.tollgate.processor.genainormalize;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.tollgate.core.model.ByteSlice;
import io.tollgate.processor.internal.JsonEscapes;
import java.math.BigDecimal;

/**
 * Reads a JSON object or array held as UTF-8 (a string value's bytes) into the tree Jackson's
 * mapper in {@link Json} would build, except that string values are {@link Utf8TextNode}s over the
 * value's own bytes: the message text of Vercel's {@code ai.prompt.messages} and of other JSON
 * sources is only copied into the conventions' messages, and Jackson decoded every character of it
 * into a String (then {@link JsonTreeWriter} encoded it again).
 *
 * <p>Only plain, valid JSON is read here, and the answer is then the same document: objects,
 * arrays, strings (a view of the source, no copy, when it has no escapes or only escapes exactly as
 * {@link JsonTreeWriter} writes them, the text then decoded only when asked for; otherwise escapes
 * decoded to UTF-8), integers of up to 18 digits (an {@code IntNode} when the value fits an int,
 * else a {@code LongNode}), other numbers as {@code BigDecimal}s of their text (the mapper reads
 * floats so and keeps trailing zeros), {@code true}, {@code false}, {@code null}. Anything else,
 * valid or not, is left to Jackson (the answer is null): an escaped lone surrogate, a repeated key,
 * a number with more digits, nesting deeper than {@link #MAX_DEPTH}, very long strings and keys
 * (Jackson limits them), any syntax error, content after the document. {@code JsonTreeReaderTest}
 * compares both readers on generated documents.
 */
final class JsonTreeReader {

  static final int MAX_DEPTH = 100;

  /** Longer strings and keys are Jackson's to read (it limits them: 20M chars, 50k for keys). */
  private static final int MAX_STRING = 1 << 20;

  private static final int MAX_KEY = 1024;
  private static final int MAX_NUMBER = 100;

  private static final ThreadLocal<ByteSlice> SLICES = ThreadLocal.withInitial(ByteSlice::new);

  private final ByteString source;
  private final byte[] b;
  private final int base;
  private final int end;
  private int pos;

  private JsonTreeReader(ByteString source, byte[] b, int base, int end) {
    this.source = source;
    this.b = b;
    this.base = base;
    this.end = end;
    this.pos = base;
  }

  /**
   * The object or array in {@code utf8} (valid UTF-8, as a string value's bytes are), or null when
   * it is left to Jackson.
   */
  static JsonNode read(ByteString utf8) {
    ByteSlice slice = SLICES.get();
    if (!slice.of(utf8)) {
      slice.clear();
      return null; // a rope or a buffer: not worth a copy here
    }
    JsonTreeReader r =
        new JsonTreeReader(utf8, slice.array(), slice.offset(), slice.offset() + utf8.size());
    slice.clear();
    r.skipBlanks();
    int c = r.at(r.pos);
    if (c != '{' && c != '[') {
      return null;
    }
    JsonNode n = r.value(0);
    if (n == null) {
      return null;
    }
    r.skipBlanks();
    return r.pos == r.end ? n : null;
  }

  private int at(int p) {
    return p < end ? b[p] : -1; // -1: 0xFF, never a byte of UTF-8
  }

  /** JSON's four blanks only: Jackson rejects the other characters Java calls whitespace. */
  private void skipBlanks() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private JsonNode value(int depth) {
    switch (at(pos)) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true") ? BooleanNode.TRUE : null;
      case 'f':
        return literal("false") ? BooleanNode.FALSE : null;
      case 'n':
        return literal("null") ? NullNode.instance : null;
      default:
        return number();
    }
  }

  private JsonNode object(int depth) {
    if (depth >= MAX_DEPTH) {
      return null;
    }
    pos++;
    ObjectNode o = Json.object();
    skipBlanks();
    if (at(pos) == '}') {
      pos++;
      return o;
    }
    while (true) {
      if (at(pos) != '"') {
        return null;
      }
      String key = key();
      if (key == null) {
        return null;
      }
      skipBlanks();
      if (at(pos) != ':') {
        return null;
      }
      pos++;
      skipBlanks();
      JsonNode v = value(depth + 1);
      if (v == null || o.replace(key, v) != null) {
        return null; // a repeated key: Jackson decides
      }
      skipBlanks();
      int c = at(pos++);
      if (c == '}') {
        return o;
      }
      if (c != ',') {
        return null;
      }
      skipBlanks();
    }
  }

  private JsonNode array(int depth) {
    if (depth >= MAX_DEPTH) {
      return null;
    }
    pos++;
    ArrayNode a = Json.array();
    skipBlanks();
    if (at(pos) == ']') {
      pos++;
      return a;
    }
    while (true) {
      JsonNode v = value(depth + 1);
      if (v == null) {
        return null;
      }
      a.add(v);
      skipBlanks();
      int c = at(pos++);
      if (c == ']') {
        return a;
      }
      if (c != ',') {
        return null;
      }
      skipBlanks();
    }
  }

  /** A key as a String; null to leave the document to Jackson. */
  private String key() {
    int start = pos + 1;
    int close = JsonBytes.nextEscape(b, start, end);
    if (close < end && b[close] == '"' && close - start <= MAX_KEY) {
      pos = close + 1;
      return new String(b, start, close - start, UTF_8);
    }
    byte[] text = unescape(start, MAX_KEY);
    return text == null ? null : new String(text, 0, unescapedLength, UTF_8);
  }

  /** A string value as bytes of the source (no escapes) or decoded; null to leave it to Jackson. */
  private JsonNode string() {
    int start = pos + 1;
    int close = JsonBytes.nextEscape(b, start, end);
    if (close < end && b[close] == '"' && close - start <= MAX_STRING) {
      pos = close + 1;
      return new Utf8TextNode(source.substring(start - base, close - base));
    }
    if (JsonBytes.ESCAPES_AS_SCANNED && close < end && b[close] == '\\') {
      // Escapes as the writer writes them (a prompt's newlines and quotes): the node keeps the
      // escaped bytes, which the writer copies back as they are; the text is decoded if asked for.
      int quote = JsonBytes.canonicalEnd(b, close, end);
      if (quote >= 0 && quote - start <= MAX_STRING) {
        pos = quote + 1;
        return Utf8TextNode.ofEscaped(source.substring(start - base, quote - base));
      }
    }
    byte[] text = unescape(start, MAX_STRING);
    if (text == null) {
      return null;
    }
    return new Utf8TextNode(UnsafeByteOperations.unsafeWrap(text, 0, unescapedLength));
  }

  private int unescapedLength;

  /**
   * The string from {@code start} with its escapes decoded, as UTF-8 (its length in {@link
   * #unescapedLength}); {@code pos} after its closing quote. Null for a raw control character, an
   * escape Jackson does not accept, an escaped lone surrogate (not UTF-8: Jackson makes it a
   * String), a string longer than {@code max} bytes, or no closing quote.
   */
  private byte[] unescape(int start, int max) {
    int close = start;
    // Find the closing quote first: the decoded text is never longer than the escaped one.
    while (true) {
      close = JsonBytes.nextEscape(b, close, end);
      if (close >= end || b[close] >= 0 && b[close] < 0x20) {
        return null;
      }
      if (b[close] == '"') {
        break;
      }
      close += 2; // a backslash and the character it escapes
    }
    if (close - start > max) {
      return null;
    }
    byte[] out = new byte[close - start];
    int o = 0;
    int i = start;
    while (i < close) {
      int j = JsonBytes.nextEscape(b, i, close);
      System.arraycopy(b, i, out, o, j - i);
      o += j - i;
      if (j == close) {
        break;
      }
      // b[j] is a backslash: quotes and control characters before close were ruled out above.
      int e = j + 1 < close ? b[j + 1] : -1;
      i = j + 2;
      int simple = JsonEscapes.charOf(e);
      if (simple >= 0) {
        out[o++] = (byte) simple;
        continue;
      }
      if (e != 'u') {
        return null;
      }
      int c = hex4(j + 2, close);
      if (c < 0) {
        return null;
      }
      i = j + 6;
      if (Character.isHighSurrogate((char) c)) {
        int low = i + 1 < close && b[i] == '\\' && b[i + 1] == 'u' ? hex4(i + 2, close) : -1;
        if (low < 0 || !Character.isLowSurrogate((char) low)) {
          return null; // a lone surrogate: not UTF-8
        }
        i += 6;
        c = Character.toCodePoint((char) c, (char) low);
      } else if (Character.isLowSurrogate((char) c)) {
        return null;
      }
      o = putUtf8(out, o, c);
    }
    pos = close + 1;
    unescapedLength = o;
    return out;
  }

  private int hex4(int from, int limit) {
    if (from + 4 > limit) {
      return -1;
    }
    int v = 0;
    for (int k = from; k < from + 4; k++) {
      int d = Character.digit(b[k], 16);
      if (d < 0 || b[k] < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  private static int putUtf8(byte[] out, int o, int c) {
    if (c < 0x80) {
      out[o++] = (byte) c;
    } else if (c < 0x800) {
      out[o++] = (byte) (0xC0 | (c >> 6));
      out[o++] = (byte) (0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out[o++] = (byte) (0xE0 | (c >> 12));
      out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      out[o++] = (byte) (0x80 | (c & 0x3F));
    } else {
      out[o++] = (byte) (0xF0 | (c >> 18));
      out[o++] = (byte) (0x80 | ((c >> 12) & 0x3F));
      out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      out[o++] = (byte) (0x80 | (c & 0x3F));
    }
    return o;
  }

  private boolean literal(String word) {
    int n = word.length();
    if (pos + n > end) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (b[pos + k] != word.charAt(k)) {
        return false;
      }
    }
    pos += n;
    return endsToken();
  }

  /** Whether a number or literal ends here (Jackson rejects "truex" and "1x"). */
  private boolean endsToken() {
    int c = at(pos);
    return c == -1 || c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r'
        || c == '\t';
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private JsonNode number() {
    int start = pos;
    int i = pos;
    boolean negative = at(i) == '-';
    if (negative) {
      i++;
    }
    int digitsFrom = i;
    if (at(i) == '0') {
      i++;
    } else {
      while (isDigit(at(i))) {
        i++;
      }
    }
    int intDigits = i - digitsFrom;
    if (intDigits == 0 || (at(digitsFrom) == '0' && isDigit(at(i)))) {
      return null;
    }
    boolean integral = true;
    if (at(i) == '.') {
      integral = false;
      int f = ++i;
      while (isDigit(at(i))) {
        i++;
      }
      if (i == f) {
        return null;
      }
    }
    int e = at(i);
    if (e == 'e' || e == 'E') {
      integral = false;
      i++;
      if (at(i) == '+' || at(i) == '-') {
        i++;
      }
      int x = i;
      while (isDigit(at(i))) {
        i++;
      }
      if (i == x) {
        return null;
      }
    }
    if (i - start > MAX_NUMBER) {
      return null;
    }
    pos = i;
    if (!endsToken()) {
      return null;
    }
    if (integral) {
      if (intDigits > 18) {
        return null; // Jackson's long/BigInteger boundary: its to decide
      }
      long v = 0;
      for (int k = digitsFrom; k < i; k++) {
        v = v * 10 + (b[k] - '0');
      }
      if (negative) {
        v = -v;
      }
      return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
    }
    return DecimalNode.valueOf(new BigDecimal(new String(b, start, i - start, ISO_8859_1)));
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }
}
