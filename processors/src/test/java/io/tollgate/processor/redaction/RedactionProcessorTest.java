package io.tollgate.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.Secret;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import io.tollgate.core.testing.StringForm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedactionProcessorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingConsumer next = new RecordingConsumer();

  private Processor processor(RedactionConfig config) {
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("redaction"))
            .meterRegistry(registry)
            .build();
    return new RedactionProcessorFactory().create(config, ctx, next);
  }

  private SpanRecord run(RedactionConfig config, Span.Builder span) throws Exception {
    processor(config).consume(Spans.batch(span)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    return next.spans().get(next.spans().size() - 1);
  }

  private static Map<String, Object> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** OpenTelemetry GenAI conventions: messages as a JSON string attribute. */
  static final String INPUT_MESSAGES =
      "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a helpful support"
          + " agent for"
          + " ACME.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"My email is"
          + " jane.doe@example.com and my card 4111 1111 1111 1111 was charged twice. Call +44 20"
          + " 7946 0958.\"}]}]";

  static final String OUTPUT_MESSAGES =
      "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":"
          + "\"lookup_customer\",\"arguments\":{\"email\":\"jane.doe@example.com\",\"limit\":5,"
          + "\"score\":0.25}}],\"finish_reason\":\"tool_call\"}]";

  @Test
  void genAiMessagesStayValidJsonWithRolesAndNumbersIntact() throws Exception {
    SpanRecord out =
        run(
            RedactionConfig.defaults(),
            Spans.span(
                "chat gpt-4o",
                attrs(
                    "gen_ai.operation.name",
                    "chat",
                    "gen_ai.request.model",
                    "gpt-4o",
                    "gen_ai.usage.input_tokens",
                    42,
                    "gen_ai.input.messages",
                    INPUT_MESSAGES,
                    "gen_ai.output.messages",
                    OUTPUT_MESSAGES)));

    JsonNode input = JSON.readTree(out.attributes().getString("gen_ai.input.messages"));
    assertThat(input.get(0).get("role").asText()).isEqualTo("system");
    assertThat(input.get(0).get("parts").get(0).get("content").asText())
        .isEqualTo("You are a helpful support agent for ACME.");
    assertThat(input.get(1).get("role").asText()).isEqualTo("user");
    assertThat(input.get(1).get("parts").get(0).get("content").asText())
        .isEqualTo(
            "My email is <EMAIL_ADDRESS> and my card <CREDIT_CARD> was charged twice. Call"
                + " <PHONE_NUMBER>.");
    JsonNode output = JSON.readTree(out.attributes().getString("gen_ai.output.messages"));
    JsonNode call = output.get(0).get("parts").get(0);
    assertThat(call.get("arguments").get("email").asText()).isEqualTo("<EMAIL_ADDRESS>");
    assertThat(call.get("arguments").get("limit").asInt()).isEqualTo(5);
    assertThat(call.get("arguments").get("score").asDouble()).isEqualTo(0.25);
    assertThat(output.get(0).get("finish_reason").asText()).isEqualTo("tool_call");
    assertThat(out.attributes().getString("gen_ai.request.model")).isEqualTo("gpt-4o");
    assertThat(out.attributes().getLong(RedactionProcessor.ATTR_COUNT)).isEqualTo(4);
    assertThat(out.attributes().contains(RedactionProcessor.ATTR_ENTITIES)).isFalse();
    assertThat(
            registry
                .get("tollgate_redaction_entities")
                .tag("entity_type", "EMAIL_ADDRESS")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void cleanValuesAreLeftByteForByte() throws Exception {
    String clean = "[{\"role\": \"user\", \"parts\": [{\"type\": \"text\", \"content\": \"Hi\"}]}]";
    SpanRecord out =
        run(RedactionConfig.defaults(), Spans.span("chat", attrs("gen_ai.input.messages", clean)));
    assertThat(out.attributes().getString("gen_ai.input.messages")).isEqualTo(clean);
    assertThat(out.attributes().contains(RedactionProcessor.ATTR_COUNT)).isFalse();
  }

  /**
   * Values held as UTF-8 bytes (as the receiver decodes them), with findings after 2-, 3- and
   * 4-byte characters so that char offsets are not byte offsets: redacted exactly as the same
   * values held as Strings; clean ones pass on as the same AnyValue, never turned into a String.
   */
  @Test
  void valuesHeldAsBytesAreRedactedAsStringsAndCleanOnesLeftAsBytes() throws Exception {
    String plain = "ünïcödé 日本語 😀😀 mail jane@example.com or call +44 20 7946 0958 😀 done";
    String json =
        "[{\"role\":\"user\",\"content\":\"😀 日本 é\\n write to jane@example.com 😀\"},"
            + "{\"role\":\"user\",\"content\":\"clean 😀 text\"},"
            + "{\"api_key\":\"😀 anything\","
            + "\"note\":\"\\u00e9 sk-proj-abcdefghijklmnopqrstuvwxyz\"}]";
    String cleanPlain = "ünïcödé 日本語 😀 nothing to see here, 42 € only";
    String cleanJson = "[{\"role\":\"user\",\"content\":\"😀 hi \\n there 日本\"}]";
    String[] keys = {"input.value", "gen_ai.input.messages", "output.value", "gen_ai.prompt"};
    String[] values = {plain, json, cleanPlain, cleanJson};

    Span.Builder asStrings = Spans.span("chat", Map.of());
    Span.Builder asBytes = Spans.span("chat", Map.of());
    AnyValue[] inputs = new AnyValue[values.length];
    for (int i = 0; i < values.length; i++) {
      asStrings.addAttributes(Spans.kv(keys[i], values[i]));
      inputs[i] =
          AnyValue.newBuilder().setStringValueBytes(ByteString.copyFromUtf8(values[i])).build();
      asBytes.addAttributes(KeyValue.newBuilder().setKey(keys[i]).setValue(inputs[i]));
    }
    SpanRecord fromStrings = run(RedactionConfig.defaults(), asStrings);
    SpanRecord fromBytes = run(RedactionConfig.defaults(), asBytes);

    // First: equals() below converts both sides to Strings.
    for (int i = 2; i < 4; i++) {
      AnyValue out = fromBytes.attributes().get(keys[i]);
      assertThat(out).as(keys[i]).isSameAs(inputs[i]);
      assertThat(StringForm.isBytes(out)).as("%s never became a String", keys[i]).isTrue();
    }
    assertThat(fromBytes.proto().getAttributesList())
        .isEqualTo(fromStrings.proto().getAttributesList());
    assertThat(fromBytes.attributes().getString("input.value"))
        .isEqualTo(
            "ünïcödé 日本語 😀😀 mail <EMAIL_ADDRESS> or call <PHONE_NUMBER> 😀 done");
    JsonNode messages = JSON.readTree(fromBytes.attributes().getString("gen_ai.input.messages"));
    assertThat(messages.get(0).get("content").asText())
        .isEqualTo("😀 日本 é\n write to <EMAIL_ADDRESS> 😀");
    assertThat(messages.get(1).get("content").asText()).isEqualTo("clean 😀 text");
    assertThat(messages.get(2).get("api_key").asText()).isEqualTo("<SECRET>");
    assertThat(messages.get(2).get("note").asText()).isEqualTo("é <API_KEY>");
  }

  @Test
  void openLlmetrysRequestHeadersAreScannedForCredentials() throws Exception {
    // OpenLLMetry writes the call's extra headers as Python's str(dict): gateway and proxy keys
    // (Helicone, Portkey, an Authorization for a self-hosted endpoint) travel in them.
    String openAiKey = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD";
    String proxyToken = "hl7Kq2ZrT9xW4mB8vN3c";
    SpanRecord out =
        run(
            RedactionConfig.defaults(),
            Spans.span(
                "openai.chat",
                attrs(
                    "llm.request.type", "chat",
                    "llm.headers",
                        "{'Authorization': 'Bearer " + openAiKey + "', 'X-Request-Id': 'r-1'}",
                    "gen_ai.headers", "{'Helicone-Auth': 'Bearer " + proxyToken + "'}")));
    assertThat(out.attributes().getString("llm.headers"))
        .doesNotContain(openAiKey)
        .contains("'X-Request-Id': 'r-1'");
    assertThat(out.attributes().getString("gen_ai.headers")).doesNotContain(proxyToken);
  }

  @Test
  void everyInstrumentationsContentKeysAreScanned() throws Exception {
    String pii = "reach me at jane@example.com";
    Map<String, Object> a =
        attrs(
            "gen_ai.prompt.0.role", "user",
            "gen_ai.prompt.0.content", pii,
            "gen_ai.completion.0.content", pii,
            "gen_ai.system_instructions", pii,
            "gen_ai.tool.call.arguments", "{\"to\":\"jane@example.com\"}",
            "gen_ai.tool.call.result", pii,
            "gen_ai.retrieval.query.text", pii,
            "llm.input_messages.0.message.content", pii,
            "llm.output_messages.0.message.content", pii,
            "input.value", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + pii + "\"}]}",
            "output.value", pii,
            "traceloop.entity.input", "{\"args\":[\"" + pii + "\"],\"kwargs\":{}}",
            "traceloop.entity.output", pii,
            "langfuse.observation.input", pii,
            "langfuse.observation.output", pii,
            "exception.message", "invalid recipient jane@example.com",
            "app.note", pii);
    SpanRecord out = run(RedactionConfig.defaults(), Spans.span("task", a));
    for (String key : a.keySet()) {
      String v = out.attributes().getString(key);
      if (key.equals("app.note")) {
        assertThat(v).as(key).isEqualTo(pii);
      } else {
        assertThat(v).as(key).doesNotContain("jane@example.com");
      }
    }
    assertThat(out.attributes().getString("gen_ai.prompt.0.role")).isEqualTo("user");
    assertThat(out.attributes().getLong(RedactionProcessor.ATTR_COUNT)).isEqualTo(15);
  }

  @Test
  void spanEventsExceptionsAndStatusMessagesAreScanned() throws Exception {
    Span.Builder span =
        Spans.span("chat", attrs("gen_ai.request.model", "gpt-4o"))
            .setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("BadRequestError: user +1-415-555-0132 not allowed"))
            // OpenLIT writes content as span events.
            .addEvents(
                Span.Event.newBuilder()
                    .setName("gen_ai.content.prompt")
                    .addAttributes(Spans.kv("gen_ai.prompt", "SSN 123-45-6789")))
            // Deprecated per-message events carry content under short keys.
            .addEvents(
                Span.Event.newBuilder()
                    .setName("gen_ai.user.message")
                    .addAttributes(Spans.kv("content", "IBAN DE89 3704 0044 0532 0130 00"))
                    .addAttributes(Spans.kv("gen_ai.system", "openai")))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("exception")
                    .addAttributes(Spans.kv("exception.type", "openai.BadRequestError"))
                    .addAttributes(
                        Spans.kv(
                            "exception.message",
                            "bad key sk-proj-abcdefghijklmnopqrstuvwxyz012345"))
                    .addAttributes(
                        Spans.kv(
                            "exception.stacktrace",
                            "Traceback (most recent call last):\n"
                                + "  File \"app.py\", line 3\n"
                                + "openai.BadRequestError: bad key"
                                + " sk-proj-abcdefghijklmnopqrstuvwxyz012345")))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("log")
                    .addAttributes(Spans.kv("message", "jane@example.com stays: not content")));
    SpanRecord out = run(RedactionConfig.defaults().withSummary(SummaryLevel.DEBUG), span);
    assertThat(out.statusMessage()).isEqualTo("BadRequestError: user <PHONE_NUMBER> not allowed");
    assertThat(out.events().get(0).attributes().getString("gen_ai.prompt"))
        .isEqualTo("SSN <US_SSN>");
    assertThat(out.events().get(1).attributes().getString("content")).isEqualTo("IBAN <IBAN_CODE>");
    assertThat(out.events().get(1).attributes().getString("gen_ai.system")).isEqualTo("openai");
    assertThat(out.events().get(2).attributes().getString("exception.message"))
        .isEqualTo("bad key <API_KEY>");
    assertThat(out.events().get(2).attributes().getString("exception.stacktrace"))
        .endsWith("bad key <API_KEY>")
        .contains("File \"app.py\", line 3");
    assertThat(out.events().get(2).attributes().getString("exception.type"))
        .isEqualTo("openai.BadRequestError");
    assertThat(out.events().get(3).attributes().getString("message"))
        .isEqualTo("jane@example.com stays: not content");
    assertThat(out.attributes().getLong(RedactionProcessor.ATTR_COUNT)).isEqualTo(5);
    assertThat(out.attributes().getString(RedactionProcessor.ATTR_ENTITIES))
        .isEqualTo("API_KEY=2,IBAN_CODE=1,PHONE_NUMBER=1,US_SSN=1");
  }

  @Test
  void keysPatternsAllStringsAndIgnoredKeys() throws Exception {
    String pii = "jane@example.com";
    Span.Builder span =
        Spans.span(
            "chat",
            attrs(
                "app.contact", pii,
                "app.prompt.raw", pii,
                "http.url", "https://api.example.com/?email=" + pii,
                "gen_ai.input.messages", pii,
                "app.owner", pii,
                "user.id", pii));
    SpanRecord some =
        run(
            RedactionConfig.defaults()
                .withKeys(
                    List.of("app.contact"),
                    List.of("^app\\.prompt\\."),
                    false,
                    List.of("gen_ai.input.messages")),
            span.clone());
    assertThat(some.attributes().getString("app.contact")).isEqualTo("<EMAIL_ADDRESS>");
    assertThat(some.attributes().getString("app.prompt.raw")).isEqualTo("<EMAIL_ADDRESS>");
    assertThat(some.attributes().getString("gen_ai.input.messages")).isEqualTo(pii);
    assertThat(some.attributes().getString("app.owner")).isEqualTo(pii);
    assertThat(some.attributes().getString("http.url")).contains(pii);
    // User ids are default keys: applications often use the e-mail address as one.
    assertThat(some.attributes().getString("user.id")).isEqualTo("<EMAIL_ADDRESS>");

    SpanRecord all =
        run(
            RedactionConfig.defaults().withKeys(List.of(), List.of(), true, List.of("app.owner")),
            span.clone());
    assertThat(all.attributes().getString("http.url"))
        .isEqualTo("https://api.example.com/?email=<EMAIL_ADDRESS>");
    assertThat(all.attributes().getString("app.contact")).isEqualTo("<EMAIL_ADDRESS>");
    assertThat(all.attributes().getString("app.owner")).isEqualTo(pii);
  }

  @Test
  void secretNamedAttributesAreRedactedWhole() throws Exception {
    SpanRecord out =
        run(
            RedactionConfig.defaults(),
            Spans.span(
                "http",
                attrs(
                    "http.request.header.authorization",
                    List.of("Token abc"),
                    "db.password",
                    "correct horse battery staple",
                    "gen_ai.usage.output_tokens",
                    12)));
    assertThat(out.attributes().get("http.request.header.authorization"))
        .isEqualTo(Values.ofStrings(List.of("<SECRET>")));
    assertThat(out.attributes().getString("db.password")).isEqualTo("<SECRET>");
    assertThat(out.attributes().getLong("gen_ai.usage.output_tokens")).isEqualTo(12);
  }

  @Test
  void structuredAnyValuesAreWalked() throws Exception {
    AnyValue messages =
        AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder()
                    .addValues(
                        AnyValue.newBuilder()
                            .setKvlistValue(
                                KeyValueList.newBuilder()
                                    .addValues(Spans.kv("role", "user"))
                                    .addValues(Spans.kv("content", "call (415) 555-0132"))
                                    .addValues(Spans.kv("index", 0)))))
            .build();
    SpanRecord out =
        run(
            RedactionConfig.defaults(),
            Spans.span("chat", attrs("gen_ai.input.messages", messages)));
    KeyValueList kv =
        out.attributes().get("gen_ai.input.messages").getArrayValue().getValues(0).getKvlistValue();
    assertThat(kv.getValuesList())
        .extracting(KeyValue::getKey)
        .containsExactly("role", "content", "index");
    assertThat(kv.getValues(0).getValue().getStringValue()).isEqualTo("user");
    assertThat(kv.getValues(1).getValue().getStringValue()).isEqualTo("call <PHONE_NUMBER>");
    assertThat(kv.getValues(2).getValue().getIntValue()).isZero();
  }

  @Test
  void operatorsPerEntityWithHashPseudonymsStableAcrossSpans() throws Exception {
    RedactionConfig config =
        RedactionConfig.defaults()
            .withOperators(
                Map.of(
                    "EMAIL_ADDRESS", OperatorConfig.of(OperatorConfig.Type.HASH),
                    "CREDIT_CARD", OperatorConfig.mask("*", 12, false),
                    "PHONE_NUMBER", OperatorConfig.of(OperatorConfig.Type.REDACT)),
                Secret.of("a-very-long-test-key-0123456789"));
    String text = "jane@example.com 4111 1111 1111 1111 +44 20 7946 0958";
    SpanRecord first = run(config, Spans.span("a", attrs("input.value", text)));
    SpanRecord second =
        run(config, Spans.span("b", attrs("output.value", "from jane@example.com")));
    String a = first.attributes().getString("input.value");
    assertThat(a).matches("<EMAIL_ADDRESS:[0-9a-f]{8}> \\*{12}11 1111 ");
    String pseudonym = a.substring(0, a.indexOf('>') + 1);
    assertThat(second.attributes().getString("output.value")).isEqualTo("from " + pseudonym);
  }

  @Test
  void summaryLevels() throws Exception {
    Span.Builder span = Spans.span("chat", attrs("input.value", "a@example.com b@example.com"));
    SpanRecord info = run(RedactionConfig.defaults(), span.clone());
    assertThat(info.attributes().getLong(RedactionProcessor.ATTR_COUNT)).isEqualTo(2);
    assertThat(info.attributes().contains(RedactionProcessor.ATTR_ENTITIES)).isFalse();
    SpanRecord debug =
        run(RedactionConfig.defaults().withSummary(SummaryLevel.DEBUG), span.clone());
    assertThat(debug.attributes().getString(RedactionProcessor.ATTR_ENTITIES))
        .isEqualTo("EMAIL_ADDRESS=2");
    SpanRecord silent =
        run(RedactionConfig.defaults().withSummary(SummaryLevel.SILENT), span.clone());
    assertThat(silent.attributes().contains(RedactionProcessor.ATTR_COUNT)).isFalse();
    assertThat(silent.attributes().getString("input.value"))
        .isEqualTo("<EMAIL_ADDRESS> <EMAIL_ADDRESS>");
  }

  @Test
  void secondPassFindsNothingNewAndKeepsTheTotal() throws Exception {
    RedactionConfig config = RedactionConfig.defaults().withSummary(SummaryLevel.DEBUG);
    SpanRecord once = run(config, Spans.span("chat", attrs("input.value", "a@example.com")));
    TraceBatch again = TraceBatch.of(Spans.request("svc", once.proto().clone()));
    processor(config).consume(again).toCompletableFuture().get(5, TimeUnit.SECONDS);
    SpanRecord twice = next.spans().get(next.spans().size() - 1);
    assertThat(twice.attributes().getString("input.value")).isEqualTo("<EMAIL_ADDRESS>");
    assertThat(twice.attributes().getLong(RedactionProcessor.ATTR_COUNT)).isEqualTo(1);
  }

  @Test
  void cutJsonIsScannedAsText() throws Exception {
    String cut = "[{\"role\":\"user\",\"content\":\"call me:\\n415-555-0132 or jane@exa";
    SpanRecord out =
        run(RedactionConfig.defaults(), Spans.span("chat", attrs("gen_ai.input.messages", cut)));
    assertThat(out.attributes().getString("gen_ai.input.messages"))
        .isEqualTo(
            "[{\"role\":\"user\",\"content\":\"call me:\\n<PHONE_NUMBER> or <EMAIL_ADDRESS>");
  }

  /**
   * The same redaction id in two pipelines is two instances: their metrics are told apart by the
   * {@code pipeline} label, as the collector's processor metrics are, instead of adding up.
   */
  @Test
  void entityCountsCarryThePipeline() throws Exception {
    Processor[] processors = new Processor[2];
    String[] pipelines = {"traces/genai", "traces/audit"};
    for (int i = 0; i < 2; i++) {
      ComponentContext ctx =
          ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("redaction"))
              .meterRegistry(registry)
              .pipeline(pipelines[i])
              .build();
      processors[i] = new RedactionProcessorFactory().create(RedactionConfig.defaults(), ctx, next);
    }
    processors[0]
        .consume(Spans.batch(Spans.span("chat", attrs("input.value", "a@example.com"))))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    processors[1]
        .consume(
            Spans.batch(Spans.span("chat", attrs("input.value", "b@example.com c@example.com"))))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    for (int i = 0; i < 2; i++) {
      assertThat(
              registry
                  .get("tollgate_redaction_entities")
                  .tag("processor", "redaction")
                  .tag("pipeline", pipelines[i])
                  .tag("entity_type", "EMAIL_ADDRESS")
                  .counter()
                  .count())
          .isEqualTo(i + 1);
    }
  }
}
