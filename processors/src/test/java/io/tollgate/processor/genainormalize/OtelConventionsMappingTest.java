package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.event;
import static io.tollgate.processor.genainormalize.Fixture.eventNames;
import static io.tollgate.processor.genainormalize.Fixture.json;
import static io.tollgate.processor.genainormalize.Fixture.parse;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import io.tollgate.core.testing.Spans;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry's own GenAI instrumentations: current conventions (must pass unchanged), the
 * deprecated names of releases before 1.37 (gen_ai.system, gen_ai.usage.prompt_tokens,
 * gen_ai.openai.*), and the deprecated message events on spans (attribute style, and Azure AI
 * Inference's gen_ai.event.content JSON).
 */
class OtelConventionsMappingTest {

  private final Fixture fixture = new Fixture();

  /** opentelemetry-instrumentation-openai-v2 with gen_ai_latest_experimental. */
  static Span.Builder currentOpenAiSpan() {
    return span(
        "chat gpt-4o-mini",
        "gen_ai.operation.name", "chat",
        "gen_ai.provider.name", "openai",
        "gen_ai.request.model", "gpt-4o-mini",
        "gen_ai.request.temperature", 0.2,
        "gen_ai.request.max_tokens", 256,
        "gen_ai.request.stop_sequences", List.of("\n\n"),
        "server.address", "api.openai.com",
        "server.port", 443,
        "gen_ai.response.model", "gpt-4o-mini-2024-07-18",
        "gen_ai.response.id", "chatcmpl-AbC123",
        "gen_ai.response.finish_reasons", List.of("stop"),
        "openai.response.service_tier", "default",
        "gen_ai.usage.input_tokens", 24,
        "gen_ai.usage.output_tokens", 9,
        "gen_ai.usage.cache_read.input_tokens", 0,
        "gen_ai.conversation.id", "conv_1",
        "gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"Be brief.\"}]",
        "gen_ai.input.messages",
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                + "\"content\":\"Say this is a test\"}]}]",
        "gen_ai.output.messages",
            "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"This is a"
                + " test.\"}],\"finish_reason\":\"stop\"}]");
  }

  @Test
  void currentConventionsPassByteForByteUnchanged() {
    TraceBatch batch = Spans.batch(currentOpenAiSpan());
    var before = batch.toRequest();

    TraceBatch out = fixture.run(batch);

    assertThat(out.toRequest()).isEqualTo(before);
    assertThat(out.toRequest().toByteArray()).isEqualTo(before.toByteArray());
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "current")).isEqualTo(1);
  }

  @Test
  void spansWithoutGenAiAttributesAreNotTouched() {
    TraceBatch batch =
        Spans.batch(
            span(
                "GET /health",
                "http.request.method", "GET",
                "session.id", "web-1",
                "user.id", "u"),
            span("SELECT", "db.system", "postgresql", "input.value", "x"));
    var before = batch.toRequest();

    assertThat(fixture.run(batch).toRequest()).isEqualTo(before);
    assertThat(fixture.registry.find(NormalizeMetrics.SPANS).counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  /** openai-v2 before 1.37 conventions, and the Anyway SDK's documented attributes (seed 000). */
  @Test
  void deprecatedNamesOfEarlierReleases() {
    SpanRecord out =
        fixture.run(
            span(
                "chat gpt-4o",
                "gen_ai.operation.name", "chat",
                "gen_ai.system", "openai",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.openai.request.seed", 42,
                "gen_ai.openai.request.response_format", "json_object",
                "gen_ai.openai.request.service_tier", "auto",
                "gen_ai.response.model", "gpt-4o-2024-08-06",
                "gen_ai.response.finish_reasons", List.of("stop"),
                "gen_ai.openai.response.service_tier", "default",
                "gen_ai.openai.response.system_fingerprint", "fp_a7d06e42a7",
                "gen_ai.usage.prompt_tokens", 120,
                "gen_ai.usage.completion_tokens", 48,
                "gen_ai.usage.cost", 0.00078));

    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.request.model", "gpt-4o"),
            entry("gen_ai.response.model", "gpt-4o-2024-08-06"),
            entry("gen_ai.response.finish_reasons", List.of("stop")),
            entry("gen_ai.usage.cost", 0.00078),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.seed", 42L),
            entry("gen_ai.output.type", "json"),
            entry("openai.request.service_tier", "auto"),
            entry("openai.response.service_tier", "default"),
            entry("openai.response.system_fingerprint", "fp_a7d06e42a7"),
            entry("gen_ai.usage.input_tokens", 120L),
            entry("gen_ai.usage.output_tokens", 48L));
  }

  @Test
  void deprecatedProviderValuesAreRenamed() {
    String[][] cases = {
      {"az.ai.openai", "azure.ai.openai"},
      {"az.ai.inference", "azure.ai.inference"},
      {"vertex_ai", "gcp.vertex_ai"},
      {"gemini", "gcp.gemini"},
      {"xai", "x_ai"},
      {"MistralAI", "mistral_ai"},
      {"Watsonx", "ibm.watsonx.ai"},
      {"AWS", "aws.bedrock"},
      {"Azure", "azure.ai.openai"},
      {"Google", "gcp.gen_ai"},
      {"Ollama", "ollama"},
    };
    for (String[] c : cases) {
      SpanRecord out = fixture.run(span("chat", "gen_ai.system", c[0]));
      assertThat(out.attributes().getString("gen_ai.provider.name")).as(c[0]).isEqualTo(c[1]);
      assertThat(out.attributes().contains("gen_ai.system")).isFalse();
    }
    // On the canonical attribute only a deprecated spelling is corrected; the rest is left alone.
    SpanRecord deprecated = fixture.run(span("chat", "gen_ai.provider.name", "az.ai.openai"));
    assertThat(deprecated.attributes().getString("gen_ai.provider.name"))
        .isEqualTo("azure.ai.openai");
    SpanRecord unknown = fixture.run(span("chat", "gen_ai.provider.name", "Acme.Cloud"));
    assertThat(unknown.attributes().getString("gen_ai.provider.name")).isEqualTo("Acme.Cloud");
  }

  /** Azure AI Inference (azure-ai-inference tracing): events carry gen_ai.event.content JSON. */
  @Test
  void azureAiInferenceSpanWithMessageEvents() {
    Span.Builder s =
        span(
            "chat gpt-4o-mini",
            "gen_ai.operation.name", "chat",
            "gen_ai.system", "az.ai.inference",
            "gen_ai.request.model", "gpt-4o-mini",
            "server.address", "models.inference.ai.azure.com",
            "gen_ai.response.id", "chatcmpl-123",
            "gen_ai.response.model", "gpt-4o-mini-2024-07-18",
            "gen_ai.usage.input_tokens", 21,
            "gen_ai.usage.output_tokens", 12,
            "gen_ai.response.finish_reasons", List.of("stop"));
    s.addEvents(
        event(
            "gen_ai.system.message",
            "gen_ai.system", "az.ai.inference",
            "gen_ai.event.content",
                "{\"role\": \"system\", \"content\": \"You are a helpful assistant.\"}"));
    s.addEvents(
        event(
            "gen_ai.user.message",
            "gen_ai.system", "az.ai.inference",
            "gen_ai.event.content",
                "{\"role\": \"user\", \"content\": \"How many feet are in a mile?\"}"));
    s.addEvents(
        event(
            "gen_ai.choice",
            "gen_ai.system", "az.ai.inference",
            "gen_ai.event.content",
                "{\"finish_reason\": \"stop\", \"index\": 0, \"message\": {\"content\": \"There are"
                    + " 5,280 feet in a mile.\"}}"));
    s.addEvents(event("exception", "exception.message", "unrelated"));

    SpanRecord out = fixture.run(s);

    assertThat(values(out))
        .contains(entry("gen_ai.provider.name", "azure.ai.inference"))
        .doesNotContainKey("gen_ai.system");
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "system",
                    "parts": [{"type": "text", "content": "You are a helpful assistant."}]
                  },
                  {
                    "role": "user",
                    "parts": [{"type": "text", "content": "How many feet are in a mile?"}]
                  }
                ]
                """));
    assertThat(json(out, "gen_ai.output.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "assistant",
                    "parts": [{"type": "text", "content": "There are 5,280 feet in a mile."}],
                    "finish_reason": "stop"
                  }
                ]
                """));
    assertThat(eventNames(out)).containsExactly("exception");
  }

  /** Events with the 1.28 body fields as attributes, tool calls and a kvlist message. */
  @Test
  void attributeStyleEventsWithToolCalls() {
    AnyValue message =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(kv("role", Values.of("assistant")))
                    .addValues(kv("content", Values.of("It is 21C in Paris."))))
            .build();
    Span.Builder s =
        span("chat gpt-4o", "gen_ai.operation.name", "chat", "gen_ai.system", "openai");
    s.addEvents(event("gen_ai.user.message", "content", "Weather in Paris?"));
    s.addEvents(
        event(
            "gen_ai.assistant.message",
            "tool_calls",
            "[{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"weather\","
                + " \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}}]"));
    s.addEvents(event("gen_ai.tool.message", "id", "call_1", "content", "21C"));
    s.addEvents(event("gen_ai.choice", "index", 0, "finish_reason", "stop", "message", message));

    SpanRecord out = fixture.run(s);

    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}]},
                  {
                    "role": "assistant",
                    "parts": [
                      {
                        "type": "tool_call",
                        "id": "call_1",
                        "name": "weather",
                        "arguments": {"city": "Paris"}
                      }
                    ]
                  },
                  {
                    "role": "tool",
                    "parts": [{"type": "tool_call_response", "id": "call_1", "response": "21C"}]
                  }
                ]
                """));
    assertThat(json(out, "gen_ai.output.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "assistant",
                    "parts": [{"type": "text", "content": "It is 21C in Paris."}],
                    "finish_reason": "stop"
                  }
                ]
                """));
    assertThat(values(out)).contains(entry("gen_ai.response.finish_reasons", List.of("stop")));
    assertThat(out.events()).isEmpty();
  }

  /** OpenLIT-style gen_ai.content.prompt / gen_ai.content.completion events. */
  @Test
  void contentPromptAndCompletionEvents() {
    Span.Builder s =
        span(
            "openai.chat.completions",
            "gen_ai.system", "openai",
            "gen_ai.request.model", "gpt-4o");
    s.addEvents(
        event("gen_ai.content.prompt", "gen_ai.prompt", "user: What is LLM observability?"));
    s.addEvents(event("gen_ai.content.completion", "gen_ai.completion", "Watching your LLM app."));

    SpanRecord out = fixture.run(s);

    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "user",
                    "parts": [{"type": "text", "content": "user: What is LLM observability?"}]
                  }
                ]
                """));
    assertThat(json(out, "gen_ai.output.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "assistant",
                    "parts": [{"type": "text", "content": "Watching your LLM app."}]
                  }
                ]
                """));
    assertThat(out.events()).isEmpty();
  }

  /** Current conventions from Anthropic's instrumentation: the provider's finish reasons. */
  @Test
  void anthropicFinishReasonsOnTheCanonicalAttribute() {
    Span.Builder anthropic =
        span(
            "chat claude-sonnet-4-5",
            "gen_ai.operation.name", "chat",
            "gen_ai.provider.name", "anthropic",
            "gen_ai.request.model", "claude-sonnet-4-5",
            "gen_ai.response.finish_reasons", List.of("max_tokens"));

    SpanRecord conventions = fixture.run(anthropic.clone());
    assertThat(values(conventions))
        .contains(
            entry("gen_ai.response.finish_reasons", List.of("length")),
            entry(SpanNormalizer.FINISH_REASONS_AS_SENT, List.of("max_tokens")));

    Fixture asSent =
        new Fixture(
            new GenAiNormalizeConfig(
                true,
                false,
                GenAiNormalizeConfig.Sources.all(),
                List.of(),
                false,
                FinishReasons.AS_SENT));
    assertThat(values(asSent.run(anthropic.clone())))
        .contains(entry("gen_ai.response.finish_reasons", List.of("max_tokens")))
        .doesNotContainKey(SpanNormalizer.FINISH_REASONS_AS_SENT);
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }
}
