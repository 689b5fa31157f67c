package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.event;
import static io.tollgate.processor.genainormalize.Fixture.eventNames;
import static io.tollgate.processor.genainormalize.Fixture.json;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A value that cannot be converted, or that disagrees, stays under its original key. */
class NeverLosesInformationTest {

  private final Fixture fixture = new Fixture();

  @Test
  void unparseableTokenCountStaysUnderItsKey() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat",
                "gen_ai.system", "openai",
                "gen_ai.usage.prompt_tokens", "n/a",
                "gen_ai.usage.completion_tokens", 12));

    assertThat(values(out))
        .contains(
            entry("gen_ai.usage.prompt_tokens", "n/a"),
            entry("gen_ai.usage.output_tokens", 12L))
        .doesNotContainKeys("gen_ai.usage.input_tokens", "gen_ai.usage.completion_tokens");
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unconvertible")).isEqualTo(1);
  }

  @Test
  void tokenCountsAsIntDoubleOrStringAreWrittenAsInts() {
    SpanRecord out =
        fixture.run(
            span(
                "x",
                "llm.token_count.prompt", "120",
                "llm.token_count.completion", 48.0,
                "llm.token_count.prompt_details.cache_read", " 100 ",
                "llm.token_count.completion_details.reasoning", "7.0"));
    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.usage.input_tokens", 120L),
            entry("gen_ai.usage.output_tokens", 48L),
            entry("gen_ai.usage.cache_read.input_tokens", 100L),
            entry("gen_ai.usage.reasoning.output_tokens", 7L));
  }

  @Test
  void fractionalNegativeOrStructuredCountsAreNotGuessed() {
    SpanRecord out =
        fixture.run(
            span(
                "x",
                "llm.token_count.prompt", 12.5,
                "llm.token_count.completion", -3,
                "llm.token_count.prompt_details.cache_read", List.of("1", "2")));
    assertThat(values(out))
        .containsOnly(
            entry("llm.token_count.prompt", 12.5),
            entry("llm.token_count.completion", -3L),
            entry("llm.token_count.prompt_details.cache_read", List.of("1", "2")));
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unconvertible")).isEqualTo(3);
  }

  @Test
  void valuesAndNamesWithoutACanonicalHomeStay() {
    // OpenLLMetry's rerank has no gen_ai.operation.name; request headers are not ours to drop
    // (that is the redaction processor's job).
    Fixture f = new Fixture();
    SpanRecord out =
        f.run(
            span(
                "cohere.rerank",
                "llm.request.type", "rerank",
                "gen_ai.system", "Cohere",
                "gen_ai.headers", "{'x-client-name': 'demo'}",
                "llm.headers", "None"));
    assertThat(values(out))
        .containsOnly(
            entry("llm.request.type", "rerank"),
            entry("gen_ai.provider.name", "cohere"),
            entry("gen_ai.headers", "{'x-client-name': 'demo'}"),
            entry("llm.headers", "None"));
    assertThat(f.counter(NormalizeMetrics.KEPT, "reason", "unconvertible")).isEqualTo(1);
  }

  @Test
  void aSecondSourceThatDisagreesIsKept() {
    SpanRecord out =
        fixture.run(
            span(
                "x",
                "gen_ai.system", "openai",
                "llm.vendor", "anthropic",
                "llm.usage.prompt_tokens", 10,
                "gen_ai.usage.prompt_tokens", 11));
    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.provider.name", "openai"),
            entry("llm.vendor", "anthropic"),
            entry("gen_ai.usage.input_tokens", 11L),
            entry("llm.usage.prompt_tokens", 10L));
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "conflict")).isEqualTo(2);
  }

  @Test
  void fieldsOfAMessageFamilyThatHaveNoPlaceStay() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat",
                "gen_ai.completion.0.role", "assistant",
                "gen_ai.completion.0.content", "Hello",
                "gen_ai.completion.0.finish_reason", "content_filter",
                "gen_ai.completion.0.content_filter_results",
                    "{\"hate\": {\"filtered\": false, \"severity\": \"safe\"}}",
                "gen_ai.prompt.0.role", "user",
                "gen_ai.prompt.0.content", 42));

    assertThat(values(out))
        .contains(
            entry("gen_ai.completion.0.content_filter_results",
                "{\"hate\": {\"filtered\": false, \"severity\": \"safe\"}}"),
            // Not a string: not turned into text, left as sent.
            entry("gen_ai.prompt.0.content", 42L),
            entry("gen_ai.response.finish_reasons", List.of("content_filter")))
        .doesNotContainKeys("gen_ai.completion.0.content", "gen_ai.prompt.0.role");
    assertThat(json(out, "gen_ai.input.messages").get(0).get("parts")).isEmpty();
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unknown_field")).isEqualTo(2);
  }

  @Test
  void anEventWithAttributesTheMappingDoesNotKnowIsKept() {
    Span.Builder s = span("chat", "gen_ai.system", "openai");
    s.addEvents(event("gen_ai.user.message", "content", "hi", "app.message_id", "m-1"));
    s.addEvents(event("gen_ai.user.message", "content", "again"));

    SpanRecord out = fixture.run(s);

    assertThat(json(out, "gen_ai.input.messages")).hasSize(2);
    assertThat(eventNames(out)).containsExactly("gen_ai.user.message");
    assertThat(out.events().get(0).attributes().getString("app.message_id")).isEqualTo("m-1");
  }

  @Test
  void messagesThatDisagreeWithTheCanonicalOnesStay() {
    String canonical =
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hello\"}]}]";
    SpanRecord out =
        fixture.run(
            span(
                "chat",
                "gen_ai.input.messages", canonical,
                "gen_ai.prompt.0.role", "user",
                "gen_ai.prompt.0.content", "something else",
                "gen_ai.prompt.user", "hello"));
    assertThat(values(out))
        .contains(
            entry("gen_ai.input.messages", canonical),
            entry("gen_ai.prompt.0.role", "user"),
            entry("gen_ai.prompt.0.content", "something else"))
        // Same message as the canonical one, written differently: a duplicate, dropped.
        .doesNotContainKey("gen_ai.prompt.user");
  }

  @Test
  void numbersInsideToolArgumentsKeepEveryDigit() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat",
                "gen_ai.completion.0.role", "assistant",
                "gen_ai.completion.0.tool_calls.0.id", "call_1",
                "gen_ai.completion.0.tool_calls.0.name", "pay",
                "gen_ai.completion.0.tool_calls.0.arguments",
                    "{\"amount\": 1.50, \"rate\": 0.1000000000000000055, \"id\": 12345678901234567890}"));

    String messages = out.attributes().getString("gen_ai.output.messages");
    assertThat(messages)
        .contains("\"amount\":1.50")
        .contains("\"rate\":0.1000000000000000055")
        .contains("\"id\":12345678901234567890");
  }
}
