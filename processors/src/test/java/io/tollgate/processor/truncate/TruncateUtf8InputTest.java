package io.tollgate.processor.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.ByteSlice;
import io.tollgate.core.model.Values;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import io.tollgate.core.testing.StringForm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * String values that arrive as UTF-8 bytes (as the receiver decodes them) are truncated exactly as
 * the same values held as Strings, and a value that fits is passed on as the very object it came
 * as, still bytes: never converted to a String only to be measured.
 */
class TruncateUtf8InputTest {

  private static final String CJK = "漢字テキスト"; // 3 bytes per char
  private static final String EMOJI = "😀🚀"; // 4 bytes, a surrogate pair each
  private static final String ACCENTS = "éàü"; // 2 bytes per char

  @Test
  void bytesAndStringsGiveTheSameResultAroundTheLimit() {
    TruncateConfig config = TruncateProcessorTest.config(50, Map.of());
    List<String> values = new ArrayList<>();
    for (String unit : List.of("a", ACCENTS, CJK, EMOJI, "a" + EMOJI + CJK + ACCENTS)) {
      for (int n : new int[] {1, 5, 16, 17, 25, 49, 50, 51, 52, 60, 200}) {
        values.add(repeatToCodePoints(unit, n));
      }
    }
    for (String v : values) {
      assertSameResult(config, "tool.output", v);
      assertSameResult(config, "gen_ai.input.messages", v); // a JSON key holding text
    }
  }

  @Test
  void messageJsonWithMultiByteTextIsCutTheSameFromBytes() {
    TruncateConfig config = TruncateProcessorTest.config(120, Map.of());
    for (String unit : List.of("x", ACCENTS, CJK, EMOJI)) {
      for (int n : new int[] {10, 60, 90, 100, 300}) {
        String text = repeatToCodePoints(unit, n);
        String json =
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
                + text
                + "\"}]},{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\""
                + text
                + "\\n\"}]}]";
        assertSameResult(config, "gen_ai.input.messages", json);
      }
    }
  }

  @Test
  void randomValuesGiveTheSameResult() {
    Random random = new Random(7);
    String[] units = {"a", "b ", "é", "漢", "😀", "\"", "\\", "\n", "{", "["};
    TruncateConfig config = TruncateProcessorTest.config(40, Map.of());
    for (int round = 0; round < 500; round++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(80);
      if (random.nextBoolean()) {
        sb.append('[');
      }
      for (int i = 0; i < n; i++) {
        sb.append(units[random.nextInt(units.length)]);
      }
      String key = random.nextBoolean() ? "gen_ai.output.messages" : "other";
      assertSameResult(config, key, sb.toString());
    }
  }

  @Test
  void valuesThatFitStayTheSameObjectAndStayBytes() {
    // 2,000 CJK characters: 6,000 UTF-8 bytes, more than the 4,096 limit in bytes but not in
    // characters; the code points are counted from the bytes.
    AnyValue cjk = bytesValue(repeatToCodePoints(CJK, 2000));
    AnyValue emoji = bytesValue(repeatToCodePoints(EMOJI, 4096)); // 16 KiB, 4,096 code points
    AnyValue shortOne = bytesValue("short " + EMOJI);
    AnyValue array =
        AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder().addValues(bytesValue(CJK.repeat(600))))
            .build();
    Span.Builder span = Spans.span("chat", Map.of());
    span.addAttributes(kv("tool.output", cjk));
    span.addAttributes(kv("gen_ai.input.messages", emoji));
    span.addAttributes(kv("note", shortOne));
    span.addAttributes(kv("list", array));

    Span out = run(TruncateConfig.defaults(), span);

    assertThat(out.getAttributes(0).getValue()).isSameAs(cjk);
    assertThat(out.getAttributes(1).getValue()).isSameAs(emoji);
    assertThat(out.getAttributes(2).getValue()).isSameAs(shortOne);
    assertThat(out.getAttributes(3).getValue()).isSameAs(array);
    assertThat(StringForm.isBytes(cjk)).isTrue();
    assertThat(StringForm.isBytes(emoji)).isTrue();
    assertThat(StringForm.isBytes(shortOne)).isTrue();
    assertThat(StringForm.isBytes(array.getArrayValue().getValues(0))).isTrue();
    assertThat(out.getAttributesCount()).isEqualTo(4); // no tollgate.truncate.count
  }

  @Test
  void aValueThatIsCutBecomesTheCutString() {
    String text = repeatToCodePoints(CJK + EMOJI, 5000);
    Span.Builder span = Spans.span("chat", Map.of());
    span.addAttributes(kv("tool.output", bytesValue(text)));
    Span out = run(TruncateConfig.defaults(), span);
    String v = out.getAttributes(0).getValue().getStringValue();
    assertThat(v.codePointCount(0, v.length())).isEqualTo(4096);
    assertThat(v).startsWith(text.substring(0, text.offsetByCodePoints(0, 4000)));
    TruncateProcessorTest.assertNoLoneSurrogate(v);
  }

  @Test
  void aCutValueIsItsOwnExactArrayWhateverFormTheInputBytesHave() {
    String text = repeatToCodePoints("a" + CJK + EMOJI + ACCENTS, 6000);
    String json =
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + text + "\"}]}]";
    for (String key : List.of("tool.output", "gen_ai.input.messages")) {
      String value = key.equals("tool.output") ? text : json;
      byte[] in = value.getBytes(StandardCharsets.UTF_8);
      byte[] padded = new byte[in.length + 8];
      System.arraycopy(in, 0, padded, 4, in.length);
      byte[] paddedBefore = padded.clone();
      Span expected = run(TruncateConfig.defaults(), spanWith(key, Values.of(value)));
      List<ByteString> forms =
          List.of(
              UnsafeByteOperations.unsafeWrap(in), // read in place
              UnsafeByteOperations.unsafeWrap(padded, 4, in.length), // a slice: copied
              ByteString.copyFrom(in, 0, 100)
                  .concat(ByteString.copyFrom(in, 100, in.length - 100))); // a rope: copied
      for (ByteString form : forms) {
        AnyValue input = AnyValue.newBuilder().setStringValueBytes(form).build();
        Span out = run(TruncateConfig.defaults(), spanWith(key, input));
        assertThat(out.getAttributesList()).as(key).isEqualTo(expected.getAttributesList());
        // The cut value is one whole array of exactly its size: not the input's, which it must
        // not keep alive.
        ByteString cut = out.getAttributes(0).getValue().getStringValueBytes();
        byte[] own = ByteSlice.readOnlyArray(cut);
        assertThat(ByteSlice.readOnlyArray(cut)).isSameAs(own);
        assertThat(own).hasSize(cut.size()).isNotSameAs(in).isNotSameAs(padded);
        assertThat(cut.size()).isLessThan(in.length);
      }
      // Read, never written.
      assertThat(new String(in, StandardCharsets.UTF_8)).isEqualTo(value);
      assertThat(padded).isEqualTo(paddedBefore);
    }
  }

  @Test
  void codePointsAreCountedFromUtf8() {
    Random random = new Random(11);
    String[] units = {"a", "é", "漢", "😀", "\u0000", "\u07FF", "\u0800", "\uFFFF"};
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(50);
      for (int i = 0; i < n; i++) {
        sb.append(units[random.nextInt(units.length)]);
      }
      String s = sb.toString();
      ByteString utf8 = ByteString.copyFromUtf8(s);
      assertThat(Utf8Length.codePoints(utf8)).isEqualTo(s.codePointCount(0, s.length()));
      // A slice of a larger array, as the receiver's values are.
      ByteString slice = ByteString.copyFromUtf8("xx" + s + "yy").substring(2, 2 + utf8.size());
      assertThat(Utf8Length.codePoints(slice)).isEqualTo(s.codePointCount(0, s.length()));
    }
  }

  @Test
  void twoThreeAndFourByteCharactersExactlyAtTheCutPoint() {
    TruncateProcessor processor = processor(TruncateConfig.DEFAULT_SUFFIX);
    ReferenceCutter reference = new ReferenceCutter(TruncateConfig.DEFAULT_SUFFIX);
    int cases = 0;
    for (String unit : List.of("é", "漢", "😀", "é漢😀")) {
      // 40: the suffix (22 code points with a two-digit number) fits; 9: it does not, the value
      // is cut to the limit without one.
      for (int limit : new int[] {9, 40, 41}) {
        // Every split of the value between ASCII and multi-byte text: the cut falls on each side
        // of each kind of character, and inside runs of them.
        for (int ascii = 0; ascii <= limit + 2; ascii++) {
          String value = "a".repeat(ascii) + repeatToCodePoints(unit, limit + 3);
          for (boolean jsonKey : new boolean[] {false, true}) {
            String expected = reference.cutString(value, limit, jsonKey);
            AnyValue out = processor.cutUtf8(ByteString.copyFromUtf8(value), limit, jsonKey);
            assertThat(out).as("%s to %d", value, limit).isNotNull();
            assertThat(StringForm.isBytes(out)).as("cut on its bytes: %s", value).isTrue();
            assertThat(out.getStringValue()).as("%s to %d", value, limit).isEqualTo(expected);
            cases++;
          }
        }
      }
    }
    assertThat(cases).isGreaterThan(300);
  }

  @Test
  void escapesAndMultiByteTextAtTheCutPointOfMessageJson() {
    TruncateProcessor processor = processor(TruncateConfig.DEFAULT_SUFFIX);
    ReferenceCutter reference = new ReferenceCutter(TruncateConfig.DEFAULT_SUFFIX);
    String head = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"";
    String tail = "\"}]}]";
    int width = TruncateProcessorTest.cp(head + tail);
    int onBytes = 0;
    // As Jackson writes them (cut on the bytes), then escapes it never writes (an escaped
    // surrogate pair, an escaped slash: these go through the String path).
    String[] written = {"\\n", "\\\"", "\\\\", "\\u0001", "é", "漢", "😀", "\\uD83D\\uDE00", "\\/"};
    for (String at : written) {
      for (int before = 0; before < 6; before++) {
        String text = "x".repeat(before) + at + repeatToCodePoints("é漢😀\\n", 40);
        String json = head + text + tail;
        // Limits that put the cap (the code points kept of the text) before, on and after the
        // escape or character at position `before`.
        for (int limit = width + 22; limit < width + 34; limit++) {
          String expected = reference.cutString(json, limit, true);
          AnyValue out = processor.cutUtf8(ByteString.copyFromUtf8(json), limit, true);
          assertThat(out).as("%s to %d", json, limit).isNotNull();
          if (StringForm.isBytes(out)) { // before getStringValue(), which makes it a String
            onBytes++;
          }
          assertThat(out.getStringValue()).as("%s to %d", json, limit).isEqualTo(expected);
        }
      }
    }
    assertThat(onBytes).as("cut on the bytes: all but the last two kinds").isEqualTo(7 * 6 * 12);
  }

  @Test
  void whatMayStartMessageJsonIsDecidedAsForTheDecodedText() {
    // looksLikeJson skips blanks as Character.isWhitespace sees them: ASCII, an ideographic space,
    // a line separator, but not a no-break space; a multi-byte first character is decoded.
    TruncateProcessor processor = processor(TruncateConfig.DEFAULT_SUFFIX);
    ReferenceCutter reference = new ReferenceCutter(TruncateConfig.DEFAULT_SUFFIX);
    String json = "[{\"role\":\"user\",\"content\":\"" + "漢字".repeat(80) + "\"}]";
    for (String start : List.of("", " ", "\n\t", "\u3000", "\u2028", "\u00A0", "é", "😀", "x")) {
      String value = start + json;
      AnyValue out = processor.cutUtf8(ByteString.copyFromUtf8(value), 60, true);
      assertThat(out.getStringValue())
          .as("starting with %s", start)
          .isEqualTo(reference.cutString(value, 60, true));
    }
  }

  @Test
  void aSuffixWithALoneSurrogateIsAppendedAsAString() {
    // Only a config escape makes one; UTF-8 cannot hold it, so such values are cut as Strings,
    // exactly as before.
    String suffix = "\uDE00[{n}]";
    TruncateProcessor processor = processor(suffix);
    ReferenceCutter reference = new ReferenceCutter(suffix);
    String value = repeatToCodePoints("a漢😀", 100);
    AnyValue out = processor.cutUtf8(ByteString.copyFromUtf8(value), 50, false);
    assertThat(out.getStringValue()).isEqualTo(reference.cutString(value, 50, false));
    assertThat(out.getStringValue()).contains("\uDE00");
  }

  // ---------------------------------------------------------------- helpers

  private static TruncateProcessor processor(String suffix) {
    TruncateConfig d = TruncateConfig.defaults();
    TruncateConfig config =
        new TruncateConfig(d.maxLength(), d.keys(), d.neverTruncate(), suffix, d.jsonKeys());
    return new TruncateProcessor(
        new KeyRules(config),
        new Cutter(suffix),
        new SimpleMeterRegistry().counter("cut"),
        new RecordingConsumer());
  }

  private void assertSameResult(TruncateConfig config, String key, String value) {
    Span fromString = run(config, spanWith(key, Values.of(value)));
    Span fromBytes = run(config, spanWith(key, bytesValue(value)));
    assertThat(fromBytes.getAttributesList())
        .as("%s = %s", key, value)
        .isEqualTo(fromString.getAttributesList());
  }

  private static Span.Builder spanWith(String key, AnyValue v) {
    Span.Builder b = Spans.span("chat", Map.of());
    b.setTraceId(Spans.traceId(1)).setSpanId(ByteString.copyFrom(new byte[8]));
    return b.addAttributes(kv(key, v));
  }

  private Span run(TruncateConfig config, Span.Builder span) {
    return TruncateProcessorTest.runOnce(
            config, span, new SimpleMeterRegistry(), new RecordingConsumer())
        .proto()
        .build();
  }

  static AnyValue bytesValue(String s) {
    return AnyValue.newBuilder().setStringValueBytes(ByteString.copyFromUtf8(s)).build();
  }

  private static KeyValue kv(String key, AnyValue v) {
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  static String repeatToCodePoints(String unit, int codePoints) {
    StringBuilder sb = new StringBuilder();
    int[] cps = unit.codePoints().toArray();
    for (int i = 0; i < codePoints; i++) {
      sb.appendCodePoint(cps[i % cps.length]);
    }
    return sb.toString();
  }
}
