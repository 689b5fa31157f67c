package io.tollgate.processor.genainormalize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.tollgate.core.model.Values;
import io.tollgate.core.testing.StringForm;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTreeWriter} against Jackson's generator (the writer it replaced, kept as {@link
 * Json#writeValueWithJackson}): the same bytes on the wire for every document, held as UTF-8
 * bytes whenever the document has no lone surrogate.
 */
class JsonTreeWriterTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Characters that exercise every branch: escapes, 1–4 byte UTF-8, surrogates. */
  private static final String[] PIECES = {
    "a", "Z", " ", "/", "\"", "\\", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f",
    "\u007f", "é", "ß", "\u0080", "\u07ff", "\u0800", "漢", "\uffff", "\ufeff", "😀", "🚀",
    "\\u", "\\uD83D", "uD", "hello world, ", "<tag>", "?",
  };

  @Test
  void writesTheSameBytesAsJacksonForGeneratedDocuments() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      JsonNode doc = container(r, 0);
      assertSameAsJackson(doc);
    }
  }

  @Test
  void aLoneSurrogateIsLeftToJackson() {
    for (String lone : new String[] {"\ud83d", "\ude00", "x\ud83d", "\ud83dx", "\ude00\ud83d"}) {
      ArrayNode doc = NODES.arrayNode().add(NODES.textNode(lone));
      assertThat(JsonTreeWriter.write(doc)).as(lone).isNull();
      ObjectNode key = NODES.objectNode().put(lone, 1);
      assertThat(JsonTreeWriter.write(key)).as(lone).isNull();
      assertSameAsJackson(doc);
      assertSameAsJackson(key);
    }
  }

  @Test
  void nodesItDoesNotKnowAreLeftToJackson() {
    JsonNode[] others = {
      NODES.numberNode(Double.NaN),
      NODES.numberNode(Double.POSITIVE_INFINITY),
      NODES.numberNode(Float.NEGATIVE_INFINITY),
      NODES.binaryNode(new byte[] {1, 2, 3}),
      NODES.pojoNode(new StringBuilder("pojo")),
    };
    for (JsonNode n : others) {
      ArrayNode doc = NODES.arrayNode().add("x").add(n);
      assertThat(JsonTreeWriter.write(doc)).as(n.toString()).isNull();
      assertSameAsJackson(doc);
    }
  }

  @Test
  void longTextIsWrittenAcrossChunks() {
    SplittableRandom r = new SplittableRandom(3);
    StringBuilder b = new StringBuilder();
    while (b.length() < 40_000) {
      b.append(PIECES[r.nextInt(PIECES.length)]);
    }
    for (int cut = 0; cut < 4; cut++) { // shift where a pair or an escape meets a chunk's end
      String text = "x".repeat(cut) + b;
      assertSameAsJackson(NODES.arrayNode().add(text));
      assertSameAsJackson(
          NODES.arrayNode().add(new Utf8TextNode(ByteString.copyFromUtf8(text))));
    }
  }

  @Test
  void deepDocumentsAreLeftToJackson() {
    ArrayNode doc = NODES.arrayNode();
    ArrayNode at = doc;
    for (int i = 0; i < JsonTreeWriter.MAX_DEPTH; i++) {
      at = at.addArray();
    }
    assertThat(JsonTreeWriter.write(doc)).isNull();
    assertSameAsJackson(doc);
  }

  @Test
  void theWrittenValueStaysBytesAndEqualsOneBuiltWithTheCheckedSetter() {
    byte[] utf8 = "[{\"role\":\"user\",\"content\":\"Grüße 😀\"}]".getBytes(UTF_8);
    AnyValue v = Json.writeValue(Json.parse(new String(utf8, UTF_8)));
    assertThat(StringForm.isBytes(v)).isTrue();
    assertThat(v.getStringValueBytes().toByteArray()).isEqualTo(utf8);
    AnyValue checked =
        AnyValue.newBuilder().setStringValueBytes(ByteString.copyFrom(utf8)).build();
    assertThat(v.toByteString()).isEqualTo(checked.toByteString());
    assertThat(v).isEqualTo(checked).isEqualTo(Values.of(new String(utf8, UTF_8)));
  }

  /** Same wire bytes and value as Jackson's writer; bytes-backed when Jackson's would be. */
  private static void assertSameAsJackson(JsonNode doc) {
    AnyValue jackson = Json.writeValueWithJackson(doc);
    AnyValue mine = Json.writeValue(doc);
    // Asked first: equals() reads the value as a String, which protobuf then keeps.
    if (StringForm.isBytes(jackson)) {
      assertThat(StringForm.isBytes(mine)).as(doc::toString).isTrue();
      assertThat(mine.getStringValueBytes()).isEqualTo(jackson.getStringValueBytes());
    }
    assertThat(mine.toByteString()).as(doc::toString).isEqualTo(jackson.toByteString());
    assertThat(mine).as(doc::toString).isEqualTo(jackson);
    // And what Jackson writes as a String, the reference of the earlier tests.
    assertThat(mine.getStringValue())
        .as(doc::toString)
        .isEqualTo(Values.of(Json.write(doc)).getStringValue());
  }

  private static JsonNode container(SplittableRandom r, int depth) {
    if (r.nextBoolean()) {
      ObjectNode o = NODES.objectNode();
      for (int i = 0, n = r.nextInt(5); i < n; i++) {
        o.set(text(r), node(r, depth + 1));
      }
      return o;
    }
    ArrayNode a = NODES.arrayNode();
    for (int i = 0, n = r.nextInt(5); i < n; i++) {
      a.add(node(r, depth + 1));
    }
    return a;
  }

  private static JsonNode node(SplittableRandom r, int depth) {
    switch (r.nextInt(depth < 4 ? 16 : 14)) {
      case 0:
      case 1:
        return NODES.textNode(text(r));
      case 2:
      case 3:
        return new Utf8TextNode(ByteString.copyFromUtf8(text(r)));
      case 4:
        {
          // a Utf8TextNode over part of a larger array (as a slice of a received value)
          byte[] all = ("xx" + text(r) + "yy").getBytes(UTF_8);
          return new Utf8TextNode(ByteString.copyFrom(all).substring(2, all.length - 2));
        }
      case 5:
        return NODES.numberNode(r.nextInt());
      case 6:
        return NODES.numberNode(r.nextLong() >> r.nextInt(64));
      case 7:
        return NODES.numberNode(decimal(r));
      case 8:
        return NODES.numberNode(Double.longBitsToDouble(r.nextLong()) % 1e6 * 1e-3);
      case 9:
        return NODES.numberNode(
            r.nextBoolean()
                ? (double) r.nextInt(1000)
                : Math.scalb(r.nextDouble(), r.nextInt(-300, 300)));
      case 10:
        return r.nextBoolean()
            ? NODES.numberNode((float) r.nextDouble(-1e6, 1e6))
            : NODES.numberNode((short) r.nextInt());
      case 11:
        return NODES.numberNode(new BigInteger(80, new java.util.Random(r.nextLong())).negate());
      case 12:
        return NODES.booleanNode(r.nextBoolean());
      case 13:
        return NODES.nullNode();
      default:
        return container(r, depth);
    }
  }

  private static BigDecimal decimal(SplittableRandom r) {
    BigDecimal d = BigDecimal.valueOf(r.nextLong() >> r.nextInt(60), r.nextInt(-12, 20));
    if (r.nextInt(4) == 0) {
      d = new BigDecimal(d.toString() + "0"); // trailing zeros kept
    }
    return r.nextInt(5) == 0 ? new BigDecimal("1.0E" + r.nextInt(-40, 40)) : d;
  }

  private static String text(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0, n = r.nextInt(12); i < n; i++) {
      b.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }
}
