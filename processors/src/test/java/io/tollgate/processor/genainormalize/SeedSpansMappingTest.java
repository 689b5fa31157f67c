package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.event;
import static io.tollgate.processor.genainormalize.Fixture.eventNames;
import static io.tollgate.processor.genainormalize.Fixture.json;
import static io.tollgate.processor.genainormalize.Fixture.parse;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.testing.Spans;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written attribute names of the project's seed documents: the Anyway trace API example
 * (seed 001), the Anthropic tracing guide (seed 002) and the AITracer blog code (seed 003).
 */
class SeedSpansMappingTest {

  private final Fixture fixture = new Fixture();

  /** Seed 001: the child span of GET /v1/traces/:trace_id. */
  @Test
  void anywayTraceApiExample() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat.completions",
                "llm.vendor", "openai",
                "llm.model", "gpt-4",
                "llm.tokens.input", 150,
                "llm.tokens.output", 200,
                "llm.cost", 0.0135));

    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "gpt-4"),
            entry("gen_ai.usage.input_tokens", 150L),
            entry("gen_ai.usage.output_tokens", 200L),
            entry("gen_ai.usage.cost", 0.0135));
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "adhoc")).isEqualTo(1);
  }

  /** Seed 002: TracedAnthropicClient.messages_create, a response cut at max_tokens. */
  @Test
  void anthropicGuideSpanCutAtMaxTokens() {
    Span.Builder s =
        span(
            "anthropic chat",
            "gen_ai.system", "anthropic",
            "gen_ai.operation.name", "chat",
            "gen_ai.request.model", "claude-opus-4-6",
            "gen_ai.request.max_tokens", 1024,
            "gen_ai.request.temperature", 0.3,
            "gen_ai.request.system", "You are a helpful assistant for Acme.",
            "gen_ai.prompt.user", "Summarise our refund policy.",
            "user.id", "user-123",
            "session.id", "sess-9",
            "app.feature", "support-bot",
            "app.prompt.version", "v3",
            "app.timestamp", "2026-01-15T10:30:00+00:00",
            "gen_ai.response.model", "claude-opus-4-6",
            "gen_ai.usage.input_tokens", 1247,
            "gen_ai.usage.output_tokens", 1024,
            "gen_ai.usage.total_tokens", 2271,
            "gen_ai.finish_reason", "max_tokens",
            "gen_ai.response.text", "Our refund policy allows",
            "llm.cost_usd", 0.006321,
            "llm.latency_ms", 1413.27,
            "llm.truncated", true);
    s.addEvents(event("response_truncated", "reason", "hit max_tokens limit", "limit", 1024));

    SpanRecord out = fixture.run(s);

    assertThat(values(out))
        .contains(
            entry("gen_ai.provider.name", "anthropic"),
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.request.model", "claude-opus-4-6"),
            entry("gen_ai.usage.input_tokens", 1247L),
            entry("gen_ai.usage.output_tokens", 1024L),
            entry("gen_ai.usage.cost", 0.006321),
            entry("gen_ai.response.finish_reasons", List.of("length")),
            entry(SpanNormalizer.FINISH_REASONS_AS_SENT, List.of("max_tokens")),
            entry("gen_ai.conversation.id", "sess-9"),
            entry("user.id", "user-123"),
            entry("gen_ai.usage.total_tokens", 2271L),
            entry("llm.latency_ms", 1413.27),
            entry("llm.truncated", true),
            entry("app.feature", "support-bot"))
        .doesNotContainKeys(
            "gen_ai.system",
            "gen_ai.request.system",
            "gen_ai.prompt.user",
            "gen_ai.response.text",
            "gen_ai.finish_reason",
            "llm.cost_usd",
            "session.id");
    assertThat(json(out, "gen_ai.system_instructions"))
        .isEqualTo(parse(
            """
            [{"type": "text", "content": "You are a helpful assistant for Acme."}]
            """));
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "user",
                    "parts": [{"type": "text", "content": "Summarise our refund policy."}]
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
                    "parts": [{"type": "text", "content": "Our refund policy allows"}],
                    "finish_reason": "length"
                  }
                ]
                """));
    assertThat(eventNames(out)).containsExactly("response_truncated");
  }

  /** Seed 002: the streaming span and the embedding span of the RAG pipeline. */
  @Test
  void anthropicGuideStreamingAndEmbeddingSpans() {
    SpanRecord stream =
        fixture.run(
            span(
                "anthropic.stream",
                "gen_ai.system", "anthropic",
                "gen_ai.request.model", "claude-opus-4-6",
                "gen_ai.usage.input_tokens", 300,
                "gen_ai.usage.output_tokens", 120,
                "gen_ai.finish_reason", "end_turn",
                "llm.latency_ms", 2210.5,
                "llm.time_to_first_token_ms", 350.0,
                "gen_ai.response.text", "Here is the summary."));
    assertThat(values(stream))
        .contains(
            entry("gen_ai.response.finish_reasons", List.of("stop")),
            entry(SpanNormalizer.FINISH_REASONS_AS_SENT, List.of("end_turn")),
            entry("gen_ai.response.time_to_first_chunk", 0.35));

    SpanRecord embed =
        fixture.run(
            span(
                "embed-query",
                "gen_ai.operation.name", "embeddings",
                "gen_ai.system", "voyage",
                "embedding.model", "voyage-3",
                "embedding.query_length", 42,
                "embedding.dimensions", 1024,
                "embedding.latency_ms", 51.2));
    assertThat(values(embed))
        .contains(
            entry("gen_ai.provider.name", "voyage"),
            entry("gen_ai.request.model", "voyage-3"),
            entry("embedding.dimensions", 1024L))
        .doesNotContainKeys("embedding.model", "gen_ai.system");
  }

  /**
   * Seed 003: TracedOpenAI.chat_completion — start_llm_span's ai_model keyword attribute, the
   * request attributes, the prompt and response events, AISpan.set_ai_metrics.
   */
  private static Span.Builder aiTracerChatCompletion(String finishReason) {
    Span.Builder s =
        span(
            "chat_completion",
            "ai_model", "gpt-4o",
            "ai.messages_count", 2,
            "ai.max_tokens", 512,
            "ai.temperature", 0.7,
            "ai.model", "gpt-4o",
            "ai.prompt_tokens", 1200,
            "ai.completion_tokens", 350,
            "ai.total_tokens", 1550,
            "ai.cost_usd", 0.0065);
    s.addEvents(event("llm_call_start", "model", "gpt-4o"));
    s.addEvents(event("prompt", "system", "You are a concise assistant.", "user_length", 48));
    s.addEvents(event("response", "finish_reason", finishReason, "response_length", 120));
    return s;
  }

  private static GenAiNormalizeConfig config(
      boolean removeOriginals, boolean overwrite, Sources sources) {
    return new GenAiNormalizeConfig(
        removeOriginals, overwrite, sources, List.of(), false, FinishReasons.CONVENTIONS);
  }

  @Test
  void aiTracerBlogSpan() {
    SpanRecord out = fixture.run(aiTracerChatCompletion("stop"));

    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.request.model", "gpt-4o"),
            entry("gen_ai.request.max_tokens", 512L),
            entry("gen_ai.request.temperature", 0.7),
            entry("gen_ai.usage.input_tokens", 1200L),
            entry("gen_ai.usage.output_tokens", 350L),
            entry("gen_ai.usage.cost", 0.0065),
            // From the response event, which stays as it was.
            entry("gen_ai.response.finish_reasons", List.of("stop")),
            entry("ai.messages_count", 2L),
            entry("ai.total_tokens", 1550L));
    assertThat(eventNames(out)).containsExactly("llm_call_start", "prompt", "response");
    assertThat(values(out.events().get(2).attributes()))
        .containsExactly(entry("finish_reason", "stop"), entry("response_length", 120L));
  }

  @Test
  void aiTracerResponseEventIsReadNeverChanged() {
    // remove_originals off or on: the event is the application's timeline and stays whole.
    SpanRecord kept =
        new Fixture(config(false, false, Sources.all()))
            .run(aiTracerChatCompletion("tool_calls"));
    assertThat(values(kept))
        .contains(
            entry("gen_ai.response.finish_reasons", List.of("tool_call")),
            entry(SpanNormalizer.FINISH_REASONS_AS_SENT, List.of("tool_calls")),
            entry("ai.model", "gpt-4o"));
    SpanRecord removed = fixture.run(aiTracerChatCompletion("length"));
    assertThat(values(removed))
        .contains(entry("gen_ai.response.finish_reasons", List.of("length")));
    assertThat(values(removed.events().get(2).attributes()))
        .containsExactly(entry("finish_reason", "length"), entry("response_length", 120L));
  }

  @Test
  void aiTracerResponseEventNeverReplacesWhatTheSpanSays() {
    Span.Builder s = aiTracerChatCompletion("length");
    s.addAttributes(Spans.kv("gen_ai.finish_reason", "stop"));
    assertThat(values(fixture.run(s.clone())))
        .contains(entry("gen_ai.response.finish_reasons", List.of("stop")));

    Span.Builder canonical = aiTracerChatCompletion("length");
    canonical.addAttributes(Spans.kv("gen_ai.response.finish_reasons", List.of("stop")));
    assertThat(values(new Fixture(config(true, true, Sources.all())).run(canonical)))
        .contains(entry("gen_ai.response.finish_reasons", List.of("stop")));
  }

  @Test
  void aiTracerResponseEventIgnoredWhenAmbiguousOffOrOnAPlainSpan() {
    Span.Builder twice = aiTracerChatCompletion("stop");
    twice.addEvents(event("response", "finish_reason", "length", "response_length", 80));
    assertThat(values(fixture.run(twice))).doesNotContainKey("gen_ai.response.finish_reasons");

    Sources noAdhoc = new Sources(true, true, true, true, false, true);
    SpanRecord off = new Fixture(config(true, false, noAdhoc)).run(aiTracerChatCompletion("stop"));
    assertThat(values(off))
        .doesNotContainKey("gen_ai.response.finish_reasons")
        .containsKey("ai.model");

    // A "response" event on a span with nothing GenAI about it is someone else's event.
    Span.Builder http = span("POST /orders", "http.request.method", "POST");
    http.addEvents(event("response", "finish_reason", "stop"));
    assertThat(values(fixture.run(http))).containsOnly(entry("http.request.method", "POST"));
  }
}
