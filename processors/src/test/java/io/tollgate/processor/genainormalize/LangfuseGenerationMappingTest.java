package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Langfuse SDKs (Python v3, JS v4; OpenTelemetry-based) write on a generation: {@code
 * langfuse.observation.type}, {@code .model.name}, {@code .model.parameters} and {@code
 * .usage_details}, the last two as JSON strings (Python {@code json.dumps}, with its spaces; JS
 * {@code JSON.stringify}, without).
 */
class LangfuseGenerationMappingTest {

  private static final String USAGE = "langfuse.observation.usage_details";
  private static final String PARAMS = "langfuse.observation.model.parameters";

  private static GenAiNormalizeConfig config(
      boolean removeOriginals, boolean overwrite, Sources sources) {
    return new GenAiNormalizeConfig(
        removeOriginals, overwrite, sources, List.of(), false, FinishReasons.CONVENTIONS);
  }

  /**
   * Python SDK v3, by hand: {@code langfuse.start_observation(as_type="generation",
   * model="gpt-4o", model_parameters={...})} then {@code .update(usage_details={...})}, with the
   * usage as in Langfuse's docs (Anthropic's cache key).
   */
  @Test
  void pythonSdkManualGeneration() {
    Fixture fixture = new Fixture();
    SpanRecord out =
        fixture.run(
            span(
                "summarize",
                "langfuse.observation.type", "generation",
                "langfuse.observation.model.name", "gpt-4o",
                PARAMS, "{\"temperature\": 0.7, \"max_tokens\": 256}",
                USAGE,
                    "{\"input\": 10, \"output\": 25, \"total\": 35,"
                        + " \"cache_read_input_tokens\": 3}",
                "langfuse.observation.input", "[{\"role\": \"user\", \"content\": \"Hi\"}]"));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "chat"),
            entry("langfuse.observation.type", "generation"), // a hint: Langfuse needs it
            entry("gen_ai.request.model", "gpt-4o"),
            entry("gen_ai.request.temperature", 0.7),
            entry("gen_ai.request.max_tokens", 256L),
            // Langfuse's buckets add up: 10 uncached + 3 read from the cache.
            entry("gen_ai.usage.input_tokens", 13L),
            entry("gen_ai.usage.output_tokens", 25L),
            entry("gen_ai.usage.cache_read.input_tokens", 3L),
            // ...so its total (35, not 38) is a number no canonical count gives back: it stays.
            entry(
                USAGE,
                "{\"input\": 10, \"output\": 25, \"total\": 35, \"cache_read_input_tokens\": 3}"),
            entry("langfuse.observation.input", "[{\"role\": \"user\", \"content\": \"Hi\"}]"))
        .doesNotContainKeys("langfuse.observation.model.name", PARAMS);
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unknown_field")).isEqualTo(1);
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "langfuse")).isEqualTo(1);
  }

  /**
   * JS SDK v4, {@code observeOpenAI(new OpenAI())}: the integration splits OpenAI's usage into
   * Langfuse's buckets (input minus every prompt detail, output minus every completion detail) and
   * writes the request's parameters, undefined ones dropped by JSON.stringify.
   */
  @Test
  void jsSdkOpenAiIntegrationWithCacheAndReasoning() {
    Fixture fixture = new Fixture();
    SpanRecord out =
        fixture.run(
            span(
                "OpenAI-completion",
                "langfuse.observation.type", "generation",
                "langfuse.observation.model.name", "o4-mini-2025-04-16",
                PARAMS, "{\"max_tokens\":256,\"stream\":false,\"temperature\":1}",
                USAGE,
                    "{\"input\":7,\"output\":20,\"total\":35,\"input_cached_tokens\":3,"
                        + "\"input_audio_tokens\":0,\"output_reasoning_tokens\":5,"
                        + "\"output_audio_tokens\":0,\"output_accepted_prediction_tokens\":0,"
                        + "\"output_rejected_prediction_tokens\":0}"));

    assertThat(values(out))
        .containsOnly(
            entry("langfuse.observation.type", "generation"),
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.request.model", "o4-mini-2025-04-16"),
            entry("gen_ai.request.temperature", 1.0),
            entry("gen_ai.request.max_tokens", 256L),
            entry("gen_ai.request.stream", false),
            // OpenAI's own numbers again: prompt 10 (3 cached), completion 25 (5 reasoning).
            entry("gen_ai.usage.input_tokens", 10L),
            entry("gen_ai.usage.output_tokens", 25L),
            entry("gen_ai.usage.cache_read.input_tokens", 3L),
            entry("gen_ai.usage.reasoning.output_tokens", 5L));
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unknown_field")).isZero();
  }

  /**
   * Python SDK v3, {@code from langfuse.openai import openai}: OpenAI's usage object passed on as
   * is (Langfuse's ingestion splits it), and the parameters with the integration's defaults filled
   * in, max_tokens as float("inf"), which json.dumps writes as the bare word Infinity.
   */
  @Test
  void pythonSdkOpenAiIntegrationPassesOpenAisUsageObject() {
    Fixture fixture = new Fixture();
    SpanRecord out =
        fixture.run(
            span(
                "OpenAI-generation",
                "langfuse.observation.type", "generation",
                "langfuse.observation.model.name", "gpt-4o-mini-2024-07-18",
                PARAMS,
                    "{\"temperature\": 1, \"max_tokens\": Infinity, \"top_p\": 1,"
                        + " \"frequency_penalty\": 0, \"presence_penalty\": 0}",
                USAGE,
                    "{\"completion_tokens\": 25, \"prompt_tokens\": 2000, \"total_tokens\": 2025,"
                        + " \"completion_tokens_details\": {\"accepted_prediction_tokens\": 0,"
                        + " \"audio_tokens\": 0, \"reasoning_tokens\": 0,"
                        + " \"rejected_prediction_tokens\": 0},"
                        + " \"prompt_tokens_details\": {\"audio_tokens\": 0,"
                        + " \"cached_tokens\": 1024}}"));

    assertThat(values(out))
        .containsOnly(
            entry("langfuse.observation.type", "generation"),
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.request.model", "gpt-4o-mini-2024-07-18"),
            entry("gen_ai.request.temperature", 1.0),
            entry("gen_ai.request.top_p", 1.0),
            entry("gen_ai.request.frequency_penalty", 0.0),
            entry("gen_ai.request.presence_penalty", 0.0),
            // max_tokens: Infinity is "no limit": nothing to write, nothing lost.
            entry("gen_ai.usage.input_tokens", 2000L),
            entry("gen_ai.usage.output_tokens", 25L),
            entry("gen_ai.usage.cache_read.input_tokens", 1024L),
            entry("gen_ai.usage.reasoning.output_tokens", 0L));
  }

  /** The Responses API, same integration: OpenAI's other usage object. */
  @Test
  void pythonSdkOpenAiResponsesApiUsage() {
    SpanRecord out =
        new Fixture()
            .run(
                span(
                    "OpenAI-generation",
                    "langfuse.observation.type", "generation",
                    USAGE,
                        "{\"input_tokens\": 36, \"input_tokens_details\": {\"cached_tokens\": 0},"
                            + " \"output_tokens\": 87, \"output_tokens_details\":"
                            + " {\"reasoning_tokens\": 64}, \"total_tokens\": 123}"));
    assertThat(values(out))
        .contains(
            entry("gen_ai.usage.input_tokens", 36L),
            entry("gen_ai.usage.output_tokens", 87L),
            entry("gen_ai.usage.cache_read.input_tokens", 0L),
            entry("gen_ai.usage.reasoning.output_tokens", 64L))
        .doesNotContainKey(USAGE);
  }

  /**
   * Python SDK v3 LangChain callback handler on a Claude call: LangChain's usage_metadata turned
   * into Langfuse's buckets (input_tokens → input, its cache details → input_cache_read /
   * input_cache_creation, subtracted from input).
   */
  @Test
  void langChainCallbackHandlerUsage() {
    SpanRecord out =
        new Fixture()
            .run(
                span(
                    "ChatAnthropic",
                    "langfuse.observation.type", "generation",
                    "langfuse.observation.model.name", "claude-sonnet-4-5-20250929",
                    USAGE,
                        "{\"input\": 200, \"output\": 85, \"total\": 2285,"
                            + " \"input_cache_read\": 1000, \"input_cache_creation\": 1000}"));
    assertThat(values(out))
        .containsOnly(
            entry("langfuse.observation.type", "generation"),
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.request.model", "claude-sonnet-4-5-20250929"),
            entry("gen_ai.usage.input_tokens", 2200L),
            entry("gen_ai.usage.output_tokens", 85L),
            entry("gen_ai.usage.cache_read.input_tokens", 1000L),
            entry("gen_ai.usage.cache_creation.input_tokens", 1000L));
  }

  /** Python SDK v3 OpenAI integration, embeddings: its own observation type and parameters. */
  @Test
  void pythonSdkOpenAiEmbedding() {
    SpanRecord out =
        new Fixture()
            .run(
                span(
                    "OpenAI-embedding",
                    "langfuse.observation.type", "embedding",
                    "langfuse.observation.model.name", "text-embedding-3-small",
                    PARAMS, "{\"dimensions\": 256, \"encoding_format\": \"base64\"}",
                    USAGE, "{\"input\": 8}"));
    assertThat(values(out))
        .containsOnly(
            entry("langfuse.observation.type", "embedding"),
            entry("gen_ai.operation.name", "embeddings"),
            entry("gen_ai.request.model", "text-embedding-3-small"),
            entry("gen_ai.embeddings.dimension.count", 256L),
            entry("gen_ai.request.encoding_formats", List.of("base64")),
            entry("gen_ai.usage.input_tokens", 8L));
  }

  /**
   * JS SDK v4, Responses API: the parameters read back from the response include some the
   * conventions have no attribute for. Those with one are written; the object stays for the rest.
   */
  @Test
  void parametersWithoutACanonicalHomeKeepTheObject() {
    Fixture fixture = new Fixture();
    String params =
        "{\"max_output_tokens\":500,\"parallel_tool_calls\":true,\"store\":true,"
            + "\"temperature\":1,\"tool_choice\":\"auto\",\"top_p\":1,\"truncation\":\"disabled\"}";
    SpanRecord out =
        fixture.run(
            span(
                "OpenAI-completion",
                "langfuse.observation.type", "generation",
                "langfuse.observation.model.name", "gpt-4.1",
                PARAMS, params));
    assertThat(values(out))
        .contains(
            entry("gen_ai.request.max_tokens", 500L),
            entry("gen_ai.request.temperature", 1.0),
            entry("gen_ai.request.top_p", 1.0),
            entry(PARAMS, params));
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unknown_field")).isEqualTo(1);
  }

  @Test
  void usageKindsWithoutACanonicalHomeKeepTheObject() {
    // 40 audio tokens are part of the 100 input tokens, but nothing says "audio" afterwards.
    String usage = "{\"input\":60,\"input_audio_tokens\":40,\"output\":10,\"total\":110}";
    SpanRecord out =
        new Fixture()
            .run(span("gpt-4o-audio", "langfuse.observation.type", "generation", USAGE, usage));
    assertThat(values(out))
        .contains(
            entry("gen_ai.usage.input_tokens", 100L),
            entry("gen_ai.usage.output_tokens", 10L),
            entry(USAGE, usage));
  }

  @Test
  void unreadableUsageStaysAndIsCountedOnce() {
    Fixture fixture = new Fixture();
    SpanRecord out =
        fixture.run(
            span(
                "g",
                "langfuse.observation.type", "generation",
                USAGE, "<failed to serialize>"));
    assertThat(values(out)).containsEntry(USAGE, "<failed to serialize>");
    assertThat(values(out)).doesNotContainKeys("gen_ai.usage.input_tokens");
    // Five targets read it; it is one attribute kept.
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unconvertible")).isEqualTo(1);
  }

  @Test
  void aCountThatCannotBeReadSpoilsOnlyItsSide() {
    Fixture fixture = new Fixture();
    String usage = "{\"input\":\"ten\",\"output\":5}";
    SpanRecord out =
        fixture.run(span("g", "langfuse.observation.type", "generation", USAGE, usage));
    assertThat(values(out))
        .contains(entry("gen_ai.usage.output_tokens", 5L), entry(USAGE, usage))
        .doesNotContainKey("gen_ai.usage.input_tokens");
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unconvertible")).isEqualTo(1);
  }

  @Test
  void aParameterThatCannotBeConvertedKeepsTheObject() {
    Fixture fixture = new Fixture();
    String params = "{\"temperature\":\"warm\",\"max_tokens\":64}";
    SpanRecord out =
        fixture.run(span("g", "langfuse.observation.type", "generation", PARAMS, params));
    assertThat(values(out))
        .contains(entry("gen_ai.request.max_tokens", 64L), entry(PARAMS, params))
        .doesNotContainKey("gen_ai.request.temperature");
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unconvertible")).isEqualTo(1);
  }

  /** OpenLLMetry's instrumentation under a Langfuse generation: the other source names it. */
  @Test
  void theObservationTypeOnlyInfersWhenNothingElseSays() {
    SpanRecord legacy =
        new Fixture()
            .run(
                span(
                    "openai.completion",
                    "llm.request.type", "completion",
                    "langfuse.observation.type", "generation"));
    assertThat(values(legacy))
        .containsEntry("gen_ai.operation.name", "text_completion")
        .containsEntry("langfuse.observation.type", "generation");

    SpanRecord canonical =
        new Fixture()
            .run(
                span(
                    "generate_content gemini-2.5-flash",
                    "gen_ai.operation.name", "generate_content",
                    "langfuse.observation.type", "generation"));
    assertThat(values(canonical)).containsEntry("gen_ai.operation.name", "generate_content");

    // A type that says nothing about the operation infers nothing.
    SpanRecord tool =
        new Fixture().run(span("search", "langfuse.observation.type", "tool"));
    assertThat(values(tool)).containsOnly(entry("langfuse.observation.type", "tool"));
  }

  /** The OpenTelemetry GenAI instrumentation and the Langfuse SDK on one span, agreeing. */
  @Test
  void equalCanonicalValuesConsumeTheLangfuseOnesDifferentOnesStay() {
    Span.Builder s =
        span(
            "chat gpt-4o",
            "gen_ai.request.model", "gpt-4o",
            "gen_ai.usage.input_tokens", 10,
            "gen_ai.usage.output_tokens", 25,
            "langfuse.observation.model.name", "gpt-4o-2024-08-06",
            USAGE, "{\"input\":10,\"output\":25,\"total\":35}");

    Fixture byDefault = new Fixture();
    assertThat(values(byDefault.run(s.clone())))
        .contains(
            entry("gen_ai.request.model", "gpt-4o"),
            entry("langfuse.observation.model.name", "gpt-4o-2024-08-06"),
            entry("gen_ai.usage.input_tokens", 10L))
        .doesNotContainKey(USAGE);
    assertThat(byDefault.counter(NormalizeMetrics.KEPT, "reason", "conflict")).isEqualTo(1);

    assertThat(values(new Fixture(config(true, true, Sources.all())).run(s.clone())))
        .contains(entry("gen_ai.request.model", "gpt-4o-2024-08-06"))
        .doesNotContainKeys("langfuse.observation.model.name", USAGE);
  }

  @Test
  void removeOriginalsOffKeepsEverythingAndStillWrites() {
    SpanRecord out =
        new Fixture(config(false, false, Sources.all()))
            .run(
                span(
                    "g",
                    "langfuse.observation.model.name", "gpt-4o",
                    PARAMS, "{\"temperature\":0.2}",
                    USAGE, "{\"input\":7,\"output\":2}"));
    assertThat(values(out))
        .contains(
            entry("gen_ai.request.model", "gpt-4o"),
            entry("gen_ai.request.temperature", 0.2),
            entry("gen_ai.usage.input_tokens", 7L),
            entry("langfuse.observation.model.name", "gpt-4o"),
            entry(PARAMS, "{\"temperature\":0.2}"),
            entry(USAGE, "{\"input\":7,\"output\":2}"));
  }

  @Test
  void langfuseSwitchedOffLeavesTheGenerationAlone() {
    Sources noLangfuse = new Sources(true, true, true, true, true, false);
    Span.Builder s =
        span(
            "g",
            "langfuse.observation.type", "generation",
            "langfuse.observation.model.name", "gpt-4o",
            PARAMS, "{\"temperature\":0.2}",
            USAGE, "{\"input\":7,\"output\":2}");
    SpanRecord out = new Fixture(config(true, false, noLangfuse)).run(s);
    assertThat(values(out))
        .containsOnly(
            entry("langfuse.observation.type", "generation"),
            entry("langfuse.observation.model.name", "gpt-4o"),
            entry(PARAMS, "{\"temperature\":0.2}"),
            entry(USAGE, "{\"input\":7,\"output\":2}"));
  }
}
