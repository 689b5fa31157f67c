package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.event;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.Values;
import io.tollgate.core.testing.StringForm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * String values that arrive as UTF-8 bytes (as the receiver decodes them) are normalised exactly as
 * the same values held as Strings; a value moved to its conventional key is the very object it came
 * as, and values only looked at stay bytes.
 */
class Utf8InputTest {

  private static final String TEXT = "Grüße, 漢字 and 😀🚀: \"quoted\"\\n";

  @Test
  void everyDialectGivesTheSameSpanFromBytesAsFromStrings() {
    for (Span.Builder s : corpus()) {
      Fixture strings = new Fixture();
      Fixture bytes = new Fixture();
      Span fromStrings = strings.run(s.clone()).proto().build();
      Span fromBytes = bytes.run(toBytes(s.clone())).proto().build();
      assertThat(fromBytes).as(s.getName()).isEqualTo(fromStrings);
      assertThat(bytes.counter(NormalizeMetrics.SPANS, "dialect", "openinference"))
          .isEqualTo(strings.counter(NormalizeMetrics.SPANS, "dialect", "openinference"));
    }
  }

  @Test
  void aToolCallArgumentMovesAsTheSameObjectAndStaysBytes() {
    AnyValue args = bytes("{\"city\": \"Zürich 😀\"}");
    AnyValue result = bytes("sunny, 21°C");
    Span.Builder s =
        span("get_weather", "openinference.span.kind", "TOOL", "tool.name", "get_weather");
    s.addAttributes(kv("input.value", args)).addAttributes(kv("output.value", result));

    AttributeView out = new Fixture().run(s).attributes();

    assertThat(out.get("gen_ai.tool.call.arguments")).isSameAs(args);
    assertThat(out.get("gen_ai.tool.call.result")).isSameAs(result);
    assertThat(out.get("input.value")).isNull();
    assertThat(StringForm.isBytes(args)).isTrue();
    assertThat(StringForm.isBytes(result)).isTrue();
  }

  @Test
  void rawRequestAndResponseOfAnLlmSpanWithMessagesAreNotRead() {
    AnyValue request =
        bytes("{\"messages\": [{\"role\": \"user\", \"content\": \"" + TEXT + "\"}]}");
    AnyValue response =
        bytes("{\"choices\": [{\"finish_reason\": \"stop\", \"message\": {\"content\": \"ok\"}}]}");
    Span.Builder s =
        span(
            "ChatCompletion",
            "openinference.span.kind", "LLM",
            "llm.model_name", "gpt-4o",
            "llm.input_messages.0.message.role", "user",
            "llm.input_messages.0.message.content", TEXT,
            "llm.output_messages.0.message.role", "assistant",
            "llm.output_messages.0.message.content", "ok");
    s.addAttributes(kv("input.value", request)).addAttributes(kv("output.value", response));

    AttributeView out = new Fixture().run(s).attributes();

    // The raw request and response stay (the messages came from llm.*_messages); the finish
    // reason was read from the response's bytes.
    assertThat(out.get("input.value")).isSameAs(request);
    assertThat(out.get("output.value")).isSameAs(response);
    assertThat(StringForm.isBytes(request)).isTrue();
    assertThat(StringForm.isBytes(response)).isTrue();
    assertThat(out.get("gen_ai.response.finish_reasons"))
        .isEqualTo(Values.ofStrings(List.of("stop")));
    // The messages written are UTF-8 bytes, as export sends them.
    AnyValue input = out.get("gen_ai.input.messages");
    assertThat(StringForm.isBytes(input)).isTrue();
    assertThat(input.getStringValue()).contains(TEXT.replace("\\", "\\\\").replace("\"", "\\\""));
  }

  @Test
  void messagesAlreadyOnTheConventionsAreNotRead() {
    AnyValue messages =
        bytes(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + TEXT + "\"}]}]");
    Span.Builder s =
        span(
            "chat gpt-4o",
            "gen_ai.operation.name", "chat",
            "gen_ai.provider.name", "openai",
            "gen_ai.request.model", "gpt-4o");
    s.addAttributes(kv("gen_ai.input.messages", messages));

    SpanRecord out = new Fixture().run(s);

    assertThat(out.attributes().get("gen_ai.input.messages")).isSameAs(messages);
    assertThat(StringForm.isBytes(messages)).isTrue();
  }

  @Test
  void jsonIsReadFromBytesAsFromAString() {
    List<String> texts =
        List.of(
            "",
            "   ",
            "{}",
            " \t\n[1, 2.50, \"é😀\"]",
            "{\"a\": 1} trailing",
            "5 apples",
            "-1.0",
            "\"a string\"",
            "true",
            "null",
            "nope",
            "\u2003{\"a\": 1}",
            "\u001c{\"a\": 1}",
            "\uFEFF{\"a\": 1}",
            "{\u0000}",
            "[\u0000]\u0000",
            "{\"x\": NaN, \"y\": Infinity}",
            "{\"k\": \"" + TEXT + "\"}",
            "{\"k\": \"\\ud83d\\ude00\"}",
            "[{\"a\": {\"b\": [1, 2, {\"c\": null}]}}]");
    for (String t : texts) {
      AnyValue v = bytes(t);
      assertThat(Json.parse(v)).as("parse %s", t).isEqualTo(Json.parse(t));
      assertThat(Json.parseContainer(v)).as("container %s", t).isEqualTo(Json.parseContainer(t));
      assertThat(Json.parseObjectLenient(v))
          .as("lenient %s", t)
          .isEqualTo(Json.parseObjectLenient(t));
    }
    assertThat(Json.parse(Values.of(1L))).isNull();
  }

  @Test
  void jsonWrittenAsBytesEqualsJsonWrittenAsAString() {
    var doc = Json.array();
    doc.add(Json.object().put("content", TEXT).put("n", 1));
    AnyValue written = Json.writeValue(doc);
    assertThat(StringForm.isBytes(written)).isTrue();
    assertThat(written).isEqualTo(Values.of(Json.write(doc))); // protobuf compares the text
    // A lone surrogate (possible only in a String some code built) is written as before.
    var broken = Json.array().add("half \uD83D pair");
    assertThat(Json.writeValue(broken)).isEqualTo(Values.of(Json.write(broken)));
  }

  // ---------------------------------------------------------------- corpus

  /** One span per way a message reaches the normaliser, with multi-byte text throughout. */
  private static List<Span.Builder> corpus() {
    List<Span.Builder> out = new ArrayList<>();
    String request =
        "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief 😀.\"},"
            + " {\"role\": \"user\", \"content\": \"" + TEXT + "\"}], \"model\": \"gpt-4o\"}";
    String response =
        "{\"choices\": [{\"index\": 0, \"finish_reason\": \"length\", \"message\":"
            + " {\"role\": \"assistant\", \"content\": \"Paris — 巴黎\"}}]}";
    out.add(
        span(
            "oi-llm-with-messages",
            "openinference.span.kind", "LLM",
            "llm.system", "openai",
            "llm.model_name", "gpt-4o",
            "input.value", request,
            "llm.input_messages.0.message.role", "system",
            "llm.input_messages.0.message.content", "Be brief 😀.",
            "llm.input_messages.1.message.role", "user",
            "llm.input_messages.1.message.content", TEXT,
            "output.value", response,
            "llm.output_messages.0.message.role", "assistant",
            "llm.output_messages.0.message.content", "Paris — 巴黎",
            "llm.invocation_parameters", "{\"temperature\": 0.2, \"note\": \"ü\"}",
            "llm.token_count.prompt", 25));
    out.add(
        span(
            "oi-llm-raw-only",
            "openinference.span.kind", "LLM",
            "llm.model_name", "gpt-4o",
            "input.value", request,
            "output.value", response));
    out.add(
        span(
            "oi-llm-plain-text",
            "openinference.span.kind", "LLM",
            "llm.model_name", "llama3",
            "input.value", TEXT,
            "output.value", "Rayleigh 散射 😀"));
    out.add(
        span(
            "oi-tool",
            "openinference.span.kind", "TOOL",
            "tool.name", "get_weather",
            "input.value", "{\"city\": \"Zürich\"}",
            "output.value", "sunny, 21°C"));
    out.add(
        span(
            "openllmetry",
            "gen_ai.system", "openai",
            "gen_ai.request.model", "gpt-4o",
            "gen_ai.prompt.0.role", "user",
            "gen_ai.prompt.0.content", TEXT,
            "gen_ai.completion.0.role", "assistant",
            "gen_ai.completion.0.content", "答え 😀",
            "gen_ai.completion.0.finish_reason", "stop",
            "gen_ai.completion.0.tool_calls.0.name", "lookup",
            "gen_ai.completion.0.tool_calls.0.arguments", "{\"q\": \"ß\"}",
            "llm.request.functions.0.name", "lookup",
            "llm.request.functions.0.parameters", "{\"type\": \"object\"}"));
    out.add(
        span(
            "deprecated-attributes",
            "gen_ai.system", "anthropic",
            "gen_ai.prompt", "[{\"role\": \"user\", \"content\": \"" + TEXT + "\"}]",
            "gen_ai.completion", "[{\"role\": \"assistant\", \"content\": \"ok 😀\"}]",
            "gen_ai.request.system", "Système 😀",
            "gen_ai.response.text", "Réponse"));
    out.add(
        span(
            "vercel",
            "operation.name", "ai.generateText.doGenerate",
            "ai.operationId", "ai.generateText.doGenerate",
            "ai.model.provider", "openai.chat",
            "ai.model.id", "gpt-4o",
            "ai.prompt.messages", "[{\"role\": \"user\", \"content\": \"" + TEXT + "\"}]",
            "ai.response.text", "Antwort 😀",
            "ai.response.toolCalls",
                "[{\"toolCallId\": \"c1\", \"toolName\": \"t\","
                    + " \"args\": \"{\\\"x\\\": \\\"é\\\"}\"}]",
            "ai.prompt.tools", List.of("{\"type\": \"function\", \"name\": \"t\"}")));
    Span.Builder events =
        span("events", "gen_ai.system", "openai", "gen_ai.request.model", "gpt-4o");
    events.addEvents(event("gen_ai.user.message", "content", TEXT));
    events.addEvents(
        event(
            "gen_ai.choice",
            "index", 0,
            "finish_reason", "stop",
            "message", "{\"role\": \"assistant\", \"content\": \"ja 😀\"}"));
    out.add(events);
    Span.Builder conflict =
        span(
            "conflict",
            "gen_ai.operation.name", "chat",
            "gen_ai.provider.name", "az.ai.openai",
            "gen_ai.input.messages",
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
                    + TEXT
                    + "\"}]}]",
            "gen_ai.prompt.0.role", "user",
            "gen_ai.prompt.0.content", TEXT,
            "gen_ai.completion.0.content", "different 😀",
            "gen_ai.output.messages",
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"same\"}]}]");
    out.add(conflict);
    out.add(
        span(
            "langfuse",
            "langfuse.observation.type", "generation",
            "langfuse.observation.model.name", "gpt-4o",
            "langfuse.observation.input", "[{\"role\": \"user\", \"content\": \"" + TEXT + "\"}]",
            "langfuse.observation.output", "{\"role\": \"assistant\", \"content\": \"ok\"}",
            "langfuse.observation.model.parameters",
                "{\"temperature\": 0.5, \"max_tokens\": Infinity}",
            "langfuse.observation.usage_details", "{\"input\": 10, \"output\": 5}",
            "langfuse.trace.metadata.langfuse_session_id", "\"sess-ü\""));
    return out;
  }

  // ---------------------------------------------------------------- helpers

  static AnyValue bytes(String s) {
    return AnyValue.newBuilder().setStringValueBytes(ByteString.copyFromUtf8(s)).build();
  }

  private static KeyValue kv(String key, AnyValue v) {
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  /** The span with every string value (of attributes and events, nested too) held as bytes. */
  private static Span.Builder toBytes(Span.Builder s) {
    for (int i = 0; i < s.getAttributesCount(); i++) {
      KeyValue kv = s.getAttributes(i);
      s.setAttributes(i, kv.toBuilder().setValue(toBytes(kv.getValue())));
    }
    for (Span.Event.Builder e : s.getEventsBuilderList()) {
      for (int i = 0; i < e.getAttributesCount(); i++) {
        KeyValue kv = e.getAttributes(i);
        e.setAttributes(i, kv.toBuilder().setValue(toBytes(kv.getValue())));
      }
    }
    return s;
  }

  private static AnyValue toBytes(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return bytes(v.getStringValue());
      case ARRAY_VALUE:
        {
          ArrayValue.Builder a = ArrayValue.newBuilder();
          v.getArrayValue().getValuesList().forEach(e -> a.addValues(toBytes(e)));
          return AnyValue.newBuilder().setArrayValue(a).build();
        }
      case KVLIST_VALUE:
        {
          KeyValueList.Builder l = KeyValueList.newBuilder();
          for (KeyValue kv : v.getKvlistValue().getValuesList()) {
            l.addValues(kv.toBuilder().setValue(toBytes(kv.getValue())));
          }
          return AnyValue.newBuilder().setKvlistValue(l).build();
        }
      default:
        return v;
    }
  }
}
