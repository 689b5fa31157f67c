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
 * OpenInference spans (Arize Phoenix), as openinference-instrumentation-openai and -langchain
 * write them: openinference.span.kind, llm.model_name, llm.token_count.*, flattened
 * llm.input_messages.N.message.* / llm.output_messages.N.message.*, llm.invocation_parameters
 * JSON, input.value / output.value with their mime types.
 */
class OpenInferenceMappingTest {

  private static final String OPENAI_RESPONSE =
      "{\"id\": \"chatcmpl-AVq1NpSk3q8pGv0x7m4QZzY1bC2dE\", \"choices\": [{\"finish_reason\":"
          + " \"length\", \"index\": 0, \"logprobs\": null, \"message\": {\"content\": \"The"
          + " capital of France is\", \"refusal\": null, \"role\": \"assistant\"}}], \"created\":"
          + " 1732104381, \"model\": \"gpt-4o-2024-08-06\", \"object\": \"chat.completion\","
          + " \"usage\": {\"completion_tokens\": 8, \"prompt_tokens\": 25, \"total_tokens\": 33}}";

  private final Fixture fixture = new Fixture();

  @Test
  void openAiChatCompletionSpan() {
    String input =
        "{\"messages\": [{\"role\": \"system\", \"content\": \"You are a helpful assistant.\"},"
            + " {\"role\": \"user\", \"content\": \"What is the capital of France?\"}], \"model\":"
            + " \"gpt-4o\", \"max_tokens\": 8, \"temperature\": 0.2}";
    SpanRecord out =
        fixture.run(
            span(
                "ChatCompletion",
                "openinference.span.kind", "LLM",
                "llm.system", "openai",
                "llm.provider", "openai",
                "input.value", input,
                "input.mime_type", "application/json",
                "llm.invocation_parameters",
                    "{\"model\": \"gpt-4o\", \"max_tokens\": 8, \"temperature\": 0.2}",
                "llm.input_messages.0.message.role", "system",
                "llm.input_messages.0.message.content", "You are a helpful assistant.",
                "llm.input_messages.1.message.role", "user",
                "llm.input_messages.1.message.content", "What is the capital of France?",
                "output.value", OPENAI_RESPONSE,
                "output.mime_type", "application/json",
                "llm.output_messages.0.message.role", "assistant",
                "llm.output_messages.0.message.content", "The capital of France is",
                "llm.model_name", "gpt-4o-2024-08-06",
                "llm.token_count.total", 33,
                "llm.token_count.prompt", 25,
                "llm.token_count.completion", 8,
                "llm.token_count.prompt_details.cache_read", 0,
                "llm.token_count.completion_details.reasoning", 0));

    assertThat(values(out))
        .contains(
            // Inferred from the span kind, which stays (Phoenix needs it).
            entry("gen_ai.operation.name", "chat"),
            entry("openinference.span.kind", "LLM"),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "gpt-4o-2024-08-06"),
            // Read from the invocation parameters, which stay: they hold more than the conventions.
            entry("gen_ai.request.temperature", 0.2),
            entry("gen_ai.request.max_tokens", 8L),
            entry("llm.invocation_parameters",
                "{\"model\": \"gpt-4o\", \"max_tokens\": 8, \"temperature\": 0.2}"),
            entry("gen_ai.usage.input_tokens", 25L),
            entry("gen_ai.usage.output_tokens", 8L),
            entry("gen_ai.usage.cache_read.input_tokens", 0L),
            entry("gen_ai.usage.reasoning.output_tokens", 0L),
            // Only the raw response says why it stopped: read from output.value as a hint.
            entry("gen_ai.response.finish_reasons", List.of("length")),
            entry("llm.token_count.total", 33L),
            entry("input.value", input),
            entry("output.value", OPENAI_RESPONSE))
        .doesNotContainKeys(
            "llm.system",
            "llm.provider",
            "llm.model_name",
            "llm.token_count.prompt",
            "llm.token_count.completion",
            "llm.input_messages.0.message.role",
            "llm.output_messages.0.message.content");
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
                    "parts": [{"type": "text", "content": "What is the capital of France?"}]
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
                    "parts": [{"type": "text", "content": "The capital of France is"}],
                    "finish_reason": "length"
                  }
                ]
                """));
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "openinference")).isEqualTo(1);
  }

  @Test
  void langChainChatModelSpanWithToolCallsAndMultimodalInput() {
    SpanRecord out =
        fixture.run(
            span(
                "ChatOpenAI",
                "openinference.span.kind", "LLM",
                "llm.provider", "azure",
                "llm.system", "openai",
                "llm.model_name", "gpt-4o-mini",
                "llm.invocation_parameters",
                    "{\"model\": \"gpt-4o-mini\", \"model_name\": \"gpt-4o-mini\","
                        + " \"stream\": false,"
                        + " \"n\": 1, \"temperature\": 0.0, \"_type\": \"azure-openai-chat\","
                        + " \"stop\": null}",
                "input.value",
                    "{\"messages\": [[{\"lc\": 1, \"type\": \"constructor\","
                        + " \"id\": [\"langchain\","
                        + " \"schema\", \"messages\", \"HumanMessage\"], \"kwargs\": {\"content\":"
                        + " \"What's in this image, and what's the weather there?\", \"type\":"
                        + " \"human\"}}]]}",
                "input.mime_type", "application/json",
                "llm.input_messages.0.message.role", "user",
                "llm.input_messages.0.message.contents.0.message_content.type", "text",
                "llm.input_messages.0.message.contents.0.message_content.text",
                    "What's in this image, and what's the weather there?",
                "llm.input_messages.0.message.contents.1.message_content.type", "image",
                "llm.input_messages.0.message.contents.1.message_content.image.image.url",
                    "https://upload.wikimedia.org/eiffel.jpg",
                "llm.output_messages.0.message.role", "assistant",
                "llm.output_messages.0.message.tool_calls.0.tool_call.id", "call_abc123",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "get_weather",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments",
                    "{\"city\": \"Paris\"}",
                "output.value",
                    "{\"generations\": [[{\"text\": \"\", \"generation_info\": {\"finish_reason\":"
                        + " \"tool_calls\", \"logprobs\": null}, \"type\": \"ChatGeneration\"}]]}",
                "output.mime_type", "application/json",
                "llm.tools.0.tool.json_schema",
                    "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
                        + " \"description\": \"Weather of a city\", \"parameters\": {\"type\":"
                        + " \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}",
                "llm.token_count.prompt", 1120,
                "llm.token_count.completion", 17,
                "llm.token_count.total", 1137,
                "metadata", "{\"ls_provider\": \"azure\", \"ls_model_type\": \"chat\"}",
                "session.id", "thread-7",
                "user.id", "u-1"));

    assertThat(values(out))
        .contains(
            // llm.provider is the host; llm.system (the product) differs and is kept.
            entry("gen_ai.provider.name", "azure.ai.openai"),
            entry("llm.system", "openai"),
            entry("gen_ai.request.model", "gpt-4o-mini"),
            entry("gen_ai.request.temperature", 0.0),
            entry("gen_ai.request.stream", false),
            entry("gen_ai.request.choice.count", 1L),
            entry("gen_ai.response.finish_reasons", List.of("tool_call")),
            entry("gen_ai.conversation.id", "thread-7"),
            entry("user.id", "u-1"),
            entry("metadata", "{\"ls_provider\": \"azure\", \"ls_model_type\": \"chat\"}"))
        .doesNotContainKeys(
            "session.id", "llm.tools.0.tool.json_schema", "gen_ai.request.stop_sequences");
    assertThat(json(out, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "user",
                    "parts": [
                      {
                        "type": "text",
                        "content": "What's in this image, and what's the weather there?"
                      },
                      {
                        "type": "uri",
                        "modality": "image",
                        "uri": "https://upload.wikimedia.org/eiffel.jpg"
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
                        "id": "call_abc123",
                        "name": "get_weather",
                        "arguments": {"city": "Paris"}
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
                    "name": "get_weather",
                    "description": "Weather of a city",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}
                  }
                ]
                """));
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "conflict")).isEqualTo(1);
  }

  @Test
  void toolSpan() {
    SpanRecord out =
        fixture.run(
            span(
                "get_weather",
                "openinference.span.kind", "TOOL",
                "tool.name", "get_weather",
                "tool.description", "Get the current weather for a city",
                "tool.parameters",
                    "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}",
                "input.value", "{\"city\": \"Paris\"}",
                "input.mime_type", "application/json",
                "output.value", "sunny, 21C",
                "output.mime_type", "text/plain"));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "execute_tool"),
            entry("gen_ai.tool.name", "get_weather"),
            entry("gen_ai.tool.description", "Get the current weather for a city"),
            entry("gen_ai.tool.call.arguments", "{\"city\": \"Paris\"}"),
            entry("gen_ai.tool.call.result", "sunny, 21C"),
            entry("input.mime_type", "application/json"),
            entry("tool.parameters",
                "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}"))
        .doesNotContainKeys("tool.name", "tool.description", "input.value", "output.value");
  }

  @Test
  void embeddingSpan() {
    SpanRecord out =
        fixture.run(
            span(
                "CreateEmbeddingResponse",
                "openinference.span.kind", "EMBEDDING",
                "embedding.model_name", "text-embedding-3-small",
                "embedding.embeddings.0.embedding.text", "hello world",
                "llm.token_count.prompt", 2,
                "llm.token_count.total", 2));

    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "embeddings"),
            entry("gen_ai.request.model", "text-embedding-3-small"),
            entry("gen_ai.usage.input_tokens", 2L),
            entry("embedding.embeddings.0.embedding.text", "hello world"))
        .doesNotContainKeys("embedding.model_name", "llm.token_count.prompt");
  }

  @Test
  void completionsApiSpanAndPlainTextInputWithoutMessages() {
    SpanRecord completions =
        fixture.run(
            span(
                "Completion",
                "openinference.span.kind", "LLM",
                "llm.model_name", "gpt-3.5-turbo-instruct",
                "llm.prompts.0.prompt.text", "Say this is a test",
                "llm.choices.0.completion.text", "This is a test."));
    assertThat(values(completions))
        .contains(entry("gen_ai.operation.name", "text_completion"))
        .doesNotContainKeys("llm.prompts.0.prompt.text", "llm.choices.0.completion.text");
    assertThat(json(completions, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [{"role": "user", "parts": [{"type": "text", "content": "Say this is a test"}]}]
                """));

    // Messages hidden (OPENINFERENCE_HIDE_INPUT_MESSAGES) or a custom LLM span: the plain-text
    // input and output are the messages.
    SpanRecord plain =
        fixture.run(
            span(
                "llm",
                "openinference.span.kind", "LLM",
                "llm.model_name", "llama3",
                "input.value", "Why is the sky blue?",
                "input.mime_type", "text/plain",
                "output.value", "Rayleigh scattering.",
                "output.mime_type", "text/plain"));
    assertThat(values(plain)).doesNotContainKeys("input.value", "output.value");
    assertThat(json(plain, "gen_ai.input.messages"))
        .isEqualTo(
            parse(
                """
                [{"role": "user", "parts": [{"type": "text", "content": "Why is the sky blue?"}]}]
                """));
    assertThat(json(plain, "gen_ai.output.messages"))
        .isEqualTo(
            parse(
                """
                [
                  {
                    "role": "assistant",
                    "parts": [{"type": "text", "content": "Rayleigh scattering."}]
                  }
                ]
                """));
  }

  @Test
  void chainAndAgentSpans() {
    SpanRecord chain =
        fixture.run(
            span(
                "RunnableSequence",
                "openinference.span.kind", "CHAIN",
                "input.value", "{\"question\": \"hi\"}",
                "output.value", "hello"));
    assertThat(values(chain))
        .contains(
            entry("gen_ai.operation.name", "invoke_workflow"),
            entry("input.value", "{\"question\": \"hi\"}"),
            entry("output.value", "hello"));

    SpanRecord agent =
        fixture.run(
            span("Agent", "openinference.span.kind", "AGENT", "agent.name", "travel_planner"));
    assertThat(values(agent))
        .contains(
            entry("gen_ai.operation.name", "invoke_agent"),
            entry("gen_ai.agent.name", "travel_planner"))
        .doesNotContainKey("agent.name");
  }
}
