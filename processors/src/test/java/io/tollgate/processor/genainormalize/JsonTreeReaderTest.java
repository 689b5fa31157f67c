package io.tollgate.processor.genainormalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonTreeReader} against Jackson's mapper (the reader it stands in front of): whatever it
 * reads, Jackson reads as the same tree (same node types, numbers with the same scale, keys in the
 * same order, the same text), and what Jackson rejects it never reads.
 */
class JsonTreeReaderTest {

  private static final String[] STRING_PIECES = {
    "a", "hello world", " ", "é", "漢字", "😀", "/", "<b>", "?",
    "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
    "\\u00e9", "\\u00E9", "\\u0000", "\\u001f", "\\u6F22", "\\uD83D\\uDE00", "\\ud83d\\ude00",
    "\\uFFFF", "\\u001F", "\\u0007", "\\u000A", "\\u000a", "\\u0022", "\\u005C", "\\u0041",
  };

  /** Escapes and bytes Jackson rejects or that are left to it. */
  private static final String[] BAD_STRING_PIECES = {
    "\t", "\n", "\u0001", "\\x", "\\u12", "\\uD83D", "\\uDE00", "\\uD83Dx", "\\'", "\\U00e9",
  };

  private static final String[] NUMBERS = {
    "0", "-0", "1", "-1", "123", "2147483647", "2147483648", "-2147483648", "-2147483649",
    "999999999999999999", "-999999999999999999", "1.0", "1.50", "-0.0", "0.0", "1e5", "1E+5",
    "1.5e-3", "0.1000000000000000055", "3.14159", "100", "1e0", "-1.0E-10",
  };

  private static final String[] BAD_NUMBERS = {
    "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity", "1000000000000000000",
    "12345678901234567890", "1x", "0x10", "--1",
  };

  private static final String[] BLANKS = {"", "", "", " ", "\n", "\t", "\r\n  "};
  private static final String[] BAD_BLANKS = {"\u000B", "\f", "\u001c"};

  @Test
  void readsWhatJacksonReadsAsTheSameTree() {
    SplittableRandom r = new SplittableRandom(11);
    int read = 0;
    int total = 10_000;
    for (int i = 0; i < total; i++) {
      boolean valid = r.nextInt(4) != 0;
      String text = container(r, 0, valid ? 0 : 0.02);
      if (r.nextInt(40) == 0) {
        text = text + pick(r, new String[] {" x", "]", "}", ",", " 1", "\f"});
      }
      if (r.nextInt(40) == 0) {
        text = pick(r, BAD_BLANKS) + text;
      }
      if (compare(text)) {
        read++;
      }
    }
    // Not vacuous: most documents (three in four are valid) are read here, not left to Jackson.
    assertThat(read).isGreaterThan(total / 2);
  }

  @Test
  void leavesToJacksonWhatItDoesNotRead() {
    String[] left = {
      "{\"a\":1,\"a\":2}", // a repeated key
      "[\"\\uD83D\"]", // a lone surrogate
      "[1000000000000000000]", // 19 digits
      "[NaN]",
      "[1, 2,]",
      "{\"a\" 1}",
      "[\"unterminated]",
      "[] []",
      "[tru]",
      "\f[]",
    };
    for (String text : left) {
      assertThat(JsonTreeReader.read(ByteString.copyFromUtf8(text))).as(text).isNull();
      compare(text);
    }
    int depth = JsonTreeReader.MAX_DEPTH + 1;
    String deep = "[".repeat(depth) + "]".repeat(depth);
    assertThat(JsonTreeReader.read(ByteString.copyFromUtf8(deep))).isNull();
  }

  @Test
  void stringsWithoutEscapesAreViewsOfTheValue() {
    ByteString utf8 = ByteString.copyFromUtf8("{\"content\": \"Grüße 😀\", \"n\": \"a\\nb\"}");
    JsonNode n = JsonTreeReader.read(utf8);
    assertThat(n.get("content")).isInstanceOf(Utf8TextNode.class);
    assertThat(((Utf8TextNode) n.get("content")).utf8().toStringUtf8()).isEqualTo("Grüße 😀");
    assertThat(n.get("n").textValue()).isEqualTo("a\nb");
  }

  @Test
  void stringsWithEscapesAsTheWriterWritesThemAreKeptEscaped() {
    String[] asWritten = {
      "a\\nb", "say \\\"hi\\\"", "C:\\\\x", "\\t\\r\\b\\f", "bell \\u0007 \\u001F"
    };
    String[] decoded = {"a\nb", "say \"hi\"", "C:\\x", "\t\r\b\f", "bell \u0007 \u001F"};
    for (int i = 0; i < asWritten.length; i++) {
      String doc = "[\"" + asWritten[i] + "\"]";
      Utf8TextNode n = (Utf8TextNode) JsonTreeReader.read(ByteString.copyFromUtf8(doc)).get(0);
      assertThat(n.escaped()).as(doc).isNotNull();
      assertThat(n.escaped().toStringUtf8()).as(doc).isEqualTo(asWritten[i]);
      assertThat(n.textValue()).as(doc).isEqualTo(decoded[i]);
      assertThat(n.utf8().toStringUtf8()).as(doc).isEqualTo(decoded[i]);
      assertThat(n).as(doc).isEqualTo(new Utf8TextNode(ByteString.copyFromUtf8(decoded[i])));
      assertThat(n).as(doc).isEqualTo(new TextNode(decoded[i]));
      assertThat(n.hashCode()).as(doc).isEqualTo(new TextNode(decoded[i]).hashCode());
      compare(doc);
    }
    // Escapes the writer would write otherwise: decoded, then escaped again when written.
    String[] rewritten = {"\\/", "\\u00e9", "\\u000A", "\\u001f", "\\u0041", "a\\nb\\/"};
    for (String other : rewritten) {
      String doc = "[\"" + other + "\"]";
      Utf8TextNode n = (Utf8TextNode) JsonTreeReader.read(ByteString.copyFromUtf8(doc)).get(0);
      assertThat(n.escaped()).as(doc).isNull();
      compare(doc);
    }
  }

  /** Compares both readers on {@code text}; true when this reader read it. */
  private static boolean compare(String text) {
    ByteString utf8 = ByteString.copyFromUtf8(text);
    JsonNode mine = JsonTreeReader.read(utf8);
    JsonNode jackson;
    Json.jacksonOnly = true;
    try {
      jackson = Json.parse(AnyValue.newBuilder().setStringValueBytes(utf8).build());
    } finally {
      Json.jacksonOnly = false;
    }
    if (mine == null) {
      return false;
    }
    assertThat(jackson).as("Jackson rejects what was read: %s", text).isNotNull();
    assertSameTree(mine, jackson, text);
    assertThat(Json.write(mine)).as(text).isEqualTo(Json.write(jackson));
    // As bytes too: strings held in their escaped form are copied as they are.
    assertThat(Json.writeValue(mine).getStringValueBytes())
        .as(text)
        .isEqualTo(Json.writeValueWithJackson(jackson).getStringValueBytes());
    return true;
  }

  private static void assertSameTree(JsonNode mine, JsonNode jackson, String text) {
    if (mine instanceof Utf8TextNode) {
      assertThat(jackson).as(text).isInstanceOf(TextNode.class);
      assertThat(mine.textValue()).as(text).isEqualTo(jackson.textValue());
      return;
    }
    assertThat(mine.getClass()).as(text).isEqualTo(jackson.getClass());
    if (mine.isObject()) {
      List<Map.Entry<String, JsonNode>> a = new ArrayList<>(mine.properties());
      List<Map.Entry<String, JsonNode>> b = new ArrayList<>(jackson.properties());
      assertThat(a.size()).as(text).isEqualTo(b.size());
      for (int i = 0; i < a.size(); i++) {
        assertThat(a.get(i).getKey()).as(text).isEqualTo(b.get(i).getKey());
        assertSameTree(a.get(i).getValue(), b.get(i).getValue(), text);
      }
    } else if (mine.isArray()) {
      assertThat(mine.size()).as(text).isEqualTo(jackson.size());
      Iterator<JsonNode> b = jackson.elements();
      for (JsonNode e : mine) {
        assertSameTree(e, b.next(), text);
      }
    } else if (mine instanceof DecimalNode) {
      assertThat(mine.decimalValue()).as(text).isEqualTo(jackson.decimalValue()); // scale too
    } else {
      assertThat(mine).as(text).isEqualTo(jackson);
    }
  }

  private static String container(SplittableRandom r, int depth, double bad) {
    StringBuilder b = new StringBuilder();
    boolean object = r.nextBoolean();
    b.append(object ? '{' : '[').append(pick(r, BLANKS));
    List<String> keys = new ArrayList<>();
    for (int i = 0, n = r.nextInt(5); i < n; i++) {
      if (i > 0) {
        b.append(pick(r, BLANKS)).append(',').append(pick(r, BLANKS));
      }
      if (object) {
        String key = r.nextInt(30) == 0 && !keys.isEmpty() ? keys.get(0) : string(r, bad);
        keys.add(key);
        b.append(key).append(pick(r, BLANKS)).append(':').append(pick(r, BLANKS));
      }
      b.append(value(r, depth + 1, bad));
    }
    if (r.nextDouble() < bad) {
      b.append(',');
    }
    return b.append(pick(r, BLANKS)).append(object ? '}' : ']').toString();
  }

  private static String value(SplittableRandom r, int depth, double bad) {
    switch (r.nextInt(depth < 4 ? 7 : 5)) {
      case 0:
      case 1:
        return string(r, bad);
      case 2:
        return r.nextDouble() < bad * 5 ? pick(r, BAD_NUMBERS) : pick(r, NUMBERS);
      case 3:
        return r.nextDouble() < bad * 5
            ? pick(r, new String[] {"tru", "nul", "truex", "False"})
            : pick(r, new String[] {"true", "false", "null"});
      case 4:
        return r.nextDouble() < bad ? pick(r, BAD_BLANKS) + "1" : pick(r, NUMBERS);
      default:
        return container(r, depth, bad);
    }
  }

  private static String string(SplittableRandom r, double bad) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0, n = r.nextInt(8); i < n; i++) {
      b.append(r.nextDouble() < bad ? pick(r, BAD_STRING_PIECES) : pick(r, STRING_PIECES));
    }
    return b.append('"').toString();
  }

  private static String pick(SplittableRandom r, String[] from) {
    return from[r.nextInt(from.length)];
  }
}
