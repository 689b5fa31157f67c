package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.event;
import static io.tollgate.processor.genainormalize.Fixture.eventNames;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomMapping;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomType;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** remove_originals, overwrite, sources, custom_mappings, rename_spans, finish_reasons. */
class NormalizeOptionsTest {

  private static GenAiNormalizeConfig config(
      boolean removeOriginals,
      boolean overwrite,
      Sources sources,
      List<CustomMapping> custom,
      boolean renameSpans) {
    return new GenAiNormalizeConfig(
        removeOriginals, overwrite, sources, custom, renameSpans, FinishReasons.CONVENTIONS);
  }

  private static Span.Builder openInferenceSpan() {
    return span(
        "ChatCompletion",
        "openinference.span.kind", "LLM",
        "gen_ai.request.model", "gpt-4o",
        "llm.model_name", "gpt-4o-2024-08-06",
        "llm.token_count.prompt", 25);
  }

  @Test
  void byDefaultTheCanonicalValueWinsAndTheDifferingSourceStays() {
    SpanRecord out = new Fixture().run(openInferenceSpan());
    assertThat(values(out))
        .contains(
            entry("gen_ai.request.model", "gpt-4o"),
            entry("llm.model_name", "gpt-4o-2024-08-06"),
            entry("gen_ai.usage.input_tokens", 25L))
        .doesNotContainKey("llm.token_count.prompt");
  }

  @Test
  void overwriteLetsTheSourceReplaceTheCanonicalValue() {
    SpanRecord out =
        new Fixture(config(true, true, Sources.all(), List.of(), false)).run(openInferenceSpan());
    assertThat(values(out))
        .contains(entry("gen_ai.request.model", "gpt-4o-2024-08-06"))
        .doesNotContainKey("llm.model_name");
  }

  @Test
  void overwriteNeverLetsAnInferenceReplaceWhatTheSpanSays() {
    SpanRecord out =
        new Fixture(config(true, true, Sources.all(), List.of(), false))
            .run(
                span(
                    "x",
                    "gen_ai.operation.name", "generate_content",
                    "openinference.span.kind", "LLM"));
    assertThat(values(out)).contains(entry("gen_ai.operation.name", "generate_content"));
  }

  @Test
  void removeOriginalsOffKeepsEverySourceNextToItsCanonicalCopy() {
    Span.Builder s =
        span(
            "openai.chat",
            "gen_ai.system", "OpenAI",
            "gen_ai.usage.prompt_tokens", 22,
            "gen_ai.prompt.0.role", "user",
            "gen_ai.prompt.0.content", "hi");
    s.addEvents(event("gen_ai.user.message", "content", "hi"));
    SpanRecord out = new Fixture(config(false, false, Sources.all(), List.of(), false)).run(s);

    assertThat(values(out))
        .contains(
            entry("gen_ai.system", "OpenAI"),
            entry("gen_ai.usage.prompt_tokens", 22L),
            entry("gen_ai.prompt.0.content", "hi"),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.usage.input_tokens", 22L))
        .containsKey("gen_ai.input.messages");
    assertThat(eventNames(out)).containsExactly("gen_ai.user.message");
  }

  @Test
  void customMappingsRenameTheUsersOwnAttributes() {
    List<CustomMapping> custom =
        List.of(
            new CustomMapping("app.llm.model", "gen_ai.request.model"),
            // auto: the target is a token count, so "42" is written as the int 42.
            new CustomMapping("app.llm.tokens_in", "gen_ai.usage.input_tokens"),
            new CustomMapping("app.llm.vendor", "gen_ai.provider.name"),
            new CustomMapping("app.tenant", "tenant.id", CustomType.STRING),
            // A custom mapping wins over the built-in rule of the same source key.
            new CustomMapping("llm.model", "app.legacy_model"));
    SpanRecord out =
        new Fixture(config(true, false, Sources.all(), custom, false))
            .run(
                span(
                    "call-llm",
                    "app.llm.model", "mistral-large-latest",
                    "app.llm.tokens_in", "42",
                    "app.llm.vendor", "MistralAI",
                    "app.tenant", 7,
                    "llm.model", "old-name"));

    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.request.model", "mistral-large-latest"),
            entry("gen_ai.usage.input_tokens", 42L),
            entry("gen_ai.provider.name", "mistral_ai"),
            entry("tenant.id", "7"),
            entry("app.legacy_model", "old-name"));
  }

  @Test
  void aDisabledDialectIsLeftAlone() {
    Sources noOpenInference = new Sources(true, true, false, true, true, true);
    Span.Builder s =
        span(
            "ChatCompletion",
            "openinference.span.kind", "LLM",
            "llm.model_name", "gpt-4o",
            "llm.token_count.prompt", 25,
            "llm.input_messages.0.message.role", "user",
            "llm.input_messages.0.message.content", "hi",
            "gen_ai.system", "openai");
    SpanRecord out = new Fixture(config(true, false, noOpenInference, List.of(), false)).run(s);

    assertThat(values(out))
        .containsOnly(
            entry("openinference.span.kind", "LLM"),
            entry("llm.model_name", "gpt-4o"),
            entry("llm.token_count.prompt", 25L),
            entry("llm.input_messages.0.message.role", "user"),
            entry("llm.input_messages.0.message.content", "hi"),
            entry("gen_ai.provider.name", "openai"));

    Sources noDeprecated = new Sources(false, true, true, true, true, true);
    Span.Builder withEvent = span("x", "gen_ai.system", "openai");
    withEvent.addEvents(event("gen_ai.user.message", "content", "hi"));
    SpanRecord kept =
        new Fixture(config(true, false, noDeprecated, List.of(), false)).run(withEvent);
    assertThat(values(kept)).containsOnly(entry("gen_ai.system", "openai"));
    assertThat(eventNames(kept)).containsExactly("gen_ai.user.message");
  }

  @Test
  void renameSpansNamesInferenceSpansAfterOperationAndModel() {
    Fixture fixture = new Fixture(config(true, false, Sources.all(), List.of(), true));

    SpanRecord chat =
        fixture.run(
            span(
                "openai.chat",
                "llm.request.type", "chat",
                "gen_ai.request.model", "gpt-3.5-turbo"));
    assertThat(chat.name()).isEqualTo("chat gpt-3.5-turbo");

    SpanRecord embed =
        fixture.run(
            span("CreateEmbeddings", "openinference.span.kind", "EMBEDDING",
                "embedding.model_name", "text-embedding-3-small"));
    assertThat(embed.name()).isEqualTo("embeddings text-embedding-3-small");

    // Not an inference span, or no model: the name stays.
    assertThat(fixture.run(span("get_weather.tool", "traceloop.span.kind", "tool")).name())
        .isEqualTo("get_weather.tool");
    assertThat(fixture.run(span("openai.chat", "llm.request.type", "chat")).name())
        .isEqualTo("openai.chat");
    assertThat(fixture.counter(NormalizeMetrics.RENAMED)).isEqualTo(2);

    // Off by default.
    assertThat(
            new Fixture()
                .run(
                    span(
                        "openai.chat",
                        "llm.request.type", "chat",
                        "gen_ai.request.model", "gpt-4o"))
                .name())
        .isEqualTo("openai.chat");
  }

  @Test
  void finishReasonsAsSentKeepsTheProvidersVocabulary() {
    Fixture fixture =
        new Fixture(
            new GenAiNormalizeConfig(
                true, false, Sources.all(), List.of(), false, FinishReasons.AS_SENT));
    SpanRecord out =
        fixture.run(
            span(
                "anthropic chat",
                "gen_ai.system", "anthropic",
                "gen_ai.finish_reason", "max_tokens",
                "gen_ai.response.text", "Our refund"));
    assertThat(values(out))
        .contains(entry("gen_ai.response.finish_reasons", List.of("max_tokens")))
        .doesNotContainKey(SpanNormalizer.FINISH_REASONS_AS_SENT);
    // The output message's finish_reason is an enum in the conventions: always mapped.
    assertThat(Fixture.json(out, "gen_ai.output.messages").get(0).get("finish_reason").asText())
        .isEqualTo("length");
  }
}
