package io.tollgate.processor.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.Values;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TruncateProcessorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingConsumer out = new RecordingConsumer();

  // ---------------------------------------------------------------- plain strings

  @Test
  void longValueIsCutToTheLimitWithAVisibleSuffix() {
    SpanRecord s = run(defaults(), span(Map.of("tool.output", "a".repeat(5000), "n", 7)));
    String v = s.attributes().getString("tool.output");
    // 4,074 kept + "…[truncated 926 chars]" (22) = 4,096
    assertThat(v).isEqualTo("a".repeat(4074) + "…[truncated 926 chars]");
    assertThat(v.codePointCount(0, v.length())).isEqualTo(4096);
    assertThat(s.attributes().getLong("n")).isEqualTo(7);
    assertThat(s.attributes().getLong("tollgate.truncate.count")).isEqualTo(1);
    assertThat(
            registry
                .get("tollgate_truncate_attributes")
                .tag("processor", "truncate")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void oneTruncateIdInTwoPipelinesCountsInTwoSeries() {
    for (String pipeline : List.of("traces/a", "traces/b", "traces/b")) {
      ComponentContext ctx =
          ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("truncate"))
              .pipeline(pipeline)
              .meterRegistry(registry)
              .build();
      new TruncateProcessorFactory()
          .create(defaults(), ctx, out)
          .consume(Spans.batch(span(Map.of("tool.output", "a".repeat(5000)))))
          .toCompletableFuture()
          .join();
    }

    assertThat(
            registry
                .get("tollgate_truncate_attributes")
                .tags("processor", "truncate", "pipeline", "traces/a")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("tollgate_truncate_attributes")
                .tags("processor", "truncate", "pipeline", "traces/b")
                .counter()
                .count())
        .isEqualTo(2.0);
  }

  @Test
  void valuesAtTheLimitAndSpansWithoutLongValuesAreUntouched() {
    Span.Builder span = span(Map.of("a", "x".repeat(4096), "b", "short", "c", 1.5));
    Span before = span.build();
    SpanRecord s = run(defaults(), span);
    assertThat(s.proto().build()).isEqualTo(before);
    assertThat(registry.get("tollgate_truncate_attributes").counter().count()).isZero();
  }

  @Test
  void perKeyLimitsWithExactKeysBeatingGlobs() {
    TruncateConfig config =
        config(100, ordered("gen_ai.*", 50, "gen_ai.tool.*", 40, "gen_ai.tool.name", 200));
    SpanRecord s =
        run(
            config,
            span(
                Map.of(
                    "other", "o".repeat(150),
                    "gen_ai.prompt.0.content", "p".repeat(150),
                    "gen_ai.tool.description", "d".repeat(150),
                    "gen_ai.tool.name", "n".repeat(150))));
    AttributeView a = s.attributes();
    assertThat(cp(a.getString("other"))).isEqualTo(100);
    assertThat(cp(a.getString("gen_ai.prompt.0.content"))).isEqualTo(50);
    assertThat(cp(a.getString("gen_ai.tool.description"))).isEqualTo(40); // longer glob wins
    assertThat(a.getString("gen_ai.tool.name")).isEqualTo("n".repeat(150)); // under its 200
    assertThat(a.getLong("tollgate.truncate.count")).isEqualTo(3);
  }

  @Test
  void neverTruncateKeysKeepTheirValue() {
    String id = "resp_" + "9".repeat(6000);
    SpanRecord s =
        run(defaults(), span(Map.of("gen_ai.response.id", id, "user.id", "u".repeat(5000))));
    assertThat(s.attributes().getString("gen_ai.response.id")).isEqualTo(id);
    assertThat(s.attributes().getString("user.id")).hasSize(5000);
    assertThat(s.attributes().contains("tollgate.truncate.count")).isFalse();
  }

  @Test
  void surrogatePairsAreNeverSplit() {
    String unit = "ab\uD83D\uDE00"; // a, b, 😀 : 3 code points, 4 chars
    String value = unit.repeat(100);
    for (int limit = 30; limit <= 60; limit++) {
      TruncateConfig config = config(limit, Map.of());
      String v = run(config, span(Map.of("k", value))).attributes().getString("k");
      assertThat(cp(v)).as("limit %d", limit).isLessThanOrEqualTo(limit);
      assertNoLoneSurrogate(v);
      String kept = v.substring(0, v.indexOf('…'));
      assertThat(value).startsWith(kept);
      int cut = Integer.parseInt(v.replaceAll(".*truncated (\\d+) chars]$", "$1"));
      assertThat(cp(kept) + cut).isEqualTo(300);
    }
  }

  @Test
  void charactersAreCodePointsNotUtf16Units() {
    String emoji = "\uD83D\uDE00".repeat(4096); // 8,192 chars, 4,096 characters
    SpanRecord s = run(defaults(), span(Map.of("k", emoji)));
    assertThat(s.attributes().getString("k")).isEqualTo(emoji);

    String more = emoji + "\uD83D\uDE00";
    String v = run(defaults(), span(Map.of("k", more))).attributes().getString("k");
    assertThat(cp(v)).isEqualTo(4096);
    // 4,097 − 4,075 kept = 22 cut; the 21-character suffix takes the rest
    assertThat(v).endsWith("…[truncated 22 chars]");
    assertNoLoneSurrogate(v);
  }

  @Test
  void eventAttributesAreCutAndCounted() {
    Span.Builder span = span(Map.of("gen_ai.operation.name", "chat"));
    span.addEvents(
        Span.Event.newBuilder()
            .setName("gen_ai.choice")
            .addAttributes(Spans.kv("message", "m".repeat(300)))
            .addAttributes(Spans.kv("index", 0)));
    span.addEvents(
        Span.Event.newBuilder()
            .setName("exception")
            .addAttributes(Spans.kv("exception.stacktrace", "s".repeat(500))));
    SpanRecord s = run(config(100, Map.of()), span);
    assertThat(cp(s.events().get(0).attributes().getString("message"))).isEqualTo(100);
    assertThat(s.events().get(0).attributes().getLong("index")).isZero();
    assertThat(s.events().get(1).attributes().getString("exception.stacktrace"))
        .endsWith("…[truncated 422 chars]");
    assertThat(s.attributes().getLong("tollgate.truncate.count")).isEqualTo(2);
  }

  @Test
  void arrayElementsAreCutOneByOneAndCountOnce() {
    SpanRecord s =
        run(
            config(50, Map.of()),
            span(Map.of("tag.tags", List.of("short", "x".repeat(80), "y".repeat(51)))));
    List<String> tags = Values.asStrings(s.attributes().get("tag.tags"));
    assertThat(tags.get(0)).isEqualTo("short");
    assertThat(tags.get(1)).isEqualTo("x".repeat(29) + "…[truncated 51 chars]");
    assertThat(cp(tags.get(2))).isEqualTo(50);
    assertThat(s.attributes().getLong("tollgate.truncate.count")).isEqualTo(1);
  }

  @Test
  void countAddsToAnEarlierTruncate() {
    SpanRecord s =
        run(
            config(10, Map.of()),
            span(Map.of("a", "a".repeat(40), "b", "b".repeat(40), "tollgate.truncate.count", 2)));
    assertThat(s.attributes().getLong("tollgate.truncate.count")).isEqualTo(4);
  }

  @Test
  void suffixWithoutCountAndSuffixLongerThanTheLimit() {
    TruncateConfig d = TruncateConfig.defaults();
    TruncateConfig plain = new TruncateConfig(10, Map.of(), d.neverTruncate(), "...", d.jsonKeys());
    assertThat(run(plain, span(Map.of("k", "0123456789abc"))).attributes().getString("k"))
        .isEqualTo("0123456...");

    TruncateConfig tiny = config(5, Map.of());
    assertThat(run(tiny, span(Map.of("k", "0123456789abc"))).attributes().getString("k"))
        .isEqualTo("01234");
  }

  // ---------------------------------------------------------------- message JSON

  @Test
  void messageJsonStaysValidWithRolesAndFitsTheLimit() throws Exception {
    String messages =
        JSON.writeValueAsString(
            List.of(
                message("system", part("text", "content", "You are a helpful assistant.")),
                message(
                    "user",
                    part("text", "content", "Summarise: \"" + "lorem ipsum\n".repeat(900) + "\"")),
                message(
                    "assistant",
                    Map.of(
                        "type", "tool_call",
                        "id", "call_1",
                        "name", "search",
                        "arguments", Map.of("query", "q".repeat(3000)))),
                message(
                    "tool",
                    Map.of(
                        "type",
                        "tool_call_response",
                        "id",
                        "call_1",
                        "response",
                        "r".repeat(7000))),
                message("user", part("text", "content", "Thanks!"))));
    int limit = 4096;
    String v =
        run(defaults(), span(Map.of("gen_ai.input.messages", messages)))
            .attributes()
            .getString("gen_ai.input.messages");

    assertThat(cp(v)).isLessThanOrEqualTo(limit).isGreaterThan(limit - 40);
    JsonNode root = JSON.readTree(v);
    assertThat(root).hasSize(5);
    List<String> roles = new ArrayList<>();
    root.forEach(m -> roles.add(m.get("role").asText()));
    assertThat(roles).containsExactly("system", "user", "assistant", "tool", "user");
    assertThat(root.get(0).get("parts").get(0).get("content").asText())
        .isEqualTo("You are a helpful assistant.");
    assertThat(root.get(4).get("parts").get(0).get("content").asText()).isEqualTo("Thanks!");
    String user = root.get(1).get("parts").get(0).get("content").asText();
    assertThat(user)
        .startsWith("Summarise: \"lorem ipsum\n")
        .matches("(?s).*…\\[truncated \\d+ chars]$");
    JsonNode call = root.get(2).get("parts").get(0);
    assertThat(call.get("id").asText()).isEqualTo("call_1");
    assertThat(call.get("name").asText()).isEqualTo("search");
    assertThat(call.get("arguments").get("query").asText()).contains("…[truncated ");
    assertThat(root.get(3).get("parts").get(0).get("response").asText()).contains("…[truncated ");
  }

  @Test
  void outputMessagesKeepTheirFinishReasonUnderAPerKeyLimit() throws Exception {
    String messages =
        JSON.writeValueAsString(
            List.of(
                Map.of(
                    "role", "assistant",
                    "parts",
                        List.of(
                            Map.of("type", "reasoning", "content", "think ".repeat(400)),
                            Map.of("type", "text", "content", "answer ".repeat(400))),
                    "finish_reason", "length")));
    TruncateConfig config = config(4096, Map.of("gen_ai.*.messages", 500));
    String v =
        run(config, span(Map.of("gen_ai.output.messages", messages)))
            .attributes()
            .getString("gen_ai.output.messages");
    assertThat(cp(v)).isLessThanOrEqualTo(500);
    JsonNode m = JSON.readTree(v).get(0);
    assertThat(m.get("finish_reason").asText()).isEqualTo("length");
    assertThat(m.get("parts")).hasSize(2);
    // One cap for both parts: equally long texts keep equal shares.
    String a = m.get("parts").get(0).get("content").asText();
    String b = m.get("parts").get(1).get("content").asText();
    assertThat(a.indexOf('…')).isEqualTo(b.indexOf('…'));
  }

  @Test
  void invalidJsonOrJsonWhoseStructureCannotFitIsCutAsText() throws Exception {
    String broken =
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + "x".repeat(500);
    String v =
        run(config(100, Map.of()), span(Map.of("gen_ai.input.messages", broken)))
            .attributes()
            .getString("gen_ai.input.messages");
    assertThat(cp(v)).isEqualTo(100);
    assertThat(v).startsWith("[{\"role\"").endsWith(" chars]");

    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(message("user", part("text", "content", "hi")));
    }
    String crowded = JSON.writeValueAsString(many); // the structure alone is over 100
    String w =
        run(config(100, Map.of()), span(Map.of("gen_ai.input.messages", crowded)))
            .attributes()
            .getString("gen_ai.input.messages");
    assertThat(cp(w)).isEqualTo(100);
    assertThat(w).endsWith(" chars]");
  }

  @Test
  void notAJsonKeyIsCutAsText() throws Exception {
    String json =
        JSON.writeValueAsString(List.of(message("user", part("text", "content", "z".repeat(300)))));
    String v =
        run(config(100, Map.of()), span(Map.of("llm.input_messages", json)))
            .attributes()
            .getString("llm.input_messages");
    assertThat(cp(v)).isEqualTo(100);
    assertThat(v).endsWith(" chars]");
  }

  @Test
  void structuredValuesHaveEachStringCut() {
    AnyValue kv =
        AnyValue.newBuilder()
            .setKvlistValue(
                io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
                    .addValues(Spans.kv("role", "user"))
                    .addValues(Spans.kv("content", "c".repeat(300))))
            .build();
    SpanRecord s = run(config(100, Map.of()), span(Map.of("gen_ai.input.messages", kv)));
    AnyValue v = s.attributes().get("gen_ai.input.messages");
    assertThat(v.getKvlistValue().getValues(0).getValue().getStringValue()).isEqualTo("user");
    assertThat(cp(v.getKvlistValue().getValues(1).getValue().getStringValue())).isEqualTo(100);
    assertThat(s.attributes().getLong("tollgate.truncate.count")).isEqualTo(1);
  }

  // ---------------------------------------------------------------- helpers

  static TruncateConfig defaults() {
    return TruncateConfig.defaults();
  }

  static TruncateConfig config(int maxLength, Map<String, Integer> keys) {
    TruncateConfig d = TruncateConfig.defaults();
    return new TruncateConfig(maxLength, keys, d.neverTruncate(), d.suffixFormat(), d.jsonKeys());
  }

  private static Map<String, Integer> ordered(Object... kv) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> message(String role, Map<String, Object> part) {
    return Map.of("role", role, "parts", List.of(part));
  }

  private static Map<String, Object> part(String type, String field, String text) {
    return Map.of("type", type, field, text);
  }

  private static Span.Builder span(Map<String, ?> attributes) {
    return Spans.span("chat gpt-4o", new LinkedHashMap<>(attributes));
  }

  private SpanRecord run(TruncateConfig config, Span.Builder span) {
    out.clear();
    return runOnce(config, span, registry, out);
  }

  /** {@code span} through a truncate processor made by its factory; the one span it passes on. */
  static SpanRecord runOnce(
      TruncateConfig config, Span.Builder span, MeterRegistry registry, RecordingConsumer out) {
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("truncate"))
            .meterRegistry(registry)
            .build();
    new TruncateProcessorFactory()
        .create(config, ctx, out)
        .consume(Spans.batch(span))
        .toCompletableFuture()
        .join();
    assertThat(out.spans()).hasSize(1);
    return out.spans().get(0);
  }

  static int cp(String s) {
    return s.codePointCount(0, s.length());
  }

  static void assertNoLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
            .as("high surrogate at %d is followed by its low half", i)
            .isTrue();
        i++;
      } else {
        assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
      }
    }
  }
}
