package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.json;
import static io.tollgate.processor.genainormalize.Fixture.parse;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tollgate.core.model.SpanRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenLLMetry / Traceloop spans, attribute for attribute as its instrumentations write them:
 * opentelemetry-instrumentation-openai and -anthropic before semconv-ai 0.5 (gen_ai.system
 * "OpenAI", indexed gen_ai.prompt.N.* / gen_ai.completion.N.*, llm.request.type, llm.usage.*),
 * the 2023 releases (llm.vendor, llm.prompts.N.*), the 0.5 releases, and traceloop-sdk's
 * workflow, task, agent and tool spans.
 */
class OpenLlmetryMappingTest {

  private final Fixture fixture = new Fixture();

  @Test
  void openAiChatSpanBeforeSemconvAi05() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat",
                "llm.request.type", "chat",
                "gen_ai.system", "OpenAI",
                "gen_ai.request.model", "gpt-3.5-turbo",
                "llm.headers", "None",
                "llm.is_streaming", false,
                "gen_ai.openai.api_base", "https://api.openai.com/v1/",
                "gen_ai.prompt.0.role", "system",
                "gen_ai.prompt.0.content", "You are a helpful assistant.",
                "gen_ai.prompt.1.role", "user",
                "gen_ai.prompt.1.content", "Tell me a joke about opentelemetry",
                "gen_ai.response.model", "gpt-3.5-turbo-0125",
                "gen_ai.response.id", "chatcmpl-9fX2lD3kPc8tKz1uNn1kG3b0x9VQW",
                "llm.usage.total_tokens", 41,
                "gen_ai.usage.completion_tokens", 19,
                "gen_ai.usage.prompt_tokens", 22,
                "gen_ai.openai.system_fingerprint", "fp_3bc1b5746c",
                "gen_ai.completion.0.finish_reason", "stop",
                "gen_ai.completion.0.role", "assistant",
                "gen_ai.completion.0.content",
                    "Why did the OpenTelemetry collector break up? Too many spans."));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "gpt-3.5-turbo"),
            entry("gen_ai.response.model", "gpt-3.5-turbo-0125"),
            entry("gen_ai.usage.input_tokens", 22L),
            entry("gen_ai.usage.output_tokens", 19L),
            entry("gen_ai.request.stream", false),
            entry("gen_ai.response.finish_reasons", List.of("stop")),
            entry("openai.response.system_fingerprint", "fp_3bc1b5746c"),
            // No canonical home: kept as sent.
            entry("llm.usage.total_tokens", 41L),
            entry("llm.headers", "None"),
            entry("gen_ai.openai.api_base", "https://api.openai.com/v1/"))
        .doesNotContainKeys(
            "llm.request.type",
            "gen_ai.system",
            "llm.is_streaming",
            "gen_ai.usage.prompt_tokens",
            "gen_ai.usage.completion_tokens",
            "gen_ai.openai.system_fingerprint",
            "gen_ai.prompt.0.role",
            "gen_ai.prompt.1.content",
            "gen_ai.completion.0.content",
            "gen_ai.completion.0.finish_reason");
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
                    "parts": [{"type": "text", "content": "Tell me a joke about opentelemetry"}]
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
                      {
                        "type": "text",
                        "content": "Why did the OpenTelemetry collector break up? Too many spans."
                      }
                    ],
                    "finish_reason": "stop"
                  }
                ]
                """));
    assertThat(out.attributes().contains(SpanNormalizer.FINISH_REASONS_AS_SENT)).isFalse();
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "otel_deprecated")).isEqualTo(1);
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "openllmetry")).isEqualTo(1);
  }

  @Test
  void toolCallsFunctionsAndToolAnswers() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat",
                "llm.request.type", "chat",
                "gen_ai.system", "openai",
                "gen_ai.request.model", "gpt-4o",
                "llm.request.functions.0.name", "get_current_weather",
                "llm.request.functions.0.description",
                    "Get the current weather in a given location",
                "llm.request.functions.0.parameters",
                    "{\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}},"
                        + " \"required\": [\"location\"]}",
                "gen_ai.prompt.0.role", "user",
                "gen_ai.prompt.0.content", "What's the weather like in Boston?",
                "gen_ai.prompt.1.role", "assistant",
                "gen_ai.prompt.1.tool_calls.0.id", "call_Y1kbk2Q5hKHV6pJvUKs0Y8Wa",
                "gen_ai.prompt.1.tool_calls.0.name", "get_current_weather",
                "gen_ai.prompt.1.tool_calls.0.arguments", "{\"location\": \"Boston, MA\"}",
                "gen_ai.prompt.2.role", "tool",
                "gen_ai.prompt.2.content", "{\"temperature\": \"72\", \"unit\": \"fahrenheit\"}",
                "gen_ai.prompt.2.tool_call_id", "call_Y1kbk2Q5hKHV6pJvUKs0Y8Wa",
                "gen_ai.completion.0.finish_reason", "tool_calls",
                "gen_ai.completion.0.role", "assistant",
                "gen_ai.completion.0.tool_calls.0.id", "call_2",
                "gen_ai.completion.0.tool_calls.0.name", "get_current_weather",
                "gen_ai.completion.0.tool_calls.0.arguments", "{\"location\": \"Cambridge, MA\"}",
                "gen_ai.usage.prompt_tokens", 120,
                "gen_ai.usage.completion_tokens", 18));

    assertThat(json(out, "gen_ai.tool.definitions"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "type": "function",
                    "name": "get_current_weather",
                    "description": "Get the current weather in a given location",
                    "parameters": {
                      "type": "object",
                      "properties": {"location": {"type": "string"}},
                      "required": ["location"]
                    }
                  }
                ]
                """));
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "user",
                    "parts": [{"type": "text", "content": "What's the weather like in Boston?"}]
                  },
                  {
                    "role": "assistant",
                    "parts": [
                      {
                        "type": "tool_call",
                        "id": "call_Y1kbk2Q5hKHV6pJvUKs0Y8Wa",
                        "name": "get_current_weather",
                        "arguments": {"location": "Boston, MA"}
                      }
                    ]
                  },
                  {
                    "role": "tool",
                    "parts": [
                      {
                        "type": "tool_call_response",
                        "id": "call_Y1kbk2Q5hKHV6pJvUKs0Y8Wa",
                        "response": "{\\"temperature\\": \\"72\\", \\"unit\\": \\"fahrenheit\\"}"
                      }
                    ]
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
                      {
                        "type": "tool_call",
                        "id": "call_2",
                        "name": "get_current_weather",
                        "arguments": {"location": "Cambridge, MA"}
                      }
                    ],
                    "finish_reason": "tool_call"
                  }
                ]
                """));
    assertThat(values(out))
        .contains(
            entry("gen_ai.response.finish_reasons", List.of("tool_call")),
            entry(SpanNormalizer.FINISH_REASONS_AS_SENT, List.of("tool_calls")))
        .doesNotContainKeys(
            "llm.request.functions.0.name",
            "gen_ai.prompt.1.tool_calls.0.arguments",
            "gen_ai.prompt.2.tool_call_id",
            "gen_ai.completion.0.tool_calls.0.id");
  }

  @Test
  void anthropicSpanWithContentBlocksCacheAndMaxTokens() {
    SpanRecord out =
        fixture.run(
            span(
                "anthropic.chat",
                "gen_ai.system", "Anthropic",
                "llm.request.type", "completion",
                "gen_ai.request.model", "claude-3-5-sonnet-20240620",
                "gen_ai.request.max_tokens", 1024,
                "gen_ai.request.temperature", 1.0,
                "gen_ai.prompt.0.role", "user",
                "gen_ai.prompt.0.content",
                    "[{\"type\": \"text\", \"text\": \"Tell me a joke about OpenTelemetry\"}]",
                "gen_ai.response.id", "msg_01AbCdEfGhIjKlMnOpQrStUv",
                "gen_ai.response.model", "claude-3-5-sonnet-20240620",
                "gen_ai.completion.0.finish_reason", "max_tokens",
                "gen_ai.completion.0.role", "assistant",
                "gen_ai.completion.0.content", "Why did the span",
                "gen_ai.usage.prompt_tokens", 1417,
                "gen_ai.usage.completion_tokens", 1024,
                "llm.usage.total_tokens", 2441,
                "gen_ai.usage.cache_read_input_tokens", 1400,
                "gen_ai.usage.cache_creation_input_tokens", 0));

    assertThat(values(out))
        .contains(
            entry("gen_ai.provider.name", "anthropic"),
            // OpenLLMetry's anthropic instrumentation says "completion" for messages.create.
            entry("gen_ai.operation.name", "text_completion"),
            entry("gen_ai.usage.input_tokens", 1417L),
            entry("gen_ai.usage.output_tokens", 1024L),
            entry("gen_ai.usage.cache_read.input_tokens", 1400L),
            entry("gen_ai.usage.cache_creation.input_tokens", 0L),
            // A response cut at its token limit is countable as "length", whatever the provider.
            entry("gen_ai.response.finish_reasons", List.of("length")),
            entry(SpanNormalizer.FINISH_REASONS_AS_SENT, List.of("max_tokens")))
        .doesNotContainKeys(
            "gen_ai.usage.cache_read_input_tokens", "gen_ai.usage.cache_creation_input_tokens");
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "user",
                    "parts": [{"type": "text", "content": "Tell me a joke about OpenTelemetry"}]
                  }
                ]
                """));
    assertThat(json(out, "gen_ai.output.messages").get(0).get("finish_reason").asText())
        .isEqualTo("length");
  }

  /**
   * opentelemetry-instrumentation-anthropic writes each tool as llm.request.functions.N.{name,
   * description, input_schema} (Anthropic's name for the parameters' schema); earlier
   * semconv-ai releases as gen_ai.tool.definitions.N.{name, description, parameters}.
   */
  @Test
  void indexedToolDefinitionsWithAnthropicsInputSchemaOrTheOldGenAiNames() {
    String schema =
        "{\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}},"
            + " \"required\": [\"location\"]}";
    String expected =
        """
        [
          {
            "type": "function",
            "name": "get_weather",
            "description": "Get the current weather in a given location",
            "parameters": {
              "type": "object",
              "properties": {"location": {"type": "string"}},
              "required": ["location"]
            }
          }
        ]
        """;
    SpanRecord anthropic =
        fixture.run(
            span(
                "anthropic.chat",
                "gen_ai.system", "Anthropic",
                "gen_ai.request.model", "claude-3-5-sonnet-20240620",
                "llm.request.functions.0.name", "get_weather",
                "llm.request.functions.0.description",
                    "Get the current weather in a given location",
                "llm.request.functions.0.input_schema", schema));
    assertThat(json(anthropic, "gen_ai.tool.definitions")).isEqualTo(parse(expected));
    assertThat(values(anthropic))
        .doesNotContainKeys(
            "llm.request.functions.0.name",
            "llm.request.functions.0.description",
            "llm.request.functions.0.input_schema");

    SpanRecord old =
        fixture.run(
            span(
                "openai.chat",
                "gen_ai.system", "openai",
                "gen_ai.tool.definitions.0.name", "get_weather",
                "gen_ai.tool.definitions.0.description",
                    "Get the current weather in a given location",
                "gen_ai.tool.definitions.0.parameters", schema,
                "gen_ai.tool.definitions.0.strict", true));
    assertThat(json(old, "gen_ai.tool.definitions")).isEqualTo(parse(expected));
    assertThat(values(old))
        // A field the mapping does not know stays under its key.
        .contains(entry("gen_ai.tool.definitions.0.strict", true))
        .doesNotContainKeys(
            "gen_ai.tool.definitions.0.name", "gen_ai.tool.definitions.0.parameters");
  }

  /** The completions API: the prompt goes to gen_ai.prompt.0.user. */
  @Test
  void openAiCompletionSpan() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.completion",
                "llm.request.type", "completion",
                "gen_ai.system", "openai",
                "gen_ai.request.model", "gpt-3.5-turbo-instruct",
                "gen_ai.prompt.0.user", "Say this is a test",
                "gen_ai.completion.0.finish_reason", "length",
                "gen_ai.completion.0.content", "This is a",
                "gen_ai.usage.prompt_tokens", 5,
                "gen_ai.usage.completion_tokens", 3));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "text_completion"),
            entry("gen_ai.response.finish_reasons", List.of("length")),
            entry("gen_ai.usage.input_tokens", 5L),
            entry("gen_ai.usage.output_tokens", 3L))
        .doesNotContainKeys("gen_ai.prompt.0.user", "gen_ai.completion.0.content");
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [{"role": "user", "parts": [{"type": "text", "content": "Say this is a test"}]}]
                """));
    assertThat(json(out, "gen_ai.output.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "assistant",
                    "parts": [{"type": "text", "content": "This is a"}],
                    "finish_reason": "length"
                  }
                ]
                """));
  }

  @Test
  void releasesOf2023WithLlmVendorAndLlmPrompts() {
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat",
                "llm.vendor", "OpenAI",
                "llm.request.type", "chat",
                "llm.request.model", "gpt-3.5-turbo",
                "llm.temperature", 0.7,
                "llm.request.max_tokens", 100,
                "llm.prompts.0.role", "user",
                "llm.prompts.0.content", "Tell me a joke about opentelemetry",
                "llm.response.model", "gpt-3.5-turbo-0613",
                "llm.usage.total_tokens", 35,
                "llm.usage.completion_tokens", 20,
                "llm.usage.prompt_tokens", 15,
                "llm.completions.0.finish_reason", "stop",
                "llm.completions.0.role", "assistant",
                "llm.completions.0.content", "Why did OpenTelemetry cross the road?"));

    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "gpt-3.5-turbo"),
            entry("gen_ai.response.model", "gpt-3.5-turbo-0613"),
            entry("gen_ai.request.temperature", 0.7),
            entry("gen_ai.request.max_tokens", 100L),
            entry("gen_ai.usage.input_tokens", 15L),
            entry("gen_ai.usage.output_tokens", 20L),
            entry("gen_ai.response.finish_reasons", List.of("stop")),
            entry("gen_ai.input.messages",
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Tell me a joke"
                    + " about opentelemetry\"}]}]"),
            entry("gen_ai.output.messages",
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Why did"
                    + " OpenTelemetry cross the road?\"}],\"finish_reason\":\"stop\"}]"),
            entry("llm.usage.total_tokens", 35L));
  }

  @Test
  void semconvAi05SpanNeedsOnlyTheProviderAndStreamingFlag() {
    String input = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]";
    SpanRecord out =
        fixture.run(
            span(
                "openai.chat",
                "gen_ai.operation.name", "chat",
                "gen_ai.system", "openai",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.is_streaming", true,
                "gen_ai.openai.api_base", "https://api.openai.com/v1/",
                "gen_ai.input.messages", input,
                "gen_ai.response.model", "gpt-4o-2024-08-06",
                "gen_ai.usage.input_tokens", 8,
                "gen_ai.usage.output_tokens", 9,
                "gen_ai.usage.total_tokens", 17,
                "gen_ai.usage.cache_read.input_tokens", 0,
                "gen_ai.usage.reasoning_tokens", 0,
                "gen_ai.response.finish_reasons", List.of("stop")));

    assertThat(values(out))
        .contains(
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.stream", true),
            entry("gen_ai.usage.reasoning.output_tokens", 0L),
            entry("gen_ai.input.messages", input),
            entry("gen_ai.usage.total_tokens", 17L))
        .doesNotContainKeys(
            "gen_ai.system", "gen_ai.is_streaming", "gen_ai.usage.reasoning_tokens");
  }

  @Test
  void workflowToolAndAgentSpansOfTheTraceloopSdk() {
    SpanRecord workflow =
        fixture.run(
            span(
                "pirate_joke_generator.workflow",
                "traceloop.span.kind", "workflow",
                "traceloop.workflow.name", "pirate_joke_generator",
                "traceloop.entity.name", "pirate_joke_generator",
                "traceloop.entity.path", "",
                "traceloop.association.properties.user_id", "user-123",
                "traceloop.association.properties.session_id", "sess-42",
                "traceloop.association.properties.customer_id", "acme",
                "traceloop.entity.input", "{\"args\": [], \"kwargs\": {}}",
                "traceloop.entity.output", "\"Arr!\""));
    assertThat(values(workflow))
        .contains(
            entry("gen_ai.operation.name", "invoke_workflow"),
            entry("gen_ai.workflow.name", "pirate_joke_generator"),
            entry("user.id", "user-123"),
            entry("gen_ai.conversation.id", "sess-42"),
            // The span kind is a hint, not a rename: Traceloop's own views still need it.
            entry("traceloop.span.kind", "workflow"),
            entry("traceloop.entity.name", "pirate_joke_generator"),
            entry("traceloop.association.properties.customer_id", "acme"),
            entry("traceloop.entity.input", "{\"args\": [], \"kwargs\": {}}"))
        .doesNotContainKeys(
            "traceloop.workflow.name",
            "traceloop.association.properties.user_id",
            "traceloop.association.properties.session_id");

    SpanRecord tool =
        fixture.run(
            span(
                "get_weather.tool",
                "traceloop.span.kind", "tool",
                "traceloop.workflow.name", "weather_agent",
                "traceloop.entity.name", "get_weather",
                "traceloop.entity.path", "weather_agent",
                "traceloop.entity.input", "{\"args\": [\"Paris\"], \"kwargs\": {}}",
                "traceloop.entity.output", "\"sunny, 21C\""));
    assertThat(values(tool))
        .contains(
            entry("gen_ai.operation.name", "execute_tool"),
            entry("gen_ai.tool.name", "get_weather"),
            entry("gen_ai.tool.call.arguments", "{\"args\": [\"Paris\"], \"kwargs\": {}}"),
            entry("gen_ai.tool.call.result", "\"sunny, 21C\""),
            entry("traceloop.entity.path", "weather_agent"))
        .doesNotContainKeys(
            "traceloop.entity.name", "traceloop.entity.input", "traceloop.entity.output");

    SpanRecord agent =
        fixture.run(
            span(
                "researcher.agent",
                "traceloop.span.kind", "agent",
                "traceloop.entity.name", "researcher",
                "traceloop.workflow.name", "research"));
    assertThat(values(agent))
        .contains(
            entry("gen_ai.operation.name", "invoke_agent"),
            entry("gen_ai.agent.name", "researcher"),
            entry("gen_ai.workflow.name", "research"));

    SpanRecord task =
        fixture.run(
            span(
                "summarize.task",
                "traceloop.span.kind", "task",
                "traceloop.entity.name", "summarize"));
    assertThat(values(task))
        .contains(
            entry("gen_ai.operation.name", "execute_task"),
            entry("traceloop.entity.name", "summarize"));
  }
}
