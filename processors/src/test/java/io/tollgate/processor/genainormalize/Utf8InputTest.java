package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.event;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
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

  /** Every character a JSON writer may treat on its own: escaped, kept, multi-byte. */
  private static final String NASTY =
      "ctl \u0001\u0008\t\n\r\u001f, \"quoted\", back\\slash \\n, a/b </script>,"
          + " \u2028\u2029, DEL \u007f, é ß, 漢字 €, 😀🚀 𝄞 end";

  /** Text with nothing to escape, longer than a few words of eight bytes (copied as it is). */
  private static final String CLEAN =
      "Plain prose with é, ß, 漢字 and 😀 / nothing to escape, long enough to span many words";

  private static final List<String> JSON_TARGETS =
      List.of("gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions");

  @Test
  void messageTextReadAsBytesIsWrittenAsJacksonWritesItsText() {
    for (Span.Builder s : textCorpus()) {
      String name = s.getName();
      Fixture strings = new Fixture();
      Fixture bytes = new Fixture();
      SpanRecord fromStrings = strings.run(s.clone());
      SpanRecord fromBytes = bytes.run(toBytes(s.clone()));
      for (String key : JSON_TARGETS) {
        AnyValue v = fromBytes.attributes().get(key);
        // Before anything reads it as a String (protobuf's equals does, and keeps the String).
        assertThat(v == null || StringForm.isBytes(v)).as("%s %s is bytes", name, key).isTrue();
      }
      assertThat(fromBytes.proto().build()).as(name).isEqualTo(fromStrings.proto().build());
      assertThat(bytes.counter(NormalizeMetrics.KEPT))
          .as(name)
          .isEqualTo(strings.counter(NormalizeMetrics.KEPT));

      List<String> texts = new ArrayList<>();
      for (String key : JSON_TARGETS) {
        AnyValue v = fromBytes.attributes().get(key);
        if (v == null) {
          continue;
        }
        byte[] written = v.getStringValueBytes().toByteArray();
        // The oracle: the document read back and written by Jackson from Strings, as the
        // normaliser wrote every message before it kept text as bytes.
        JsonNode doc = Json.parse(v);
        assertThat(doc).as("%s %s parses", name, key).isNotNull();
        assertThat(new String(written, UTF_8))
            .as("%s %s", name, key)
            .isEqualTo(Json.write(doc));
        assertThat(written).as("%s %s", name, key).isEqualTo(Json.write(doc).getBytes(UTF_8));
        texts.addAll(doc.findValuesAsText("content"));
        texts.addAll(doc.findValuesAsText("response"));
      }
      assertThat(texts).as(name).contains(NASTY);
      if (name.endsWith("+clean")) {
        assertThat(texts).as(name).contains(CLEAN);
      }
    }
  }

  @Test
  void aCandidateOfStringsAndOneOfBytesWithTheSameTextAgree() {
    // gen_ai.prompt.0.* wins (bytes); gen_ai.prompt (JSON, parsed to Strings) says the same:
    // it is consumed, not kept as a conflict.
    Span.Builder s =
        span(
            "both",
            "gen_ai.system", "openai",
            "gen_ai.prompt.0.role", "user",
            "gen_ai.prompt.0.content", NASTY,
            "gen_ai.prompt", "[{\"role\": \"user\", \"content\": " + jsonString(NASTY) + "}]");
    Fixture f = new Fixture();
    AttributeView out = f.run(toBytes(s)).attributes();
    assertThat(out.get("gen_ai.prompt")).isNull();
    assertThat(out.get("gen_ai.prompt.0.content")).isNull();
    assertThat(f.counter(NormalizeMetrics.KEPT)).isZero();
    assertThat(Json.parse(out.get("gen_ai.input.messages")).findValuesAsText("content"))
        .containsExactly(NASTY);
  }

  @Test
  void everyCharacterIsWrittenFromUtf8BytesAsFromAString() {
    StringBuilder chunk = new StringBuilder();
    int chunks = 0;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
        continue;
      }
      chunk.appendCodePoint(cp);
      if (chunk.length() >= 1000 + chunks % 61 || cp == Character.MAX_CODE_POINT) {
        String text = chunk.toString();
        assertWrittenAlike(text);
        // The same with one character to escape, somewhere else in each chunk.
        int at = text.offsetByCodePoints(0, chunks % text.codePointCount(0, text.length()));
        assertWrittenAlike(text.substring(0, at) + "\"" + text.substring(at));
        chunk.setLength(0);
        chunks++;
      }
    }
    assertThat(chunks).isGreaterThan(1000);
    for (int c = 0; c < 0x80; c++) {
      for (int pad = 0; pad < 9; pad++) {
        assertWrittenAlike("x".repeat(pad) + (char) c + "y".repeat(8 - pad));
      }
    }
    assertWrittenAlike("");
    assertWrittenAlike(NASTY);
    assertWrittenAlike(CLEAN);
  }

  @Test
  void textHeldInAnyKindOfByteStringIsWrittenTheSame() {
    for (String text : List.of(NASTY, CLEAN, "")) {
      byte[] utf8 = text.getBytes(UTF_8);
      byte[] padded = new byte[utf8.length + 6];
      System.arraycopy(utf8, 0, padded, 3, utf8.length);
      int half = text.offsetByCodePoints(0, text.codePointCount(0, text.length()) / 2);
      List<ByteString> forms =
          List.of(
              ByteString.copyFrom(utf8),
              ByteString.copyFrom(padded).substring(3, 3 + utf8.length),
              UnsafeByteOperations.unsafeWrap(padded, 3, utf8.length),
              ByteString.copyFromUtf8(text.substring(0, half))
                  .concat(ByteString.copyFromUtf8(text.substring(half))),
              UnsafeByteOperations.unsafeWrap(java.nio.ByteBuffer.wrap(utf8)));
      AnyValue expected = Json.writeValue(Messages.textPart(text));
      for (ByteString form : forms) {
        Utf8TextNode node = new Utf8TextNode(form);
        assertThat(Json.writeValue(Messages.textPart(node))).as(text).isEqualTo(expected);
        assertThat(Json.write(Messages.textPart(node)))
            .isEqualTo(Json.write(Messages.textPart(text)));
        assertThat(node.asText()).isEqualTo(text);
        assertThat(node)
            .isEqualTo(Json.NODES.textNode(text))
            .hasSameHashCodeAs(Json.NODES.textNode(text));
        assertThat(Json.sameJson(Json.NODES.textNode(text), node)).isTrue();
        assertThat(Json.sameJson(Json.NODES.textNode(text + "!"), node)).isFalse();
      }
    }
  }

  /** {@code text} as a JSON string, quoted and escaped. */
  private static String jsonString(String text) {
    return Json.write(Json.NODES.textNode(text));
  }

  /** The text as a node over its UTF-8 bytes is written exactly as the text as a TextNode. */
  private static void assertWrittenAlike(String text) {
    var fromString = Json.array().add(Messages.textPart(text));
    var fromBytes =
        Json.array().add(Messages.textPart(new Utf8TextNode(ByteString.copyFromUtf8(text))));
    AnyValue expected = Json.writeValue(fromString);
    AnyValue actual = Json.writeValue(fromBytes);
    if (!expected.getStringValueBytes().equals(actual.getStringValueBytes())) {
      // Only the first difference, readably (the texts are a thousand characters).
      assertThat(actual.getStringValue()).isEqualTo(expected.getStringValue());
    }
  }

  /**
   * One span per way message text reaches a message: a field of an indexed message (OpenLLMetry,
   * OpenInference), an attribute of its own (Vercel's response, the ad-hoc keys, the deprecated
   * plain-text prompt), an event attribute (the deprecated events), always {@link #NASTY}, and
   * {@link #CLEAN} where the name ends in "+clean".
   */
  private static List<Span.Builder> textCorpus() {
    String quoted = jsonString(NASTY);
    List<Span.Builder> out = new ArrayList<>();
    out.add(
        span(
            "openllmetry+clean",
            "gen_ai.system", "openai",
            "gen_ai.request.model", "gpt-4o",
            "gen_ai.prompt.0.role", "system",
            "gen_ai.prompt.0.content", NASTY,
            "gen_ai.prompt.1.role", "user",
            "gen_ai.prompt.1.content", CLEAN,
            "gen_ai.prompt.2.role", "tool",
            "gen_ai.prompt.2.tool_call_id", "call_1",
            "gen_ai.prompt.2.content", NASTY,
            "gen_ai.completion.0.role", "assistant",
            "gen_ai.completion.0.content", NASTY,
            "gen_ai.completion.0.finish_reason", "stop"));
    out.add(
        span(
            "openllmetry-completions-api",
            "gen_ai.system", "openai",
            "gen_ai.prompt.0.user", NASTY,
            "gen_ai.completion.0.content", NASTY));
    out.add(
        span(
            "openllmetry-llm-prompts+clean",
            "gen_ai.system", "openai",
            "llm.prompts.0.role", "user",
            "llm.prompts.0.content", NASTY,
            "llm.completions.0.role", "assistant",
            "llm.completions.0.content", CLEAN));
    out.add(
        span(
            "openinference+clean",
            "openinference.span.kind", "LLM",
            "llm.model_name", "gpt-4o",
            "llm.input_messages.0.message.role", "system",
            "llm.input_messages.0.message.content", CLEAN,
            "llm.input_messages.1.message.role", "user",
            "llm.input_messages.1.message.contents.0.message_content.type", "text",
            "llm.input_messages.1.message.contents.0.message_content.text", NASTY,
            "llm.input_messages.2.message.role", "tool",
            "llm.input_messages.2.message.tool_call_id", "call_1",
            "llm.input_messages.2.message.content", NASTY,
            "llm.output_messages.0.message.role", "assistant",
            "llm.output_messages.0.message.content", NASTY));
    out.add(
        span(
            "openinference-completions-api",
            "openinference.span.kind", "LLM",
            "llm.model_name", "davinci",
            "llm.prompts.0.prompt.text", NASTY,
            "llm.choices.0.completion.text", NASTY));
    out.add(
        span(
            "openinference-plain-input",
            "openinference.span.kind", "LLM",
            "llm.model_name", "llama3",
            "input.value", NASTY,
            "output.value", NASTY));
    out.add(
        span(
            "vercel+clean",
            "operation.name", "ai.generateText.doGenerate",
            "ai.operationId", "ai.generateText.doGenerate",
            "ai.model.provider", "openai.chat",
            "ai.model.id", "gpt-4o",
            "ai.prompt.messages", "[{\"role\": \"user\", \"content\": " + quoted + "}]",
            "ai.response.reasoning", NASTY,
            "ai.response.text", CLEAN,
            "ai.response.object", NASTY));
    out.add(
        span(
            "adhoc-and-deprecated-text",
            "gen_ai.system", "anthropic",
            "gen_ai.request.system", NASTY,
            "gen_ai.prompt", NASTY,
            "gen_ai.response.text", NASTY));
    out.add(
        span(
            "adhoc-user",
            "gen_ai.system", "anthropic",
            "gen_ai.prompt.user", NASTY,
            "gen_ai.completion", NASTY));
    Span.Builder events =
        span("events+clean", "gen_ai.system", "openai", "gen_ai.request.model", "gpt-4o");
    events.addEvents(event("gen_ai.system.message", "content", CLEAN));
    events.addEvents(event("gen_ai.user.message", "content", NASTY));
    events.addEvents(event("gen_ai.tool.message", "content", NASTY, "id", "call_1"));
    events.addEvents(
        event(
            "gen_ai.choice",
            "index", 0,
            "finish_reason", "stop",
            "message", "{\"role\": \"assistant\", \"content\": " + quoted + "}"));
    out.add(events);
    Span.Builder content = span("content-events", "gen_ai.system", "openai");
    content.addEvents(event("gen_ai.content.prompt", "gen_ai.prompt", NASTY));
    content.addEvents(event("gen_ai.content.completion", "gen_ai.completion", NASTY));
    out.add(content);
    return out;
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
