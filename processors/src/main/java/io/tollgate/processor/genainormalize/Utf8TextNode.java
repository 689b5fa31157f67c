package io.tollgate.processor.genainormalize;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.tollgate.core.model.ByteSlice;
import java.io.IOException;

/**
 * A JSON string held as UTF-8 bytes: those of the attribute value it was copied from, or of the
 * JSON document it was read from ({@link JsonTreeReader}). A message's text is only copied into the
 * message JSON; as a {@link TextNode} it would be decoded to a String and encoded again to be
 * written. {@link JsonTreeWriter} (or Jackson's UTF-8 generator, {@link
 * JsonGenerator#writeUTF8String}) writes its bytes as they are, escaped: the same bytes as its text
 * written as a String, for every character (see {@code Utf8InputTest}).
 *
 * <p>A string read from a JSON document whose escapes are all as that writer writes them (a quote,
 * a backslash, {@code \n} and the like) is held in its escaped form, the document's own bytes:
 * {@link JsonTreeWriter} copies them as they are, and the text is decoded only when asked for. A
 * prompt read from {@code ai.prompt.messages} is then neither decoded nor escaped again.
 *
 * <p>Otherwise it behaves as a {@link TextNode} of its text: textual, {@code asText()} the text
 * (decoded when first asked), equal to a {@code TextNode} of the same text (though a {@code
 * TextNode} does not return the favour: compare trees with {@link Json#sameJson}).
 */
final class Utf8TextNode extends ValueNode {

  private static final long serialVersionUID = 1L;

  /** Longer text is escaped by Jackson, in its buffer, not in one six times its size. */
  private static final int MAX_ESCAPED_HERE = 1 << 20;

  /**
   * Valid UTF-8: a string value's bytes always are (protobuf checks what is set). Null until first
   * asked for when the node holds its escaped form.
   */
  private ByteString utf8;

  /** The text JSON-escaped as {@link JsonBytes#escape} escapes it (valid UTF-8), or null. */
  private final ByteString escaped;

  private transient String text;

  Utf8TextNode(ByteString utf8) {
    this.utf8 = utf8;
    this.escaped = null;
  }

  private Utf8TextNode(ByteString utf8, ByteString escaped) {
    this.utf8 = utf8;
    this.escaped = escaped;
  }

  /**
   * The string whose body in a JSON document is {@code escaped}: bytes that {@link
   * JsonBytes#canonicalEnd} accepted, so exactly what {@link JsonBytes#escape} writes for its text.
   */
  static Utf8TextNode ofEscaped(ByteString escaped) {
    return new Utf8TextNode(null, escaped);
  }

  ByteString utf8() {
    ByteString u = utf8;
    if (u == null) {
      ByteSlice s = new ByteSlice();
      byte[] b;
      int off;
      if (s.of(escaped)) {
        b = s.array();
        off = s.offset();
      } else {
        b = escaped.toByteArray();
        off = 0;
      }
      byte[] out = new byte[escaped.size()]; // the text is never longer than its escaped form
      int n = JsonBytes.unescapeCanonical(b, off, escaped.size(), out);
      u = UnsafeByteOperations.unsafeWrap(out, 0, n);
      utf8 = u;
    }
    return u;
  }

  /** The text in its escaped form (see {@link #ofEscaped}), or null when not held so. */
  ByteString escaped() {
    return escaped;
  }

  private String text() {
    String t = text;
    if (t == null) {
      t = utf8().toStringUtf8();
      text = t;
    }
    return t;
  }

  @Override
  public JsonNodeType getNodeType() {
    return JsonNodeType.STRING;
  }

  @Override
  public JsonToken asToken() {
    return JsonToken.VALUE_STRING;
  }

  @Override
  public String textValue() {
    return text();
  }

  @Override
  public String asText() {
    return text();
  }

  // What a TextNode of the text answers (it parses the text), for a caller that asks.

  @Override
  public boolean asBoolean(boolean defaultValue) {
    return new TextNode(text()).asBoolean(defaultValue);
  }

  @Override
  public int asInt(int defaultValue) {
    return new TextNode(text()).asInt(defaultValue);
  }

  @Override
  public long asLong(long defaultValue) {
    return new TextNode(text()).asLong(defaultValue);
  }

  @Override
  public double asDouble(double defaultValue) {
    return new TextNode(text()).asDouble(defaultValue);
  }

  @Override
  public byte[] binaryValue() throws IOException {
    return new TextNode(text()).binaryValue();
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
    if (!(g instanceof UTF8JsonGenerator)) {
      g.writeString(text()); // a character writer (toString, Json.write) cannot take bytes
      return;
    }
    ByteString utf8 = utf8();
    ByteSlice s = new ByteSlice();
    if (s.of(utf8)) {
      write(g, s.array(), s.offset(), utf8.size()); // read only: the array stays the value's
    } else {
      byte[] copy = utf8.toByteArray(); // pieces (a rope) or a buffer: one string, in one go
      write(g, copy, 0, copy.length);
    }
  }

  /**
   * Text with nothing to escape is copied as it is; other text is escaped as Jackson escapes it (by
   * its own table), runs between escapes copied whole: Jackson's escaping writer looks at every
   * byte on its own to find what the scan finds eight bytes at a time.
   */
  private static void write(JsonGenerator g, byte[] b, int off, int len) throws IOException {
    if (!JsonBytes.needsEscape(b, off, len)) {
      g.writeRawUTF8String(b, off, len);
    } else if (JsonBytes.ESCAPES_AS_SCANNED && len <= MAX_ESCAPED_HERE) {
      byte[] escaped = Json.escapeBuffer(len);
      g.writeRawUTF8String(escaped, 0, JsonBytes.escape(b, off, len, escaped));
    } else {
      g.writeUTF8String(b, off, len);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (o instanceof Utf8TextNode) {
      return utf8().equals(((Utf8TextNode) o).utf8()); // valid UTF-8: same bytes, same text
    }
    return o instanceof TextNode && text().equals(((TextNode) o).textValue());
  }

  @Override
  public int hashCode() {
    return text().hashCode(); // a TextNode's hash: equal nodes of either kind hash alike
  }
}
