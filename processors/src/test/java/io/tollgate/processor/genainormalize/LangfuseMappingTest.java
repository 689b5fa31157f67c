package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.strings;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.CustomMapping;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Langfuse's names: {@code langfuse.session.id} / {@code langfuse.user.id} (its OpenTelemetry docs,
 * and the compatibility names its SDKs still accept), the metadata keys its OpenAI and LangChain
 * integrations use ({@code langfuse.*.metadata.langfuse_user_id}, JSON-serialised), and the
 * generation's {@code langfuse.observation.cost_details}. The generation's model, parameters and
 * usage: {@link LangfuseGenerationMappingTest}.
 */
class LangfuseMappingTest {

  private static GenAiNormalizeConfig config(
      boolean removeOriginals, boolean overwrite, Sources sources, List<CustomMapping> custom) {
    return new GenAiNormalizeConfig(
        removeOriginals, overwrite, sources, custom, false, FinishReasons.CONVENTIONS);
  }

  /**
   * Langfuse's OpenTelemetry guide (Pydantic AI example): a plain OpenTelemetry parent span, not a
   * model call, that carries the trace's user and session for every span below it.
   */
  private static Span.Builder docsParentSpan() {
    return span(
        "Pydantic-Ai-Trace",
        "langfuse.user.id", "user-123",
        "langfuse.session.id", "123456789",
        "langfuse.tags", strings("pydantic", "demo"),
        "langfuse.prompt.name", "test-1",
        "input.value", "Put my money on square eighteen");
  }

  @Test
  void aParentSpanWithOnlyLangfuseIdsIsMappedToo() {
    Fixture fixture = new Fixture();
    SpanRecord out = fixture.run(docsParentSpan());

    assertThat(values(out))
        .containsOnly(
            entry("user.id", "user-123"),
            entry("gen_ai.conversation.id", "123456789"),
            // No canonical home: left for Langfuse, which reads them.
            entry("langfuse.tags", List.of("pydantic", "demo")),
            entry("langfuse.prompt.name", "test-1"),
            // Not an OpenInference LLM or tool span: not read as messages or arguments.
            entry("input.value", "Put my money on square eighteen"));
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "langfuse")).isEqualTo(1);
  }

  @Test
  void theGenericSessionAndUserNamesAloneDoNotMakeASpanGenAi() {
    // OpenTelemetry's general session.id / user.id on a web request: not this processor's business.
    Span.Builder http =
        span(
            "GET /cart",
            "http.request.method", "GET",
            "session.id", "web-77",
            "user.id", "u-1");
    SpanRecord out = new Fixture().run(http);
    assertThat(values(out))
        .containsOnly(
            entry("http.request.method", "GET"),
            entry("session.id", "web-77"),
            entry("user.id", "u-1"));
  }

  /**
   * Langfuse JS SDK v4: a generation under a trace whose user and session were set with
   * updateTrace (written as user.id / session.id), with the compatibility names that apps still
   * add, and the OpenAI integration's metadata, serialised as JSON.
   */
  @Test
  void jsSdkGenerationWithTraceAttributesAndIntegrationMetadata() {
    Fixture fixture = new Fixture();
    SpanRecord out =
        fixture.run(
            span(
                "openai-chat",
                "langfuse.trace.name", "checkout-assistant",
                "user.id", "user-42",
                "session.id", "sess-9",
                "langfuse.user.id", "user-42",
                "langfuse.session.id", "sess-9",
                "langfuse.trace.tags", strings("prod"),
                "langfuse.observation.type", "generation",
                "langfuse.observation.model.name", "gpt-4o-mini",
                "langfuse.observation.model.parameters", "{\"temperature\":0.2}",
                "langfuse.observation.usage_details", "{\"input\":25,\"output\":8,\"total\":33}",
                "langfuse.observation.cost_details",
                    "{\"input\":0.00000375,\"output\":0.0000048,\"total\":0.00000855}",
                "langfuse.observation.metadata.langfuse_user_id", "\"user-42\"",
                "langfuse.observation.metadata.langfuse_session_id", "\"sess-9\"",
                "langfuse.observation.metadata.feature", "\"checkout\""));

    assertThat(values(out))
        .contains(
            entry("user.id", "user-42"),
            entry("gen_ai.conversation.id", "sess-9"),
            // Read from the details, which stay: they hold the input/output split.
            entry("gen_ai.usage.cost", 0.00000855),
            entry("langfuse.observation.cost_details",
                "{\"input\":0.00000375,\"output\":0.0000048,\"total\":0.00000855}"),
            entry("langfuse.observation.metadata.feature", "\"checkout\""),
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.request.model", "gpt-4o-mini"),
            entry("gen_ai.request.temperature", 0.2),
            entry("gen_ai.usage.input_tokens", 25L),
            entry("gen_ai.usage.output_tokens", 8L))
        .doesNotContainKeys(
            "langfuse.observation.model.name",
            "langfuse.observation.model.parameters",
            "langfuse.observation.usage_details",
            "session.id",
            "langfuse.user.id",
            "langfuse.session.id",
            "langfuse.observation.metadata.langfuse_user_id",
            "langfuse.observation.metadata.langfuse_session_id");
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "conflict")).isZero();
  }

  @Test
  void traceMetadataIdsQuotedOrPlain() {
    SpanRecord quoted =
        new Fixture()
            .run(
                span(
                    "chain",
                    "langfuse.trace.metadata.langfuse_session_id", "\"sess-7\"",
                    "langfuse.trace.metadata.langfuse_user_id", "\"u-7\""));
    assertThat(values(quoted))
        .containsOnly(entry("gen_ai.conversation.id", "sess-7"), entry("user.id", "u-7"));

    SpanRecord plain =
        new Fixture()
            .run(
                span(
                    "chain",
                    "langfuse.trace.metadata.langfuse_user_id", "u-8",
                    "langfuse.trace.metadata.langfuse_session_id", 8));
    assertThat(values(plain))
        .containsOnly(entry("gen_ai.conversation.id", "8"), entry("user.id", "u-8"));
  }

  @Test
  void removeOriginalsOffKeepsTheLangfuseNames() {
    SpanRecord out =
        new Fixture(config(false, false, Sources.all(), List.of())).run(docsParentSpan());
    assertThat(values(out))
        .contains(
            entry("user.id", "user-123"),
            entry("gen_ai.conversation.id", "123456789"),
            entry("langfuse.user.id", "user-123"),
            entry("langfuse.session.id", "123456789"));
  }

  @Test
  void anIdAlreadyOnTheSpanWinsUnlessOverwrite() {
    Span.Builder s =
        span(
            "agent-run",
            "gen_ai.conversation.id", "thread-1",
            "langfuse.session.id", "lf-session-1",
            "langfuse.user.id", "user-123");

    Fixture byDefault = new Fixture();
    assertThat(values(byDefault.run(s.clone())))
        .containsOnly(
            entry("gen_ai.conversation.id", "thread-1"),
            entry("langfuse.session.id", "lf-session-1"),
            entry("user.id", "user-123"));
    assertThat(byDefault.counter(NormalizeMetrics.KEPT, "reason", "conflict")).isEqualTo(1);

    assertThat(values(new Fixture(config(true, true, Sources.all(), List.of())).run(s.clone())))
        .containsOnly(
            entry("gen_ai.conversation.id", "lf-session-1"), entry("user.id", "user-123"));
  }

  @Test
  void langfuseSwitchedOffLeavesItsNamesAlone() {
    Sources noLangfuse = new Sources(true, true, true, true, true, false);
    SpanRecord out =
        new Fixture(config(true, false, noLangfuse, List.of()))
            .run(
                span(
                    "openai-chat",
                    "langfuse.user.id", "user-42",
                    "langfuse.session.id", "sess-9",
                    "langfuse.observation.cost_details", "{\"total\":0.5}",
                    "langfuse.trace.metadata.langfuse_user_id", "\"user-42\""));
    assertThat(values(out))
        .containsOnly(
            entry("langfuse.user.id", "user-42"),
            entry("langfuse.session.id", "sess-9"),
            entry("langfuse.observation.cost_details", "{\"total\":0.5}"),
            entry("langfuse.trace.metadata.langfuse_user_id", "\"user-42\""));
  }

  @Test
  void aCustomMappingReplacesTheBuiltInRow() {
    SpanRecord out =
        new Fixture(
                config(
                    true,
                    false,
                    Sources.all(),
                    List.of(new CustomMapping("langfuse.user.id", "enduser.id"))))
            .run(docsParentSpan());
    assertThat(values(out))
        .contains(entry("enduser.id", "user-123"), entry("gen_ai.conversation.id", "123456789"))
        .doesNotContainKeys("user.id", "langfuse.user.id");
  }
}
