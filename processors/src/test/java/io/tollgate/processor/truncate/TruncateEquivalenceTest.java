package io.tollgate.processor.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.StringForm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The truncate processor cuts every string exactly as the implementation it replaced did ({@link
 * ReferenceCutter}, the old code kept as an oracle): same cut positions, same suffixes, same JSON
 * out, and the same choice between cutting as JSON and cutting as text. Inputs are seeded and
 * random: ASCII, Latin-1, CJK, emoji and lone surrogates; message JSON with escapes, numbers in
 * every notation, duplicate keys, whitespace, trailing garbage, broken and deeply nested documents;
 * limits around the boundaries and suffixes that need escaping in JSON.
 */
class TruncateEquivalenceTest {

  private static final String[] SUFFIXES = {
    TruncateConfig.DEFAULT_SUFFIX,
    "...",
    "{n}",
    "",
    "\"cut {n}\\\n\"",
    "…\uD83D\uDE00[{n}]\u0001",
    "\uDE00{n}\uD83D", // lone surrogates on both sides of the number
    "[truncated]",
  };

  private static final String[][] ALPHABETS = {
    {"a", "b", "c", "x", " ", "0", "9", ".", "-"},
    {"a", "é", "ü", "ß", "\u00A0", "ÿ", " "},
    {"中", "文", "字", "。", "a"},
    {"\uD83D\uDE00", "\uD83C\uDDEB", "\uD83D\uDC4D\uD83C\uDFFD", "a", " "},
    {"\"", "\\", "\n", "\t", "\r", "\b", "\f", "\u0001", "\u001f", "/", "\u2028", "\u007f", "a"},
    {"a", "\uD800", "\uDC00", "\uD83D", "\uDE00", "b"},
  };

  private static final String[] ROLES = {"system", "user", "assistant", "tool"};

  @Test
  void plainTextIsCutExactlyAsBefore() {
    Random random = new Random(20261122);
    int cut = 0;
    int withoutSuffix = 0;
    for (int round = 0; round < 6000; round++) {
      String suffix = SUFFIXES[random.nextInt(SUFFIXES.length)];
      Pair pair = pair(suffix);
      String s = text(random, length(random));
      int limit = limitAround(random, cp(s));
      boolean jsonKey = random.nextBoolean();
      int r = round;
      String expected = pair.reference.cutString(s, limit, jsonKey);
      String actual = pair.processor.cutString(s, limit, jsonKey);
      assertThat(actual)
          .as(() -> "round %d: %s to %d, suffix %s".formatted(r, quote(s), limit, quote(suffix)))
          .isEqualTo(expected);
      assertSameFromBytes(pair, s, limit, jsonKey, expected, "round " + r);
      if (expected != null) {
        cut++;
        if (s.startsWith(expected)) {
          withoutSuffix++; // the limit is below the suffix, or the suffix is empty
        }
      }
    }
    assertThat(cut).isGreaterThan(2500);
    assertThat(withoutSuffix).as("values cut without a suffix (limit below it)").isPositive();
    assertThat(cutAsBytes).as("values cut on their bytes").isGreaterThan(1000);
  }

  @Test
  void messageJsonIsCutExactlyAsBefore() {
    Random random = new Random(42);
    int asJson = 0;
    int asJsonNotCanonical = 0;
    int asText = 0;
    int fits = 0;
    int threw = 0;
    for (int round = 0; round < 2500; round++) {
      String suffix = SUFFIXES[random.nextInt(SUFFIXES.length)];
      Pair pair = pair(suffix);
      Style style = Style.random(random);
      StringBuilder sb = new StringBuilder();
      write(document(random), style, random, sb);
      String json = corrupt(random, sb.toString());
      int limit = limitAround(random, cp(json));

      int r = round;
      String expected = outcome(() -> pair.reference.cutString(json, limit, true));
      String actual = outcome(() -> pair.processor.cutString(json, limit, true));
      assertThat(actual)
          .as(() -> "round %d (%s): %s to %d, suffix %s".formatted(r, style, json, limit, suffix))
          .isEqualTo(expected);
      int before = cutAsBytes;
      assertSameFromBytes(pair, json, limit, true, expected, "round " + r + " (" + style + ")");
      boolean cutOnBytes = cutAsBytes > before;
      String viaJson = cp(json) > limit ? outcome(() -> pair.json.cut(json, limit)) : null;
      if (expected == null) {
        fits++;
      } else if (expected.startsWith(THREW)) {
        threw++;
      } else if (viaJson != null) {
        assertThat(viaJson).as("round %d: JsonCutter.cut", round).isEqualTo(expected);
        asJson++;
        if (cutOnBytes) {
          jsonCutAsBytes++;
        }
        if (!style.canonical()) {
          asJsonNotCanonical++;
        }
      } else {
        asText++;
      }
    }
    assertThat(asJson).isGreaterThan(900);
    assertThat(asJsonNotCanonical).isGreaterThan(200);
    assertThat(asText).isGreaterThan(300);
    assertThat(fits).isGreaterThan(100);
    assertThat(threw).as("documents Jackson throws on (the span is then passed on as it was)")
        .isPositive();
    assertThat(jsonCutAsBytes).as("message JSON cut on its bytes").isGreaterThan(200);
  }

  @Test
  void whatJacksonWritesIsReadWithoutJackson() throws Exception {
    // The quick path is for documents exactly as Jackson writes them (genai_normalize's output):
    // every one of them must take it, numbers in every notation included.
    ObjectMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    Random random = new Random(11);
    int read = 0;
    for (int round = 0; round < 600; round++) {
      StringBuilder sb = new StringBuilder();
      write(document(random), Style.values()[random.nextInt(Style.values().length)], random, sb);
      JsonNode tree;
      try {
        tree = mapper.readTree(sb.toString());
      } catch (Exception e) {
        continue; // a number Jackson refuses
      }
      String written = tree.toString();
      if (written.contains("\"p39\"")) {
        continue; // more keys in one object than the quick duplicate check takes
      }
      MessageJson doc =
          MessageJson.read(written, true, mapper.getFactory().streamReadConstraints());
      assertThat(doc).as("round %d: %s", round, written).isNotNull();
      assertThat(doc.width()).isEqualTo(cp(written));
      // The same from its UTF-8 bytes: read too, and as wide (code points, not bytes).
      String utf8 = asUtf8(written);
      MessageJson fromBytes = JsonCutter.read(utf8.getBytes(StandardCharsets.UTF_8));
      assertThat(fromBytes).as("round %d from bytes: %s", round, utf8).isNotNull();
      assertThat(fromBytes.width()).isEqualTo(cp(utf8));
      read++;
    }
    assertThat(read).isGreaterThan(400);
  }

  @Test
  void longPromptsLikeTheWorkloadAreCutExactlyAsBefore() {
    Random random = new Random(7);
    Pair pair = pair(TruncateConfig.DEFAULT_SUFFIX);
    int bytesRead = 0;
    for (int round = 0; round < 40; round++) {
      StringBuilder sb = new StringBuilder();
      List<Object> messages = new ArrayList<>();
      messages.add(message(random, "system", text(random, 300 + random.nextInt(2000))));
      messages.add(message(random, "user", text(random, 1000 + random.nextInt(30000))));
      write(messages, Style.CANONICAL, random, sb);
      String json = sb.toString();
      int limit = random.nextBoolean() ? 4096 : 100 + random.nextInt(cp(json));
      String expected = pair.reference.cutString(json, limit, true);
      assertThat(pair.processor.cutString(json, limit, true))
          .as("round %d", round)
          .isEqualTo(expected);
      int before = cutAsBytes;
      assertSameFromBytes(pair, json, limit, true, expected, "round " + round);
      // Unless the quick reader refuses it (a repeated key), it is cut on its bytes.
      String utf8 = asUtf8(json);
      if (cp(utf8) > limit
          && MessageJson.read(utf8, true, StreamReadConstraints.defaults()) != null) {
        bytesRead++;
        assertThat(cutAsBytes).as("round %d cut on its bytes", round).isEqualTo(before + 1);
      }
    }
    assertThat(bytesRead).as("prompts cut as JSON on their bytes").isGreaterThan(10);
  }

  // ---------------------------------------------------------------- inputs

  private record Pair(ReferenceCutter reference, TruncateProcessor processor, JsonCutter json) {}

  private final Map<String, Pair> pairs = new HashMap<>();

  private Pair pair(String suffix) {
    return pairs.computeIfAbsent(suffix, TruncateEquivalenceTest::newPair);
  }

  private static Pair newPair(String suffix) {
    TruncateConfig d = TruncateConfig.defaults();
    TruncateConfig config =
        new TruncateConfig(100, d.keys(), d.neverTruncate(), suffix, d.jsonKeys());
    TruncateProcessor processor =
        new TruncateProcessor(
            new KeyRules(config),
            new Cutter(suffix),
            new SimpleMeterRegistry().counter("cut"),
            new RecordingConsumer());
    return new Pair(new ReferenceCutter(suffix), processor, new JsonCutter(new Cutter(suffix)));
  }

  private static int length(Random random) {
    int kind = random.nextInt(10);
    return kind < 6 ? random.nextInt(60) : kind < 9 ? random.nextInt(400) : random.nextInt(3000);
  }

  /** A limit near {@code cp}: just above, at, just below, far below, or tiny. */
  private static int limitAround(Random random, int cp) {
    switch (random.nextInt(6)) {
      case 0:
        return Math.max(1, cp - random.nextInt(4));
      case 1:
        return cp + random.nextInt(3);
      case 2:
        return 1 + random.nextInt(30);
      case 3:
        return Math.max(1, cp - 20 - random.nextInt(20));
      default:
        return 1 + random.nextInt(Math.max(1, cp + 2));
    }
  }

  static String text(Random random, int length) {
    String[] alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
    boolean mixed = random.nextInt(4) == 0;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      String[] a = mixed ? ALPHABETS[random.nextInt(ALPHABETS.length)] : alphabet;
      sb.append(a[random.nextInt(a.length)]);
    }
    return sb.toString();
  }

  /** A JSON object whose keys may repeat. */
  private record Obj(List<String> keys, List<Object> values) {
    Obj() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    Obj put(String key, Object value) {
      keys.add(key);
      values.add(value);
      return this;
    }

    /** {@code count} more keys: an object too big for the quick duplicate check. */
    Obj putMany(int count) {
      for (int i = 0; i < count; i++) {
        put("p" + i, "v" + i);
      }
      return this;
    }
  }

  /** A number written exactly as given. */
  private record Num(String literal) {}

  private static final String[] NUMBERS = {
    "0", "7", "-3", "42", "2147483648", "12345678901234567890", "-0", "1.10", "0.5", "-0.0",
    "1e-7", "1E+5", "2.5e3", "0.0000001", "0.000001", "100.000", "-12.75", "1E-7", "-2.5E+10",
    "1E-2147483649", "0E-8", "1e400"
  };

  private static Object document(Random random) {
    int kind = random.nextInt(10);
    if (kind == 0) {
      return toolDefinitions(random);
    }
    List<Object> messages = new ArrayList<>();
    int count = 1 + random.nextInt(5);
    for (int m = 0; m < count; m++) {
      messages.add(message(random, ROLES[random.nextInt(ROLES.length)], null));
    }
    if (kind == 1) {
      return new Obj().put("system", text(random, length(random))).put("messages", messages);
    }
    return messages;
  }

  private static Obj message(Random random, String role, String content) {
    Obj message = new Obj().put("role", role);
    List<Object> parts = new ArrayList<>();
    if (content != null) {
      parts.add(new Obj().put("type", "text").put("content", content));
    } else {
      for (int p = 0; p < 1 + random.nextInt(3); p++) {
        parts.add(part(random));
      }
    }
    message.put("parts", parts);
    if (random.nextInt(4) == 0) {
      message.put("finish_reason", random.nextBoolean() ? "stop" : text(random, 20));
    }
    if (random.nextInt(6) == 0) {
      message.put("name", text(random, length(random)));
    }
    if (random.nextInt(10) == 0) {
      message.put("role", "duplicate"); // Jackson keeps the last value
    }
    return message;
  }

  private static Object part(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return new Obj()
            .put("type", "tool_call")
            .put("id", "call_" + random.nextInt(100))
            .put("name", "search")
            .put(
                "arguments",
                new Obj()
                    .put("query", text(random, length(random)))
                    .put("n", number(random))
                    .put("flags", List.of(true, false, Nul.NULL, number(random)))
                    .put("nested", new Obj().put("deep", List.of(text(random, length(random))))));
      case 1:
        return new Obj()
            .put("type", "tool_call_response")
            .put("id", text(random, 12))
            .put(
                "response",
                random.nextBoolean()
                    ? text(random, length(random))
                    : new Obj()
                        .put("result", List.of(text(random, length(random)), number(random))));
      case 2:
        return new Obj()
            .put("type", "blob")
            .put("mime_type", "image/png")
            .put("modality", "image")
            .put("content", text(random, length(random)))
            .put("caption", text(random, length(random))); // neither text nor structural
      default:
        return new Obj().put("type", "text").put("content", text(random, length(random)));
    }
  }

  private static Object toolDefinitions(Random random) {
    List<Object> tools = new ArrayList<>();
    for (int t = 0; t < 1 + random.nextInt(3); t++) {
      tools.add(
          new Obj()
              .put("type", "function")
              .put("name", "tool_" + t)
              .put("description", text(random, length(random)))
              .put(
                  "parameters",
                  new Obj()
                      .put("type", "object")
                      .put(
                          "properties",
                          new Obj()
                              .put(
                                  "city",
                                  new Obj()
                                      .put("type", "string")
                                      .put("description", text(random, length(random)))
                                      .put("enum", List.of(text(random, 8), text(random, 8))))
                              .put("days", new Obj().put("type", "integer"))
                              .putMany(random.nextInt(8) == 0 ? 40 : 0))
                      .put("required", List.of("city"))));
    }
    return tools;
  }

  private static Num number(Random random) {
    return new Num(NUMBERS[random.nextInt(NUMBERS.length)]);
  }

  private enum Nul {
    NULL
  }

  /** How the document is written: canonical (as Jackson writes it) or with some liberty. */
  private enum Style {
    CANONICAL,
    SPACED, // ", " and ": " as Python's json.dumps writes
    PRETTY,
    ESCAPED; // \/, \u0041, lower-case hex

    static Style random(Random random) {
      int r = random.nextInt(10);
      return r < 6 ? CANONICAL : values()[1 + random.nextInt(3)];
    }

    boolean canonical() {
      return this == CANONICAL;
    }
  }

  private static void write(Object value, Style style, Random random, StringBuilder sb) {
    if (value instanceof String s) {
      writeString(s, style, random, sb);
    } else if (value instanceof Num n) {
      sb.append(n.literal());
    } else if (value instanceof Boolean || value instanceof Integer) {
      sb.append(value);
    } else if (value instanceof Nul) {
      sb.append("null");
    } else if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(style == Style.SPACED ? ", " : ",");
        }
        newline(style, sb);
        write(list.get(i), style, random, sb);
      }
      newline(style, sb);
      sb.append(']');
    } else if (value instanceof Obj o) {
      sb.append('{');
      for (int i = 0; i < o.keys().size(); i++) {
        if (i > 0) {
          sb.append(style == Style.SPACED ? ", " : ",");
        }
        newline(style, sb);
        writeString(o.keys().get(i), style, random, sb);
        sb.append(style == Style.SPACED || style == Style.PRETTY ? ": " : ":");
        write(o.values().get(i), style, random, sb);
      }
      newline(style, sb);
      sb.append('}');
    } else {
      throw new IllegalArgumentException(String.valueOf(value));
    }
  }

  private static void newline(Style style, StringBuilder sb) {
    if (style == Style.PRETTY) {
      sb.append("\n  ");
    }
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static void writeString(String s, Style style, Random random, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean liberty = style == Style.ESCAPED && random.nextInt(8) == 0;
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n' && !liberty) {
        sb.append("\\n");
      } else if (c == '\t' && !liberty) {
        sb.append("\\t");
      } else if (c == '\r' && !liberty) {
        sb.append("\\r");
      } else if (c == '\b' && !liberty) {
        sb.append("\\b");
      } else if (c == '\f' && !liberty) {
        sb.append("\\f");
      } else if (c < 0x20 || liberty) {
        if (c == '/' && random.nextBoolean()) {
          sb.append("\\/");
        } else {
          String hex = "\\u" + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
          sb.append(liberty && random.nextBoolean() ? hex.toLowerCase() : hex);
        }
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  /** Now and then breaks the document: cut short, trailing garbage, leading space, deep. */
  private static String corrupt(Random random, String json) {
    switch (random.nextInt(30)) {
      case 0:
        return json.substring(0, random.nextInt(json.length()));
      case 1:
        return json + (random.nextBoolean() ? " x" : "]");
      case 2:
        return "  " + json;
      case 3:
        return json + " ";
      case 4:
        {
          int depth = random.nextBoolean() ? 990 + random.nextInt(20) : 1 + random.nextInt(40);
          return "[".repeat(depth) + json + "]".repeat(depth);
        }
      case 5:
        return json.replace("\"role\"", "\"con\\u0074ent\"");
      default:
        return json;
    }
  }

  private int cutAsBytes; // values the bytes path cut without going through a String
  private int jsonCutAsBytes;

  /**
   * What the processor makes of {@code s} arriving as UTF-8 (as the receiver hands it on): the
   * cut text, or null when it fits. Counts the values cut on their bytes (the result is bytes).
   */
  private String viaBytes(Pair pair, String s, int limit, boolean jsonKey) {
    AnyValue v = pair.processor.cutUtf8(ByteString.copyFromUtf8(s), limit, jsonKey);
    if (v == null) {
      return null;
    }
    if (StringForm.isBytes(v)) {
      cutAsBytes++;
    }
    return v.getStringValue();
  }

  /**
   * {@code s} arriving as UTF-8 is cut as the oracle cuts its text: {@code expected} when {@code
   * s} has no lone surrogate, else the oracle's cut of what UTF-8 makes of it (each lone surrogate
   * a {@code ?}, as protobuf encodes it).
   */
  private void assertSameFromBytes(
      Pair pair, String s, int limit, boolean jsonKey, String expected, String round) {
    String utf8 = asUtf8(s);
    String want =
        utf8.equals(s) ? expected : outcome(() -> pair.reference.cutString(utf8, limit, jsonKey));
    assertThat(outcome(() -> viaBytes(pair, utf8, limit, jsonKey)))
        .as(() -> "%s from bytes: %s to %d".formatted(round, quote(utf8), limit))
        .isEqualTo(want);
  }

  /** {@code s} as it comes back from UTF-8: each lone surrogate a {@code ?}. */
  static String asUtf8(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static final String THREW = "threw ";

  /** What the cut returns, or the exception it throws (the old code threw on some numbers). */
  private static String outcome(java.util.function.Supplier<String> cut) {
    try {
      return cut.get();
    } catch (RuntimeException e) {
      return THREW + e.getClass().getName();
    }
  }

  static int cp(String s) {
    return s.codePointCount(0, s.length());
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars()
        .forEach(c -> sb.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", c) : (char) c));
    return sb.toString();
  }
}
