package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.json;
import static io.tollgate.processor.genainormalize.Fixture.parse;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.strings;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tollgate.core.model.SpanRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vercel AI SDK spans as {@code experimental_telemetry} records them (packages/ai
 * generate-text.ts and its telemetry snapshots): the wrapping {@code ai.generateText} span, the
 * model call {@code ai.generateText.doGenerate} with its span-level gen_ai.* mirror, {@code
 * ai.streamText.doStream} with v6 token details, {@code ai.toolCall}, and {@code ai.embed.doEmbed}.
 */
class VercelAiMappingTest {

  private static final String TOOL_SCHEMA =
      "{\"type\":\"function\",\"name\":\"weather\",\"description\":\"Get the weather in a"
          + " location\",\"inputSchema\":{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
          + "\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
          + "\"required\":[\"location\"],\"additionalProperties\":false}}";

  private final Fixture fixture = new Fixture();

  /** ai.generateText.doGenerate of AI SDK 5, a step that called a tool. */
  @Test
  void doGenerateSpanOfSdk5() {
    SpanRecord out =
        fixture.run(
            span(
                "ai.generateText.doGenerate",
                "operation.name", "ai.generateText.doGenerate weather-chat",
                "ai.operationId", "ai.generateText.doGenerate",
                "ai.model.provider", "openai.chat",
                "ai.model.id", "gpt-4o-mini",
                "ai.settings.maxRetries", 2,
                "ai.settings.temperature", 0.3,
                "ai.telemetry.functionId", "weather-chat",
                "ai.telemetry.metadata.userId", "user-42",
                "ai.telemetry.metadata.sessionId", "chat-9",
                "ai.telemetry.metadata.plan", "pro",
                "ai.prompt.messages",
                    "[{\"role\":\"system\",\"content\":\"You are a weather bot.\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather in"
                        + " Paris?\"}]}]",
                "ai.prompt.tools", strings(TOOL_SCHEMA),
                "ai.prompt.toolChoice", "{\"type\":\"auto\"}",
                "gen_ai.system", "openai.chat",
                "gen_ai.request.model", "gpt-4o-mini",
                "gen_ai.request.temperature", 0.3,
                "ai.response.finishReason", "tool-calls",
                "ai.response.toolCalls",
                    "[{\"toolCallId\":\"call_9Xk\",\"toolName\":\"weather\","
                        + "\"input\":\"{\\\"location\\\":\\\"Paris\\\"}\"}]",
                "ai.response.id", "chatcmpl-BMp2s1",
                "ai.response.model", "gpt-4o-mini-2024-07-18",
                "ai.response.timestamp", "2025-06-01T10:00:00.000Z",
                "ai.response.providerMetadata", "{\"openai\":{\"reasoningTokens\":0}}",
                "ai.usage.promptTokens", 62,
                "ai.usage.completionTokens", 15,
                "gen_ai.response.finish_reasons", List.of("tool-calls"),
                "gen_ai.response.id", "chatcmpl-BMp2s1",
                "gen_ai.response.model", "gpt-4o-mini-2024-07-18",
                "gen_ai.usage.input_tokens", 62,
                "gen_ai.usage.output_tokens", 15));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.provider.name", "openai"),
            entry("openai.api.type", "chat_completions"),
            entry("gen_ai.request.model", "gpt-4o-mini"),
            entry("gen_ai.request.temperature", 0.3),
            entry("gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
            entry("gen_ai.response.id", "chatcmpl-BMp2s1"),
            entry("gen_ai.usage.input_tokens", 62L),
            entry("gen_ai.usage.output_tokens", 15L),
            entry("gen_ai.response.finish_reasons", List.of("tool_call")),
            entry(SpanNormalizer.FINISH_REASONS_AS_SENT, List.of("tool-calls")),
            entry("user.id", "user-42"),
            entry("gen_ai.conversation.id", "chat-9"),
            // Vercel's own bookkeeping, no conventions equivalent: kept.
            entry("operation.name", "ai.generateText.doGenerate weather-chat"),
            entry("ai.operationId", "ai.generateText.doGenerate"),
            entry("ai.telemetry.functionId", "weather-chat"),
            entry("ai.telemetry.metadata.plan", "pro"),
            entry("ai.prompt.toolChoice", "{\"type\":\"auto\"}"),
            entry("ai.response.providerMetadata", "{\"openai\":{\"reasoningTokens\":0}}"))
        // The span-level gen_ai.* mirror and the ai.* originals agree, so one copy is left.
        .doesNotContainKeys(
            "gen_ai.system",
            "ai.model.provider",
            "ai.model.id",
            "ai.settings.temperature",
            "ai.usage.promptTokens",
            "ai.usage.completionTokens",
            "ai.response.finishReason",
            "ai.response.id",
            "ai.response.model",
            "ai.response.toolCalls",
            "ai.prompt.messages",
            "ai.prompt.tools",
            "ai.telemetry.metadata.userId");
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "system",
                    "parts": [{"type": "text", "content": "You are a weather bot."}]
                  },
                  {"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}]}
                ]
                """));
    assertThat(json(out, "gen_ai.output.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "assistant",
                    "parts": [
                      {
                        "type": "tool_call",
                        "id": "call_9Xk",
                        "name": "weather",
                        "arguments": {"location": "Paris"}
                      }
                    ],
                    "finish_reason": "tool_call"
                  }
                ]
                """));
    assertThat(json(out, "gen_ai.tool.definitions"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "type": "function",
                    "name": "weather",
                    "description": "Get the weather in a location",
                    "parameters": {
                      "$schema": "http://json-schema.org/draft-07/schema#",
                      "type": "object",
                      "properties": {"location": {"type": "string"}},
                      "required": ["location"],
                      "additionalProperties": false
                    }
                  }
                ]
                """));
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "vercel_ai")).isEqualTo(1);
  }

  /** The wrapping span repeats the steps' total usage: mapping it would count tokens twice. */
  @Test
  void wrappingGenerateTextSpanKeepsItsUsageOutOfTheConventions() {
    SpanRecord out =
        fixture.run(
            span(
                "ai.generateText",
                "operation.name", "ai.generateText",
                "ai.operationId", "ai.generateText",
                "ai.model.provider", "openai.chat",
                "ai.model.id", "gpt-4o-mini",
                "ai.settings.maxRetries", 2,
                "ai.prompt", "{\"prompt\":\"Weather in Paris?\"}",
                "ai.response.finishReason", "stop",
                "ai.response.text", "It is sunny in Paris.",
                "ai.usage.promptTokens", 140,
                "ai.usage.completionTokens", 33));

    assertThat(values(out))
        .contains(
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "gpt-4o-mini"),
            entry("ai.usage.promptTokens", 140L),
            entry("ai.usage.completionTokens", 33L),
            entry("ai.response.text", "It is sunny in Paris."),
            entry("ai.response.finishReason", "stop"),
            entry("ai.prompt", "{\"prompt\":\"Weather in Paris?\"}"))
        .doesNotContainKeys(
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
            "gen_ai.output.messages",
            "gen_ai.response.finish_reasons",
            "gen_ai.operation.name");
  }

  /** ai.streamText.doStream of AI SDK 6 (Anthropic): token details and reasoning. */
  @Test
  void doStreamSpanOfSdk6WithCacheAndReasoningTokens() {
    SpanRecord out =
        fixture.run(
            span(
                "ai.streamText.doStream",
                "operation.name", "ai.streamText.doStream",
                "ai.operationId", "ai.streamText.doStream",
                "ai.model.provider", "anthropic.messages",
                "ai.model.id", "claude-sonnet-4-5",
                "ai.prompt.messages",
                    "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Plan my"
                        + " trip\"}],\"providerOptions\":{\"anthropic\":{\"cacheControl\":"
                        + "{\"type\":\"ephemeral\"}}}}]",
                "gen_ai.system", "anthropic.messages",
                "gen_ai.request.model", "claude-sonnet-4-5",
                "gen_ai.request.max_tokens", 1024,
                "ai.response.msToFirstChunk", 412.5,
                "ai.response.msToFinish", 3050.0,
                "ai.response.avgOutputTokensPerSecond", 210.4,
                "ai.response.finishReason", "length",
                "ai.response.text", "Day 1: Paris.",
                "ai.response.reasoning", "The user wants a plan.",
                "ai.response.id", "msg_01XyZ",
                "ai.response.model", "claude-sonnet-4-5-20250929",
                "ai.usage.inputTokens", 2048,
                "ai.usage.inputTokenDetails.noCacheTokens", 48,
                "ai.usage.inputTokenDetails.cacheReadTokens", 1800,
                "ai.usage.inputTokenDetails.cacheWriteTokens", 200,
                "ai.usage.outputTokens", 1024,
                "ai.usage.outputTokenDetails.textTokens", 900,
                "ai.usage.outputTokenDetails.reasoningTokens", 124,
                "ai.usage.totalTokens", 3072,
                "ai.usage.reasoningTokens", 124,
                "ai.usage.cachedInputTokens", 1800,
                "gen_ai.response.finish_reasons", List.of("length"),
                "gen_ai.response.id", "msg_01XyZ",
                "gen_ai.response.model", "claude-sonnet-4-5-20250929",
                "gen_ai.usage.input_tokens", 2048,
                "gen_ai.usage.output_tokens", 1024));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.provider.name", "anthropic"),
            entry("gen_ai.usage.input_tokens", 2048L),
            entry("gen_ai.usage.output_tokens", 1024L),
            entry("gen_ai.usage.cache_read.input_tokens", 1800L),
            entry("gen_ai.usage.cache_creation.input_tokens", 200L),
            entry("gen_ai.usage.reasoning.output_tokens", 124L),
            entry("gen_ai.response.finish_reasons", List.of("length")),
            entry("gen_ai.response.time_to_first_chunk", 0.4125),
            entry("ai.usage.inputTokenDetails.noCacheTokens", 48L),
            entry("ai.usage.outputTokenDetails.textTokens", 900L),
            entry("ai.usage.totalTokens", 3072L))
        .doesNotContainKeys(
            "ai.usage.inputTokens",
            "ai.usage.inputTokenDetails.cacheReadTokens",
            "ai.usage.cachedInputTokens",
            "ai.usage.reasoningTokens",
            "ai.usage.outputTokenDetails.reasoningTokens",
            "ai.response.msToFirstChunk",
            SpanNormalizer.FINISH_REASONS_AS_SENT);
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "user",
                    "parts": [{"type": "text", "content": "Plan my trip"}],
                    "providerOptions": {"anthropic": {"cacheControl": {"type": "ephemeral"}}}
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
                    "parts": [
                      {"type": "reasoning", "content": "The user wants a plan."},
                      {"type": "text", "content": "Day 1: Paris."}
                    ],
                    "finish_reason": "length"
                  }
                ]
                """));
  }

  /** AI SDK 4: args instead of input, maxTokens, gen_ai.usage.prompt_tokens on the span. */
  @Test
  void doGenerateSpanOfSdk4() {
    SpanRecord out =
        fixture.run(
            span(
                "ai.generateText.doGenerate",
                "operation.name", "ai.generateText.doGenerate",
                "ai.operationId", "ai.generateText.doGenerate",
                "ai.model.provider", "openai.chat",
                "ai.model.id", "gpt-4-turbo",
                "ai.settings.maxTokens", 50,
                "ai.prompt.format", "messages",
                "ai.prompt.messages",
                    "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Why is the sky"
                        + " blue?\"}]},{\"role\":\"assistant\",\"content\":"
                        + "[{\"type\":\"tool-call\",\"toolCallId\":\"c1\",\"toolName\":"
                        + "\"search\",\"args\":{\"q\":\"sky\"}}]},{\"role\":\"tool\","
                        + "\"content\":[{\"type\":\"tool-result\",\"toolCallId\":"
                        + "\"c1\",\"toolName\":\"search\",\"result\":\"Rayleigh\"}]}]",
                "gen_ai.system", "openai.chat",
                "gen_ai.request.model", "gpt-4-turbo",
                "gen_ai.request.max_tokens", 50,
                "ai.response.finishReason", "length",
                "ai.response.text", "Because of Rayleigh",
                "ai.usage.promptTokens", 10,
                "ai.usage.completionTokens", 50,
                "gen_ai.response.finish_reasons", List.of("length"),
                "gen_ai.usage.prompt_tokens", 10,
                "gen_ai.usage.completion_tokens", 50));

    assertThat(values(out))
        .contains(
            entry("gen_ai.request.max_tokens", 50L),
            entry("gen_ai.usage.input_tokens", 10L),
            entry("gen_ai.usage.output_tokens", 50L),
            entry("gen_ai.response.finish_reasons", List.of("length")))
        .doesNotContainKeys(
            "ai.settings.maxTokens",
            "gen_ai.usage.prompt_tokens",
            "ai.usage.promptTokens",
            "ai.response.text");
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {"role": "user", "parts": [{"type": "text", "content": "Why is the sky blue?"}]},
                  {
                    "role": "assistant",
                    "parts": [
                      {"type": "tool_call", "id": "c1", "name": "search", "arguments": {"q": "sky"}}
                    ]
                  },
                  {
                    "role": "tool",
                    "parts": [
                      {
                        "type": "tool_call_response",
                        "id": "c1",
                        "response": "Rayleigh",
                        "toolName": "search"
                      }
                    ]
                  }
                ]
                """));
  }

  @Test
  void toolCallSpan() {
    SpanRecord out =
        fixture.run(
            span(
                "ai.toolCall",
                "operation.name", "ai.toolCall",
                "ai.operationId", "ai.toolCall",
                "ai.toolCall.name", "weather",
                "ai.toolCall.id", "call_9Xk",
                "ai.toolCall.args", "{\"location\":\"Paris\"}",
                "ai.toolCall.result", "{\"temperature\":21}"));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "execute_tool"),
            entry("gen_ai.tool.name", "weather"),
            entry("gen_ai.tool.call.id", "call_9Xk"),
            entry("gen_ai.tool.call.arguments", "{\"location\":\"Paris\"}"),
            entry("gen_ai.tool.call.result", "{\"temperature\":21}"))
        .doesNotContainKeys("ai.toolCall.name", "ai.toolCall.id", "ai.toolCall.args");
  }

  @Test
  void embedSpans() {
    SpanRecord call =
        fixture.run(
            span(
                "ai.embed.doEmbed",
                "operation.name", "ai.embed.doEmbed",
                "ai.operationId", "ai.embed.doEmbed",
                "ai.model.provider", "openai.embedding",
                "ai.model.id", "text-embedding-3-small",
                "ai.values", strings("\"sunny day at the beach\""),
                "ai.usage.tokens", 6));
    assertThat(values(call))
        .contains(
            entry("gen_ai.operation.name", "embeddings"),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "text-embedding-3-small"),
            entry("gen_ai.usage.input_tokens", 6L))
        .doesNotContainKeys("ai.usage.tokens", "openai.api.type");

    SpanRecord wrapper =
        fixture.run(
            span(
                "ai.embed",
                "operation.name", "ai.embed",
                "ai.operationId", "ai.embed",
                "ai.model.provider", "openai.embedding",
                "ai.model.id", "text-embedding-3-small",
                "ai.usage.tokens", 6));
    assertThat(values(wrapper))
        .contains(entry("ai.usage.tokens", 6L))
        .doesNotContainKey("gen_ai.usage.input_tokens");
  }

  @Test
  void providerIdsOfTheSdkBecomeConventionNames() {
    String[][] cases = {
      {"openai.responses", "openai"},
      {"azure.chat", "azure.ai.openai"},
      {"google.generative-ai", "gcp.gemini"},
      {"google.vertex.chat", "gcp.vertex_ai"},
      {"vertex.anthropic.messages", "gcp.vertex_ai"},
      {"amazon-bedrock", "aws.bedrock"},
      {"mistral.chat", "mistral_ai"},
      {"xai.chat", "x_ai"},
      {"groq.chat", "groq"},
      {"deepseek.chat", "deepseek"},
      {"cerebras.chat", "cerebras"},
      {"OpenAI", "openai"},
      {"my-gateway", "my-gateway"},
    };
    for (String[] c : cases) {
      SpanRecord out =
          fixture.run(
              span("ai.generateText.doGenerate", "ai.model.provider", c[0], "ai.model.id", "m"));
      assertThat(out.attributes().getString("gen_ai.provider.name")).as(c[0]).isEqualTo(c[1]);
    }
  }
}
