package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.strings;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.testing.Spans;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every single-attribute row of the mapping table, one span each: the source alone (plus what its
 * condition needs) becomes the target with the converted value, and is removed — or, for hints,
 * stays. The dialect tests show the rows together on real spans; this one makes sure none is
 * missed: {@link #everyRowOfTheShippedTableHasACase()} fails for a row added without a case here.
 */
class MappingTableRowsTest {

  /** An unmapped key in a strong namespace, for sources that alone would not mark a GenAI span. */
  private static final Object[] GENAI_SPAN = {"ai.messages_count", 2};

  private static final String TOOL =
      "{\"type\":\"function\",\"name\":\"weather\","
          + "\"description\":\"Get the weather\",\"parameters\":{\"type\":\"object\"}}";
  private static final String USER_HI =
      "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]";
  private static final String ASSISTANT_HELLO =
      "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]";

  /** One case: {@code key = sent} (with {@code context}) gives {@code target = expected}. */
  static final class Row {
    final String key;
    final Object sent;
    String target;
    Object expected;
    String field;
    Condition when = Condition.ALWAYS;
    boolean stays;
    Object[] context = {};

    Row(String key, Object sent) {
      this.key = key;
      this.sent = sent;
    }

    Row to(String target, Object expected) {
      this.target = target;
      this.expected = expected;
      return this;
    }

    /** A hint (or a key another rule keeps): the source is read, not removed. */
    Row stays() {
      this.stays = true;
      return this;
    }

    Row field(String field) {
      this.field = field;
      return this.stays();
    }

    /** A field of a JSON object read by a non-hint rule: the object alone goes once read. */
    Row reads(String field) {
      this.field = field;
      return this;
    }

    Row when(Condition when, Object... context) {
      this.when = when;
      this.context = context;
      return this;
    }

    Row on(Object... context) {
      this.context = context;
      return this;
    }

    String label() {
      return label(key, field, target, when);
    }

    static String label(String key, String field, String target, Condition when) {
      return key
          + (field == null ? "" : "[" + field + "]")
          + " -> "
          + target
          + (when == Condition.ALWAYS ? "" : " when " + when.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return label();
    }
  }

  private static Row row(String key, Object sent) {
    return new Row(key, sent);
  }

  /** A field of OpenInference's llm.invocation_parameters JSON (read as a hint: it stays). */
  private static Row params(String field, Object value, String target, Object expected) {
    String literal =
        value instanceof String text && !text.startsWith("[") ? "\"" + text + "\"" : "" + value;
    String json = "{\"" + field + "\": " + literal + ", \"user\": \"ignored\"}";
    return row("llm.invocation_parameters", json).to(target, expected).field(field);
  }

  /**
   * A field of Langfuse's langfuse.observation.model.parameters, alone in the object as the SDKs
   * write it (JSON.stringify): read, then removed.
   */
  private static Row lfParam(String field, String literal, String target, Object expected) {
    String json = "{\"" + field + "\":" + literal + "}";
    return row("langfuse.observation.model.parameters", json).to(target, expected).reads(field);
  }

  private static Row lfUsage(String json, String target, long expected) {
    return row("langfuse.observation.usage_details", json).to(target, expected);
  }

  static List<Row> rows() {
    String op = "gen_ai.operation.name";
    String provider = "gen_ai.provider.name";
    String model = "gen_ai.request.model";
    String in = "gen_ai.usage.input_tokens";
    String out = "gen_ai.usage.output_tokens";
    String cacheRead = "gen_ai.usage.cache_read.input_tokens";
    String cacheWrite = "gen_ai.usage.cache_creation.input_tokens";
    String reasoning = "gen_ai.usage.reasoning.output_tokens";
    String finish = "gen_ai.response.finish_reasons";
    String session = "gen_ai.conversation.id";
    String user = "user.id";
    return List.of(
        // gen_ai.operation.name
        row("llm.request.type", "completion").to(op, "text_completion"),
        row("ai.operationId", "ai.streamText.doStream").to(op, "chat").stays(),
        row("openinference.span.kind", "LLM")
            .to(op, "text_completion")
            .stays()
            .when(Condition.OI_COMPLETIONS_API, "llm.prompts.0.prompt.text", "Say hi"),
        row("openinference.span.kind", "RETRIEVER").to(op, "retrieval").stays(),
        row("traceloop.span.kind", "agent").to(op, "invoke_agent").stays(),
        row("langfuse.observation.type", "generation").to(op, "chat").stays(),
        // gen_ai.provider.name, openai.api.type
        row("gen_ai.system", "az.ai.openai").to(provider, "azure.ai.openai"),
        row("llm.provider", "azure").to(provider, "azure.ai.openai"),
        row("llm.system", "vertexai").to(provider, "gcp.vertex_ai"),
        row("ai.model.provider", "google.vertex.chat").to(provider, "gcp.vertex_ai"),
        row("llm.vendor", "MistralAI").to(provider, "mistral_ai"),
        // (hint; ai.model.provider itself goes to gen_ai.provider.name)
        row("ai.model.provider", "openai.responses").to("openai.api.type", "responses"),
        // gen_ai.request.model / response.model / response.id
        row("llm.request.model", "gpt-3.5-turbo").to(model, "gpt-3.5-turbo"),
        row("llm.request.model_name", "gpt-4o").to(model, "gpt-4o"),
        row("llm.model_name", "gpt-4o-2024-08-06").to(model, "gpt-4o-2024-08-06"),
        row("embedding.model_name", "text-embedding-3-small")
            .to(model, "text-embedding-3-small")
            .on("openinference.span.kind", "EMBEDDING"),
        row("ai.model.id", "gpt-4o-mini").to(model, "gpt-4o-mini"),
        row("llm.model", "gpt-4").to(model, "gpt-4"),
        row("ai.model", "gpt-4o").to(model, "gpt-4o"),
        row("ai_model", "gpt-4o").to(model, "gpt-4o").on(GENAI_SPAN),
        row("embedding.model", "voyage-3").to(model, "voyage-3").on(GENAI_SPAN),
        row("langfuse.observation.model.name", "gpt-4o-mini").to(model, "gpt-4o-mini"),
        row("model", "gpt-4o").to(model, "gpt-4o").on(GENAI_SPAN),
        params("model", "gpt-4o", model, "gpt-4o"),
        params("model_name", "claude-3-5-sonnet", model, "claude-3-5-sonnet"),
        row("llm.response.model", "gpt-3.5-turbo-0125")
            .to("gen_ai.response.model", "gpt-3.5-turbo-0125"),
        row("llm.response.model_name", "gpt-4o-2024-08-06")
            .to("gen_ai.response.model", "gpt-4o-2024-08-06"),
        row("ai.response.model", "gpt-4o-mini-2024-07-18")
            .to("gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
        row("ai.response.id", "chatcmpl-1").to("gen_ai.response.id", "chatcmpl-1"),
        // request parameters
        row("llm.temperature", 0.7).to("gen_ai.request.temperature", 0.7),
        row("ai.settings.temperature", 0.3).to("gen_ai.request.temperature", 0.3),
        row("ai.temperature", "0.5").to("gen_ai.request.temperature", 0.5),
        params("temperature", 0.2, "gen_ai.request.temperature", 0.2),
        lfParam("temperature", "0.4", "gen_ai.request.temperature", 0.4),
        row("llm.top_p", 0.9).to("gen_ai.request.top_p", 0.9),
        row("ai.settings.topP", 0.8).to("gen_ai.request.top_p", 0.8),
        params("top_p", 0.95, "gen_ai.request.top_p", 0.95),
        lfParam("top_p", "1", "gen_ai.request.top_p", 1.0),
        row("llm.top_k", 40).to("gen_ai.request.top_k", 40.0),
        row("ai.settings.topK", 20).to("gen_ai.request.top_k", 20.0),
        params("top_k", 5, "gen_ai.request.top_k", 5.0),
        lfParam("top_k", "40", "gen_ai.request.top_k", 40.0),
        row("llm.request.max_tokens", 100).to("gen_ai.request.max_tokens", 100L),
        row("llm.watsonx.max_new_tokens", 200).to("gen_ai.request.max_tokens", 200L),
        row("ai.settings.maxOutputTokens", 300).to("gen_ai.request.max_tokens", 300L),
        row("ai.settings.maxTokens", 50).to("gen_ai.request.max_tokens", 50L),
        row("ai.max_tokens", 512).to("gen_ai.request.max_tokens", 512L),
        params("max_tokens", 8, "gen_ai.request.max_tokens", 8L),
        params("max_completion_tokens", 9, "gen_ai.request.max_tokens", 9L),
        params("max_output_tokens", 10, "gen_ai.request.max_tokens", 10L),
        params("max_new_tokens", 11, "gen_ai.request.max_tokens", 11L),
        lfParam("max_tokens", "256", "gen_ai.request.max_tokens", 256L),
        lfParam("max_completion_tokens", "1024", "gen_ai.request.max_tokens", 1024L),
        lfParam("max_output_tokens", "500", "gen_ai.request.max_tokens", 500L),
        row("llm.frequency_penalty", 0.5).to("gen_ai.request.frequency_penalty", 0.5),
        row("ai.settings.frequencyPenalty", 0.1).to("gen_ai.request.frequency_penalty", 0.1),
        params("frequency_penalty", 0.2, "gen_ai.request.frequency_penalty", 0.2),
        lfParam("frequency_penalty", "0", "gen_ai.request.frequency_penalty", 0.0),
        row("llm.presence_penalty", 0.6).to("gen_ai.request.presence_penalty", 0.6),
        row("ai.settings.presencePenalty", 0.4).to("gen_ai.request.presence_penalty", 0.4),
        params("presence_penalty", 0.3, "gen_ai.request.presence_penalty", 0.3),
        lfParam("presence_penalty", "0.5", "gen_ai.request.presence_penalty", 0.5),
        row("llm.chat.stop_sequences", strings("\n\n", "END"))
            .to("gen_ai.request.stop_sequences", List.of("\n\n", "END")),
        row("ai.settings.stopSequences", strings("STOP"))
            .to("gen_ai.request.stop_sequences", List.of("STOP")),
        params("stop", "[\"###\"]", "gen_ai.request.stop_sequences", List.of("###")),
        lfParam("stop", "[\"END\"]", "gen_ai.request.stop_sequences", List.of("END")),
        row("gen_ai.openai.request.seed", 42).to("gen_ai.request.seed", 42L),
        row("llm.watsonx.random_seed", 7).to("gen_ai.request.seed", 7L),
        row("ai.settings.seed", 3).to("gen_ai.request.seed", 3L),
        params("seed", 11, "gen_ai.request.seed", 11L),
        lfParam("seed", "42", "gen_ai.request.seed", 42L),
        row("gen_ai.request.n", 3).to("gen_ai.request.choice.count", 3L),
        params("n", 2, "gen_ai.request.choice.count", 2L),
        lfParam("n", "3", "gen_ai.request.choice.count", 3L),
        row("llm.is_streaming", true).to("gen_ai.request.stream", true),
        row("gen_ai.is_streaming", "true").to("gen_ai.request.stream", true),
        params("stream", true, "gen_ai.request.stream", true),
        lfParam("stream", "true", "gen_ai.request.stream", true),
        row("gen_ai.openai.request.response_format", "json_object")
            .to("gen_ai.output.type", "json"),
        lfParam(
            "response_format",
            "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\"}}",
            "gen_ai.output.type",
            "json"),
        lfParam("dimensions", "256", "gen_ai.embeddings.dimension.count", 256L),
        lfParam(
            "encoding_format", "\"base64\"", "gen_ai.request.encoding_formats", List.of("base64")),
        row("gen_ai.openai.request.service_tier", "auto").to("openai.request.service_tier", "auto"),
        row("gen_ai.openai.response.service_tier", "default")
            .to("openai.response.service_tier", "default"),
        row("gen_ai.openai.response.system_fingerprint", "fp_1")
            .to("openai.response.system_fingerprint", "fp_1"),
        row("gen_ai.openai.system_fingerprint", "fp_2")
            .to("openai.response.system_fingerprint", "fp_2"),
        // usage
        row("gen_ai.usage.prompt_tokens", 22).to(in, 22L),
        row("llm.usage.prompt_tokens", 10).to(in, 10L),
        row("llm.token_count.prompt", "25").to(in, 25L),
        row("ai.usage.inputTokens", 30).to(in, 30L).when(Condition.VERCEL_MODEL_CALL),
        row("ai.usage.promptTokens", 31).to(in, 31L).when(Condition.VERCEL_MODEL_CALL),
        row("ai.usage.tokens", 12)
            .to(in, 12L)
            .when(Condition.VERCEL_EMBEDDING_CALL, "ai.operationId", "ai.embed.doEmbed"),
        row("llm.tokens.input", 150).to(in, 150L),
        row("ai.prompt_tokens", 1200).to(in, 1200L),
        // Langfuse's buckets add up: 7 uncached + 3 cached = 10 input tokens.
        lfUsage("{\"input\":7,\"input_cached_tokens\":3}", in, 10L),
        row("gen_ai.usage.completion_tokens", 19).to(out, 19L),
        row("llm.usage.completion_tokens", 20).to(out, 20L),
        row("llm.token_count.completion", 8.0).to(out, 8L),
        row("ai.usage.outputTokens", 21).to(out, 21L).when(Condition.VERCEL_MODEL_CALL),
        row("ai.usage.completionTokens", 22).to(out, 22L).when(Condition.VERCEL_MODEL_CALL),
        row("llm.tokens.output", 200).to(out, 200L),
        row("ai.completion_tokens", 350).to(out, 350L),
        lfUsage("{\"output\":20,\"output_reasoning_tokens\":5}", out, 25L),
        row("gen_ai.usage.cache_read_input_tokens", 100).to(cacheRead, 100L),
        row("llm.token_count.prompt_details.cache_read", 5).to(cacheRead, 5L),
        row("ai.usage.inputTokenDetails.cacheReadTokens", 6)
            .to(cacheRead, 6L)
            .when(Condition.VERCEL_MODEL_CALL),
        row("ai.usage.cachedInputTokens", 7).to(cacheRead, 7L).when(Condition.VERCEL_MODEL_CALL),
        row("gen_ai.usage.details.cache_read_tokens", 8).to(cacheRead, 8L),
        lfUsage("{\"input\":7,\"cache_read_input_tokens\":3}", cacheRead, 3L),
        row("gen_ai.usage.cache_creation_input_tokens", 9).to(cacheWrite, 9L),
        row("llm.token_count.prompt_details.cache_write", 10).to(cacheWrite, 10L),
        row("ai.usage.inputTokenDetails.cacheWriteTokens", 11)
            .to(cacheWrite, 11L)
            .when(Condition.VERCEL_MODEL_CALL),
        row("gen_ai.usage.details.cache_write_tokens", 12).to(cacheWrite, 12L),
        lfUsage("{\"input\":7,\"input_cache_creation\":12}", cacheWrite, 12L),
        row("llm.usage.reasoning_tokens", 13).to(reasoning, 13L),
        row("gen_ai.usage.reasoning_tokens", 14).to(reasoning, 14L),
        row("llm.token_count.completion_details.reasoning", 15).to(reasoning, 15L),
        row("ai.usage.outputTokenDetails.reasoningTokens", 16)
            .to(reasoning, 16L)
            .when(Condition.VERCEL_MODEL_CALL),
        row("ai.usage.reasoningTokens", 17).to(reasoning, 17L).when(Condition.VERCEL_MODEL_CALL),
        lfUsage("{\"output\":3,\"output_reasoning\":17}", reasoning, 17L),
        // cost
        row("llm.cost.total", 0.0021).to("gen_ai.usage.cost", 0.0021),
        row("llm.cost_usd", 0.006321).to("gen_ai.usage.cost", 0.006321),
        row("llm.cost", 0.0135).to("gen_ai.usage.cost", 0.0135),
        row("ai.cost_usd", 0.0065).to("gen_ai.usage.cost", 0.0065),
        row("langfuse.observation.cost_details", "{\"input\":0.2,\"output\":0.3,\"total\":0.5}")
            .to("gen_ai.usage.cost", 0.5)
            .field("total"),
        // finish reasons
        row("llm.response.finish_reason", "stop").to(finish, List.of("stop")),
        row("gen_ai.response.finish_reason", "length").to(finish, List.of("length")),
        row("llm.response.stop_reason", "end_turn").to(finish, List.of("stop")),
        row("gen_ai.response.stop_reason", "max_tokens").to(finish, List.of("length")),
        row("llm.finish_reason", "tool_calls").to(finish, List.of("tool_call")),
        row("ai.response.finishReason", "stop")
            .to(finish, List.of("stop"))
            .when(Condition.VERCEL_MODEL_CALL),
        row("gen_ai.finish_reason", "content_filter").to(finish, List.of("content_filter")),
        row("ai.response.msToFirstChunk", 412.5)
            .to("gen_ai.response.time_to_first_chunk", 0.4125)
            .when(Condition.VERCEL_MODEL_CALL),
        row("llm.time_to_first_token_ms", 350.0).to("gen_ai.response.time_to_first_chunk", 0.35),
        // session and user
        row("langfuse.session.id", "s1").to(session, "s1"),
        row("session.id", "s2").to(session, "s2").on(GENAI_SPAN),
        row("traceloop.association.properties.session_id", "s3").to(session, "s3"),
        row("ai.telemetry.metadata.sessionId", "s4").to(session, "s4"),
        row("langfuse.observation.metadata.langfuse_session_id", "\"s5\"").to(session, "s5"),
        row("langfuse.trace.metadata.langfuse_session_id", "s6").to(session, "s6"),
        row("langfuse.user.id", "u1").to(user, "u1"),
        row("traceloop.association.properties.user_id", "u2").to(user, "u2"),
        row("llm.user", "u3").to(user, "u3"),
        row("gen_ai.user", "u4").to(user, "u4"),
        row("ai.telemetry.metadata.userId", "u5").to(user, "u5"),
        row("langfuse.observation.metadata.langfuse_user_id", "\"u6\"").to(user, "u6"),
        row("langfuse.trace.metadata.langfuse_user_id", "\"u7\"").to(user, "u7"),
        // workflow, agent, tool
        row("traceloop.workflow.name", "research").to("gen_ai.workflow.name", "research"),
        row("agent.name", "researcher").to("gen_ai.agent.name", "researcher").on(GENAI_SPAN),
        row("traceloop.entity.name", "researcher")
            .to("gen_ai.agent.name", "researcher")
            .when(Condition.TRACELOOP_AGENT, "traceloop.span.kind", "agent"),
        row("ai.toolCall.name", "weather").to("gen_ai.tool.name", "weather"),
        row("tool.name", "weather").to("gen_ai.tool.name", "weather").on(GENAI_SPAN),
        row("traceloop.entity.name", "weather")
            .to("gen_ai.tool.name", "weather")
            .when(Condition.TRACELOOP_TOOL, "traceloop.span.kind", "tool"),
        row("tool.description", "Get the weather")
            .to("gen_ai.tool.description", "Get the weather")
            .on(GENAI_SPAN),
        row("ai.toolCall.id", "call_1").to("gen_ai.tool.call.id", "call_1"),
        row("tool_call.id", "call_2").to("gen_ai.tool.call.id", "call_2").on(GENAI_SPAN),
        row("tool.id", "call_3").to("gen_ai.tool.call.id", "call_3").on(GENAI_SPAN),
        row("ai.toolCall.args", "{\"city\":\"Paris\"}")
            .to("gen_ai.tool.call.arguments", "{\"city\":\"Paris\"}"),
        row("input.value", "{\"city\":\"Paris\"}")
            .to("gen_ai.tool.call.arguments", "{\"city\":\"Paris\"}")
            .when(Condition.OI_TOOL, "openinference.span.kind", "TOOL"),
        row("traceloop.entity.input", "{\"args\": [\"Paris\"], \"kwargs\": {}}")
            .to("gen_ai.tool.call.arguments", "{\"args\": [\"Paris\"], \"kwargs\": {}}")
            .when(Condition.TRACELOOP_TOOL, "traceloop.span.kind", "tool"),
        row("ai.toolCall.result", "{\"temp\":21}").to("gen_ai.tool.call.result", "{\"temp\":21}"),
        row("output.value", "sunny")
            .to("gen_ai.tool.call.result", "sunny")
            .when(Condition.OI_TOOL, "openinference.span.kind", "TOOL"),
        row("traceloop.entity.output", "\"sunny\"")
            .to("gen_ai.tool.call.result", "\"sunny\"")
            .when(Condition.TRACELOOP_TOOL, "traceloop.span.kind", "tool"),
        row("ai.prompt.tools", strings(TOOL))
            .to("gen_ai.tool.definitions", "[" + TOOL + "]")
            .when(Condition.VERCEL_MODEL_CALL),
        // messages
        row("gen_ai.request.system", "Be brief.")
            .to("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"Be brief.\"}]"),
        row("ai.prompt.messages", "[{\"role\":\"user\",\"content\":\"hi\"}]")
            .to("gen_ai.input.messages", USER_HI)
            .when(Condition.VERCEL_MODEL_CALL),
        row("gen_ai.prompt", "[{\"role\":\"user\",\"content\":\"hi\"}]")
            .to("gen_ai.input.messages", USER_HI),
        row("gen_ai.prompt.user", "hi").to("gen_ai.input.messages", USER_HI),
        row("input.value", "hi")
            .to("gen_ai.input.messages", USER_HI)
            .when(Condition.OI_LLM, "openinference.span.kind", "LLM"),
        row("gen_ai.completion", "[{\"role\":\"assistant\",\"content\":\"Hello\"}]")
            .to("gen_ai.output.messages", ASSISTANT_HELLO),
        row("gen_ai.response.text", "Hello").to("gen_ai.output.messages", ASSISTANT_HELLO),
        row("output.value", "Hello")
            .to("gen_ai.output.messages", ASSISTANT_HELLO)
            .when(Condition.OI_LLM, "openinference.span.kind", "LLM"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void rowMapsItsSourceAlone(Row r) {
    Object[] kv = new Object[r.context.length + 2];
    System.arraycopy(r.context, 0, kv, 0, r.context.length);
    kv[r.context.length] = r.key;
    kv[r.context.length + 1] = r.sent;
    Span.Builder s = span("row", kv);
    SpanRecord out = new Fixture().run(s);
    Map<String, Object> v = values(out);

    if (r.expected instanceof String text
        && (text.startsWith("[{") || text.startsWith("[\"") || text.startsWith("{\""))
        && !r.target.startsWith("gen_ai.tool.call.")) {
      assertThat(Fixture.json(out, r.target)).isEqualTo(Fixture.parse(text));
    } else {
      assertThat(v).containsEntry(r.target, r.expected);
    }
    if (r.stays) {
      assertThat(v).containsEntry(r.key, Fixture.plain(Spans.kv(r.key, r.sent).getValue()));
    } else {
      assertThat(v).doesNotContainKey(r.key);
    }
  }

  @Test
  void everyRowOfTheShippedTableHasACase() {
    Set<String> covered = rows().stream().map(Row::label).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>();
    List<String> table = new ArrayList<>();
    MappingTable.builtIn()
        .rulesByKey()
        .forEach(
            (key, rules) ->
                rules.forEach(r -> table.add(Row.label(key, r.field(), r.target(), r.when()))));
    for (String label : table) {
      if (!covered.contains(label)) {
        missing.add(label);
      }
    }
    assertThat(missing).as("table rows without a case in rows()").isEmpty();
    assertThat(covered).as("cases for rows the table does not have").isSubsetOf(table);
  }
}
