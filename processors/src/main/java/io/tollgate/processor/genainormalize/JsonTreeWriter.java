package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import io.tollgate.core.model.ByteSlice;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a document of the node types the normaliser builds (objects, arrays, strings, {@link
 * Utf8TextNode}s, numbers, booleans, null) as compact UTF-8 JSON, the same bytes as {@code Json}'s
 * Jackson mapper writes, without Jackson's generator: the message JSON of every GenAI span is
 * written here, and the generator's per-character string loop (through a char buffer, segment by
 * segment) was the largest part of the normaliser's time.
 *
 * <p>What it writes as Jackson does: structure without whitespace; strings escaped by Jackson's own
 * table ({@link CharTypes#get7BitOutputEscapes}: control characters, quote, backslash; {@code
 * \\u00XX} with upper-case hex), other characters as their UTF-8 bytes, a surrogate pair as one
 * four-byte character (the mapper combines pairs); numbers as {@code toString} of their value (what
 * the generator writes for ints, longs, BigDecimals without the plain-writing feature, BigIntegers
 * and finite doubles and floats). Anything else answers "not written here" and the caller uses
 * Jackson: a lone surrogate (Jackson escapes it, the normaliser then writes the document as a
 * String), a non-finite number, binary or POJO nodes, nesting deeper than {@link #MAX_DEPTH}.
 * {@code JsonTreeWriterTest} compares the two writers on generated documents and on the benchmark
 * workload's spans.
 *
 * <p>The output is valid UTF-8 by construction: string nodes' bytes are copied from values that
 * protobuf holds as valid UTF-8, and Strings are encoded here with lone surrogates refused.
 */
final class JsonTreeWriter {

  /** Jackson's escapes for ASCII: 0 none, above 0 backslash and that character, below 0 \\u. */
  private static final int[] ESCAPES = JsonBytes.ESCAPES;

  /** Deeper documents go to Jackson (which enforces its own nesting limit). */
  static final int MAX_DEPTH = 200;

  /** Text is escaped this many chars (or bytes) at a time. */
  private static final int CHUNK = 8192;

  /** Buffers that grew past this are let go after the document. */
  private static final int KEEP = 1 << 20;

  private static final ThreadLocal<JsonTreeWriter> WRITERS =
      ThreadLocal.withInitial(JsonTreeWriter::new);

  private byte[] buf = new byte[16 * 1024];
  private int size;
  private final ByteSlice slice = new ByteSlice();

  private JsonTreeWriter() {}

  /**
   * {@code node} as UTF-8 JSON in an array of its exact size, or null when the document holds
   * something written only by Jackson (see the class comment).
   */
  static byte[] write(JsonNode node) {
    if (!JsonBytes.ESCAPES_AS_SCANNED) {
      return null; // a Jackson that escapes more than the byte scan finds: Jackson writes
    }
    JsonTreeWriter w = WRITERS.get();
    w.size = 0;
    try {
      return w.value(node, 0) ? Arrays.copyOf(w.buf, w.size) : null;
    } finally {
      if (w.buf.length > KEEP) {
        w.buf = new byte[16 * 1024];
      }
      w.slice.clear();
    }
  }

  private boolean value(JsonNode n, int depth) {
    if (n instanceof Utf8TextNode) {
      Utf8TextNode t = (Utf8TextNode) n;
      ByteString escaped = t.escaped();
      return escaped != null ? escaped(escaped) : utf8(t.utf8());
    }
    Class<?> c = n.getClass();
    if (c == ObjectNode.class) {
      if (depth >= MAX_DEPTH) {
        return false;
      }
      ensure(1);
      buf[size++] = '{';
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (!first) {
          ensure(1);
          buf[size++] = ',';
        }
        first = false;
        if (!string(e.getKey())) {
          return false;
        }
        ensure(1);
        buf[size++] = ':';
        if (!value(e.getValue(), depth + 1)) {
          return false;
        }
      }
      ensure(1);
      buf[size++] = '}';
      return true;
    }
    if (c == ArrayNode.class) {
      if (depth >= MAX_DEPTH) {
        return false;
      }
      ensure(1);
      buf[size++] = '[';
      for (int i = 0, k = n.size(); i < k; i++) {
        if (i > 0) {
          ensure(1);
          buf[size++] = ',';
        }
        if (!value(n.get(i), depth + 1)) {
          return false;
        }
      }
      ensure(1);
      buf[size++] = ']';
      return true;
    }
    if (c == TextNode.class) {
      return string(n.textValue());
    }
    if (c == IntNode.class || c == LongNode.class || c == ShortNode.class) {
      return ascii(Long.toString(n.longValue()));
    }
    if (c == DecimalNode.class) {
      return ascii(n.decimalValue().toString());
    }
    if (c == BigIntegerNode.class) {
      return ascii(n.bigIntegerValue().toString());
    }
    if (c == DoubleNode.class) {
      double d = n.doubleValue();
      return Double.isFinite(d) && ascii(Double.toString(d));
    }
    if (c == FloatNode.class) {
      float f = n.floatValue();
      return Float.isFinite(f) && ascii(Float.toString(f));
    }
    if (c == BooleanNode.class) {
      return ascii(n.booleanValue() ? "true" : "false");
    }
    if (c == NullNode.class) {
      return ascii("null");
    }
    return false;
  }

  /** Text known to be ASCII without escapes (numbers, literals). */
  private boolean ascii(String s) {
    int n = s.length();
    ensure(n);
    s.getBytes(0, n, buf, size); // ASCII: the deprecated byte copy is exact and allocates nothing
    size += n;
    return true;
  }

  /** A String as a JSON string; false for a lone surrogate. */
  private boolean string(String s) {
    int n = s.length();
    ensure(1);
    buf[size++] = '"';
    int i = 0;
    while (i < n) {
      // Room for a chunk at six bytes a char (an escape), and a pair that ends past it: the
      // buffer grows with the text, not with six times a long text.
      int stop = Math.min(n, i + CHUNK);
      ensure(6 * (stop - i) + 4);
      byte[] b = buf;
      int o = size;
      for (; i < stop; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          int e = ESCAPES[c];
          if (e == 0) {
            b[o++] = (byte) c;
          } else {
            o = JsonBytes.escapeAscii(b, o, c, e);
          }
        } else if (c < 0x800) {
          b[o++] = (byte) (0xC0 | (c >> 6));
          b[o++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
          char low;
          if (!Character.isHighSurrogate(c)
              || i + 1 == n
              || !Character.isLowSurrogate(low = s.charAt(i + 1))) {
            return false;
          }
          int cp = Character.toCodePoint(c, low);
          i++;
          b[o++] = (byte) (0xF0 | (cp >> 18));
          b[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[o++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          b[o++] = (byte) (0xE0 | (c >> 12));
          b[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          b[o++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      size = o;
    }
    ensure(1);
    buf[size++] = '"';
    return true;
  }

  /**
   * A string value's UTF-8 bytes as a JSON string: copied as they are, runs between escapes copied
   * whole. Always true: the bytes are valid UTF-8 (protobuf checked them when they were set), so
   * they hold no surrogate.
   */
  private boolean utf8(ByteString text) {
    int len = text.size();
    byte[] array;
    int off;
    if (slice.of(text) && len > 0) {
      array = slice.array(); // read only: the array stays the value's
      off = slice.offset();
    } else {
      array = text.toByteArray(); // pieces (a rope) or a buffer
      off = 0;
    }
    slice.clear();
    ensure(1);
    buf[size++] = '"';
    // In chunks, for the same reason as Strings (escapes look at ASCII bytes only, so a chunk may
    // end inside a multi-byte character).
    for (int i = 0; i < len; i += CHUNK) {
      int n = Math.min(CHUNK, len - i);
      ensure(6 * n);
      size += JsonBytes.escape(array, off + i, n, buf, size);
    }
    ensure(1);
    buf[size++] = '"';
    return true;
  }

  /** A string already escaped as {@link #utf8} escapes (see {@link Utf8TextNode#ofEscaped}). */
  private boolean escaped(ByteString body) {
    int len = body.size();
    ensure(len + 2);
    buf[size++] = '"';
    body.copyTo(buf, 0, size, len);
    size += len;
    buf[size++] = '"';
    return true;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
