package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tollgate.core.model.Values;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;

/** JSON reading and writing with numbers kept exactly as sent. */
final class Json {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  // BigDecimal floats, trailing zeros kept: a tool argument such as 0.1000000000000000055 or 1.50
  // must come out as it went in.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          // "5 apples" is prose, not the number 5.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Written as bytes, an emoji is its four UTF-8 bytes, as written as a String (not the
          // escaped surrogate pair Jackson's UTF-8 writer would otherwise write).
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .build();

  // For reading fields of a JSON object an SDK wrote: Python's json.dumps writes float("inf") as
  // the bare word Infinity (the Langfuse OpenAI integration's max_tokens when none was set), which
  // strict JSON rejects, losing the whole object.
  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** The JSON document in {@code text}, or null when it is not JSON (or is blank). */
  static JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    int n = text.length();
    while (i < n && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i == n) {
      return null;
    }
    if (!mayStartJson(text.charAt(i))) {
      return null; // plain prose: not worth asking the parser
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  /** Whether a JSON document can start with {@code c} (its first character after blanks). */
  private static boolean mayStartJson(char c) {
    return c == '{'
        || c == '['
        || c == '"'
        || c == '-'
        || Character.isDigit(c)
        || c == 't'
        || c == 'f'
        || c == 'n';
  }

  /** Like {@link #parse} but only objects and arrays; null for anything else. */
  static JsonNode parseContainer(String text) {
    JsonNode n = parse(text);
    return n != null && n.isContainerNode() ? n : null;
  }

  /**
   * {@link #parse} of a string value, read from its UTF-8 bytes: a value received as bytes is not
   * turned into a {@code String} (which protobuf would keep, and export would encode again) only
   * to be looked at. Null for a value that is not a string.
   */
  static JsonNode parse(AnyValue v) {
    if (!v.hasStringValue()) {
      return null;
    }
    ByteString utf8 = v.getStringValueBytes();
    int first = firstNonBlank(utf8);
    if (first < 0) {
      return null; // blank, or a character parse(String) would reject as well
    }
    if (!mayStartJson((char) first)) {
      return null;
    }
    if (first == '{' || first == '[') {
      // Plain JSON is read without Jackson, its strings kept as bytes; the rest is Jackson's.
      JsonNode n = jacksonOnly ? null : JsonTreeReader.read(utf8);
      if (n != null) {
        return n;
      }
    }
    if (mightNotBeUtf8(utf8)) {
      return parse(v.getStringValue());
    }
    try (InputStream in = utf8.newInput()) {
      return MAPPER.readTree(in);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@link #parseContainer(String)} of a string value, read from its UTF-8 bytes. */
  static JsonNode parseContainer(AnyValue v) {
    JsonNode n = parse(v);
    return n != null && n.isContainerNode() ? n : null;
  }

  /** {@link #parseObjectLenient(String)} of a string value, read from its UTF-8 bytes. */
  static JsonNode parseObjectLenient(AnyValue v) {
    if (!v.hasStringValue()) {
      return null;
    }
    ByteString utf8 = v.getStringValueBytes();
    if (firstNonBlank(utf8) != '{') {
      return null;
    }
    if (mightNotBeUtf8(utf8)) {
      return parseObjectLenient(v.getStringValue());
    }
    try (InputStream in = utf8.newInput()) {
      JsonNode n = LENIENT.readTree(in);
      return n != null && n.isObject() ? n : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The first character that {@link Character#isWhitespace} does not skip, when it is ASCII; -1
   * when there is none or it is not ASCII. A non-ASCII first character is never the start of a
   * document: it is not one of the characters JSON starts with, and a Unicode space before one
   * is not JSON whitespace, so the String readers reject these values too.
   */
  private static int firstNonBlank(ByteString utf8) {
    for (int i = 0, n = utf8.size(); i < n; i++) {
      int b = utf8.byteAt(i) & 0xFF;
      if (b >= 0x80) {
        return -1;
      }
      if (!Character.isWhitespace(b)) {
        return b;
      }
    }
    return -1;
  }

  /**
   * Whether Jackson, given bytes, might take them for UTF-16 or UTF-32: it looks for zero bytes
   * among the first four. Such values (a NUL right after the first character) go through the
   * String reader, so that the result is always what {@link #parse(String)} gives.
   */
  private static boolean mightNotBeUtf8(ByteString utf8) {
    for (int i = 0, n = Math.min(4, utf8.size()); i < n; i++) {
      if (utf8.byteAt(i) == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The JSON object in {@code text}, accepting {@code NaN} and {@code Infinity} as numbers; null
   * when {@code text} holds no object. Only for reading fields: what it returns is never written.
   */
  static JsonNode parseObjectLenient(String text) {
    if (text == null || text.isBlank() || text.strip().charAt(0) != '{') {
      return null;
    }
    try {
      JsonNode n = LENIENT.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * {@code node} written as a string value held as UTF-8 bytes, which is what export sends: no
   * {@code String} is made to be encoded again later. Equal to {@code Values.of(write(node))}.
   * Written by {@link JsonTreeWriter} (the same bytes as Jackson's, without its generator), or by
   * Jackson for a document that writer leaves to it.
   */
  static AnyValue writeValue(JsonNode node) {
    byte[] utf8 = jacksonOnly ? null : JsonTreeWriter.write(node);
    if (utf8 != null) {
      return Values.ofValidUtf8(utf8); // valid by construction: not checked again
    }
    return writeValueWithJackson(node);
  }

  /**
   * {@code node} written and read back: {@code parse(write(node))}, without Strings when both
   * {@link JsonTreeWriter} and {@link JsonTreeReader} take the document (the same tree: each does
   * what Jackson does on what it takes).
   */
  static JsonNode reparse(JsonNode node) {
    byte[] utf8 = jacksonOnly ? null : JsonTreeWriter.write(node);
    JsonNode n = utf8 == null ? null : JsonTreeReader.read(UnsafeByteOperations.unsafeWrap(utf8));
    return n != null ? n : parse(write(node));
  }

  /**
   * Every document read and written by Jackson: set only by the differential test that runs the
   * benchmark workload through the normaliser both ways and compares the spans byte for byte.
   */
  static volatile boolean jacksonOnly;

  /** {@link #writeValue} by Jackson's generator: what it did before, kept for what it leaves. */
  static AnyValue writeValueWithJackson(JsonNode node) {
    byte[] utf8;
    try {
      Scratch out = SCRATCH.get();
      out.reset();
      MAPPER.writeValue(out, node);
      utf8 = out.toByteArray();
    } catch (IOException | RuntimeException e) {
      return Values.of(write(node));
    }
    if (mayHoldEscapedSurrogate(utf8)) {
      // A lone surrogate (only a String built in code can hold one): the UTF-8 writer escapes
      // it, the String writer keeps it (and protobuf encodes it as '?'). Write it as before.
      return Values.of(write(node));
    }
    return AnyValue.newBuilder().setStringValueBytes(UnsafeByteOperations.unsafeWrap(utf8)).build();
  }

  /**
   * Room for a string of {@code length} bytes escaped (at most six bytes each), reused by the
   * thread: message text is escaped there, then copied into the document.
   */
  static byte[] escapeBuffer(int length) {
    return SCRATCH.get().escapeBuffer(length);
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * A thread's buffers for writing documents: the document is written into one array that grows
   * and is kept (Jackson's {@code writeValueAsBytes} collects it in new blocks each time and
   * joins them), then copied once to its exact size. What grew past {@link #KEEP} is let go.
   */
  private static final class Scratch extends OutputStream {
    private static final int KEEP = 1 << 20;

    private byte[] doc = new byte[16 * 1024];
    private int size;
    private byte[] escaped = new byte[0];

    void reset() {
      size = 0;
      if (doc.length > KEEP) {
        doc = new byte[16 * 1024];
      }
      if (escaped.length > KEEP) {
        escaped = new byte[0];
      }
    }

    byte[] escapeBuffer(int length) {
      int need = 6 * length;
      if (escaped.length < need) {
        escaped = new byte[Math.max(need, 4096)];
      }
      return escaped;
    }

    @Override
    public void write(int b) {
      ensure(1);
      doc[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, doc, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (size + more > doc.length) {
        doc = Arrays.copyOf(doc, Math.max(doc.length * 2, size + more));
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(doc, size);
    }
  }

  /** Whether a backslash, u, D occurs: an escaped surrogate (or such text, escaped: harmless). */
  static boolean mayHoldEscapedSurrogate(byte[] utf8) {
    return JsonBytes.containsBackslashUD(utf8);
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /**
   * An object that will hold about {@code fields} fields: its map is sized for them (the
   * factory's starts at sixteen places, and the message JSON is mostly objects of two to five
   * fields, built for every GenAI span). The same node as {@link #object()} otherwise.
   */
  static ObjectNode object(int fields) {
    return new ObjectNode(NODES, new LinkedHashMap<>((int) Math.ceil(fields / 0.75)));
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** An array that will hold about {@code elements} elements (the factory's grows to ten). */
  static ArrayNode array(int elements) {
    return new ArrayNode(NODES, new ArrayList<>(elements));
  }

  /** An OTLP value as JSON: maps become objects, arrays arrays, bytes base64. */
  static JsonNode of(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return NODES.textNode(v.getStringValue());
      case BOOL_VALUE:
        return NODES.booleanNode(v.getBoolValue());
      case INT_VALUE:
        return NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE:
        return NODES.numberNode(v.getDoubleValue());
      case ARRAY_VALUE:
        ArrayNode a = array();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          a.add(of(e));
        }
        return a;
      case KVLIST_VALUE:
        ObjectNode o = object();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          o.set(kv.getKey(), of(kv.getValue()));
        }
        return o;
      case BYTES_VALUE:
        return NODES.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      default:
        return NODES.nullNode();
    }
  }

  /**
   * A string value as a JSON string that keeps the value's UTF-8 bytes: text that is only copied
   * into a document is written from them, never becoming a String. Null for other values.
   */
  static JsonNode textOf(AnyValue v) {
    return v != null && v.hasStringValue() ? new Utf8TextNode(v.getStringValueBytes()) : null;
  }

  /**
   * Whether two documents are equal as {@link JsonNode#equals} says, but with strings compared by
   * their text whatever node holds them ({@code TextNode.equals} knows only TextNodes).
   */
  static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals(SAME_TEXT, b);
  }

  private static final Comparator<JsonNode> SAME_TEXT =
      (a, b) -> {
        if (a.equals(b)) {
          return 0;
        }
        boolean same =
            (a instanceof Utf8TextNode || b instanceof Utf8TextNode)
                && a.isTextual()
                && b.isTextual()
                && a.textValue().equals(b.textValue());
        return same ? 0 : 1;
      };

  /** The text of a string node, or null for anything else. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
