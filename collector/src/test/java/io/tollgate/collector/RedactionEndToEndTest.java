package io.tollgate.collector;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.tollgate.collector.testing.TestCollectors.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tollgate.collector.testing.ExportResults;
import io.tollgate.collector.testing.FakePresidio;
import io.tollgate.collector.testing.OtlpSink;
import io.tollgate.collector.testing.TestCollectors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prompts full of personal data and secrets, sent by the OpenTelemetry SDK in every place the
 * instrumentations put them, through the whole collector (the full GenAI pipeline) to a real
 * OTLP/gRPC backend: nothing sensitive may arrive, under every {@code presidio.on_error} mode, with
 * a Presidio analyzer that is up, too slow, or down.
 */
class RedactionEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String NAME = "Jane Doe";
  private static final String EMAIL = "jane.doe@example.com";
  private static final String PHONE_UK = "+44 20 7946 0958";
  private static final String PHONE_US = "+1-415-555-0132";
  private static final String PHONE_DE = "0049 30 901820";
  private static final String CARD_VISA = "4111 1111 1111 1111";
  private static final String CARD_MC = "5555-5555-5555-4444";
  private static final String IBAN_DE = "DE89 3704 0044 0532 0130 00";
  private static final String IBAN_GB = "GB82WEST12345698765432";
  private static final String SSN = "536-22-8714";
  private static final String IPV4 = "203.0.113.77";
  private static final String OPENAI_KEY = "sk-proj-Xq7vT2mLp9RkZ4nW8bYc3HdJ6sFgA1eU5oVi0tNwQrMx";
  private static final String JWT =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
          + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
          + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  private static final String BEARER_TOKEN = "7fG2kLm9QxR4vT8wZ1bN5cJ3";
  private static final String PEM_LINE_1 =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
  private static final String PEM_LINE_2 =
      "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu";
  private static final String PEM =
      "-----BEGIN PRIVATE KEY-----\n"
          + PEM_LINE_1
          + "\n"
          + PEM_LINE_2
          + "\n-----END PRIVATE KEY-----";

  /** What must never reach the backend, whatever happens to the analyzer. */
  private static final List<String> BUILT_IN_FINDS =
      List.of(
          EMAIL,
          PHONE_UK,
          "7946 0958",
          PHONE_US,
          "555-0132",
          PHONE_DE,
          CARD_VISA,
          CARD_MC,
          IBAN_DE,
          IBAN_GB,
          SSN,
          IPV4,
          OPENAI_KEY,
          "Xq7vT2mLp9RkZ4nW8bYc",
          JWT,
          "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
          "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
          BEARER_TOKEN,
          PEM_LINE_1,
          PEM_LINE_2);

  // The emoji before the name puts UTF-16 and code-point offsets apart: Presidio counts code
  // points, and a collector that used them as UTF-16 indices would cut the name in the wrong place.
  private static final String USER_PROMPT =
      "👋 Hi, I am "
          + NAME
          + ". Mail me at "
          + EMAIL
          + " or call "
          + PHONE_UK
          + " (office "
          + PHONE_US
          + ", Berlin "
          + PHONE_DE
          + "). Charge my card "
          + CARD_VISA
          + " or "
          + CARD_MC
          + ", refunds to "
          + IBAN_DE
          + ".";
  private static final String SECOND_PROMPT =
      "My SSN is "
          + SSN
          + ", I log in from "
          + IPV4
          + ", my IBAN is "
          + IBAN_GB
          + " and my key is "
          + OPENAI_KEY
          + ". Signed, "
          + NAME;
  private static final String TOOL_PROMPT =
      "Call the CRM with Authorization: Bearer "
          + BEARER_TOKEN
          + " and session "
          + JWT
          + ", deploy key:\n"
          + PEM;

  private static final String DROPPED = "<REDACTED:UNSCANNED>";
  private static final String DEGRADED = "tollgate.redaction.presidio";

  enum Analyzer {
    UP,
    SLOW,
    DOWN
  }

  private FakePresidio presidio;
  private OtlpSink backend;
  private Collector collector;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String onError : List.of("fallback", "reject", "drop_content")) {
      for (Analyzer analyzer : Analyzer.values()) {
        out.add(Arguments.of(onError, analyzer));
      }
    }
    return out.stream();
  }

  @AfterEach
  void stop() throws Exception {
    if (collector != null) {
      collector.shutdown();
    }
    if (backend != null) {
      backend.close();
    }
    if (presidio != null) {
      presidio.close();
    }
  }

  @ParameterizedTest(name = "on_error: {0}, analyzer {1}")
  @MethodSource("cases")
  void noPersonalDataOrSecretReachesTheBackend(String onError, Analyzer analyzer) throws Exception {
    String endpoint;
    switch (analyzer) {
      case UP -> {
        presidio = new FakePresidio(Duration.ZERO, NAME);
        endpoint = presidio.endpoint();
      }
      // Answers long after presidio.timeout (300ms in this case).
      case SLOW -> {
        presidio = new FakePresidio(Duration.ofSeconds(3), NAME);
        endpoint = presidio.endpoint();
      }
      // Nothing listens there: connection refused.
      default -> endpoint = "http://127.0.0.1:" + freePort();
    }
    backend = new OtlpSink();
    int grpcPort = freePort();
    // A healthy analyzer gets a generous timeout: on a loaded machine, the first call of a cold
    // JVM can take longer than 300ms, and the case is about answers, not about speed.
    Duration timeout = analyzer == Analyzer.UP ? Duration.ofSeconds(5) : Duration.ofMillis(300);
    collector = startCollector(grpcPort, freePort(), endpoint, onError, timeout);

    ExportResults exports =
        new ExportResults(
            OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + grpcPort)
                // The SDK would retry UNAVAILABLE with back-off for seconds; one attempt shows
                // the status the collector answered.
                .setRetryPolicy(null)
                .build());
    sendDirtyTrace(exports);

    boolean degraded = analyzer != Analyzer.UP;
    if (degraded && onError.equals("reject")) {
      assertThat(exports.results()).isNotEmpty();
      for (CompletableResultCode result : exports.results()) {
        assertThat(result.isDone()).isTrue();
        assertThat(result.isSuccess()).as("the collector must refuse unscanned data").isFalse();
        assertThat(result.getFailureThrowable())
            .isInstanceOfSatisfying(
                FailedExportException.GrpcExportException.class,
                e -> {
                  assertThat(e.failedWithResponse()).isTrue();
                  // Retryable: the SDK (or an upstream collector) tries again later.
                  assertThat(e.getResponse().getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
                });
      }
      // Everything the collector accepted is flushed at shutdown; nothing was accepted.
      collector.shutdown();
      collector = null;
      assertNothingSensitive(true);
      assertThat(backend.spans()).as("refused spans must not reach the backend").isEmpty();
      return;
    }

    assertThat(exports.results()).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.spans().size() == 4);
    // Nothing else is on its way: no duplicate, no straggler.
    collector.shutdown();
    collector = null;
    assertThat(backend.spans()).hasSize(4);

    assertNothingSensitive(!degraded);
    if (analyzer == Analyzer.UP) {
      assertThat(presidio.requests()).isPositive();
      // The analyzer got the text of JSON leaves, not the JSON, and saw the name.
      assertThat(presidio.textsSeen()).anyMatch(t -> t.startsWith("👋 Hi, I am " + NAME));
      assertThat(backend.requests().toString()).contains("<PERSON>");
    }

    for (var span : backend.spans()) {
      assertThat(attr(span, "tollgate.redaction.count").map(AnyValue::getIntValue))
          .as("redaction count on %s", span.getName())
          .hasValueSatisfying(n -> assertThat(n).isPositive());
      if (degraded) {
        assertThat(string(span, DEGRADED))
            .as("degraded marker on " + span.getName())
            .contains("unavailable");
      } else {
        assertThat(attr(span, DEGRADED)).as("no degraded marker on " + span.getName()).isEmpty();
      }
    }

    if (degraded && onError.equals("drop_content")) {
      assertContentDropped();
    } else {
      assertJsonStillJsonWithRoles();
    }
  }

  /**
   * "Texts served from the cache are unaffected": after the analyzer has seen a prompt, the same
   * prompt passes while the analyzer is down, even with {@code reject}, fully redacted (the name
   * included) and without the degraded marker.
   */
  @Test
  void textsTheAnalyzerHasSeenPassWhileItIsDown() throws Exception {
    presidio = new FakePresidio(Duration.ZERO, NAME);
    backend = new OtlpSink();
    int grpcPort = freePort();
    collector =
        startCollector(grpcPort, freePort(), presidio.endpoint(), "reject", Duration.ofSeconds(5));
    List<CompletableResultCode> results = new ArrayList<>();
    // The same call site both times, so that even the exception's stack trace is the same text.
    for (int round = 0; round < 2; round++) {
      if (round == 1) {
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.spans().size() == 4);
        presidio.close();
        presidio = null;
      }
      // A new SDK each time: shutting a provider down shuts its exporter down.
      ExportResults exports =
          new ExportResults(
              OtlpGrpcSpanExporter.builder()
                  .setEndpoint("http://127.0.0.1:" + grpcPort)
                  .setRetryPolicy(null)
                  .build());
      sendDirtyTrace(exports);
      results.addAll(exports.results());
    }

    assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.spans().size() == 8);
    collector.shutdown();
    collector = null;
    assertThat(backend.spans()).hasSize(8);
    assertNothingSensitive(true);
    assertThat(backend.spans()).allSatisfy(span -> assertThat(attr(span, DEGRADED)).isEmpty());
  }

  /** The same over OTLP/HTTP: the SDK's HTTP exporter sees 503, which it retries. */
  @Test
  void rejectAnswersHttp503WhenTheAnalyzerIsDown() throws Exception {
    backend = new OtlpSink();
    int httpPort = freePort();
    collector =
        startCollector(
            freePort(),
            httpPort,
            "http://127.0.0.1:" + freePort(),
            "reject",
            Duration.ofSeconds(5));
    ExportResults exports =
        new ExportResults(
            OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + httpPort + "/v1/traces")
                .setRetryPolicy(null)
                .build());
    sendDirtyTrace(exports);

    assertThat(exports.results())
        .isNotEmpty()
        .allSatisfy(
            result ->
                assertThat(result.getFailureThrowable())
                    .isInstanceOfSatisfying(
                        FailedExportException.HttpExportException.class,
                        e -> {
                          assertThat(e.failedWithResponse()).isTrue();
                          assertThat(e.getResponse().getStatusCode()).isEqualTo(503);
                        }));
    collector.shutdown();
    collector = null;
    assertThat(backend.spans()).isEmpty();
  }

  private Collector startCollector(
      int grpcPort, int httpPort, String presidioEndpoint, String onError, Duration timeout)
      throws Exception {
    String yaml =
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    protocols:",
            "      grpc: {endpoint: 127.0.0.1:" + grpcPort + "}",
            "      http: {endpoint: 127.0.0.1:" + httpPort + "}",
            "processors:",
            "  genai_normalize: {}",
            "  genai_cost: {}",
            "  redaction:",
            "    presidio:",
            "      analyzer_endpoint: " + presidioEndpoint,
            "      timeout: " + timeout.toMillis() + "ms",
            "      on_error: " + onError,
            "  truncate: {max_length: 4096}",
            "  tail_sampling:",
            "    decision_wait_after_root: 100ms",
            "    policies:",
            "      - {name: everything, type: always_sample}",
            "  batch: {timeout: 50ms}",
            "exporters:",
            "  otlp/backend:",
            "    endpoint: " + backend.endpoint(),
            "    tls: {insecure: true}",
            "    retry_on_failure: {initial_interval: 20ms, max_interval: 100ms}",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      processors: [genai_normalize, genai_cost, redaction, truncate, tail_sampling,"
                + " batch]",
            "      exporters: [otlp/backend]",
            "  telemetry: {metrics: {level: none}}");
    return TestCollectors.start(yaml);
  }

  /**
   * One trace as an application instrumented with OpenLLMetry and OpenInference (and a library on
   * the current conventions) exports it: an OpenLLMetry workflow root with its input, and three LLM
   * calls carrying the PII in every shape the instrumentations use.
   */
  private static void sendDirtyTrace(ExportResults exporter) throws Exception {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder()
                    .put(stringKey("service.name"), "support-bot")
                    .build())
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    try {
      Tracer tracer = provider.get("e2e");
      Span root = tracer.spanBuilder("support_workflow.workflow").startSpan();
      root.setAttribute("traceloop.span.kind", "workflow");
      root.setAttribute("traceloop.entity.name", "support_workflow");
      root.setAttribute(
          "traceloop.entity.input",
          JSON.writeValueAsString(
              Map.of("args", List.of(USER_PROMPT), "kwargs", Map.of("note", SECOND_PROMPT))));
      try (Scope ignored = root.makeCurrent()) {
        openLlmetryCall(tracer);
        openInferenceCall(tracer);
        conventionsCall(tracer);
      }
      root.end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** OpenLLMetry: indexed prompt attributes, a content event, and a provider error. */
  private static void openLlmetryCall(Tracer tracer) {
    Span llm = tracer.spanBuilder("openai.chat").setSpanKind(SpanKind.CLIENT).startSpan();
    llm.setAttribute("llm.request.type", "chat");
    llm.setAttribute("gen_ai.system", "OpenAI");
    llm.setAttribute("gen_ai.request.model", "gpt-4o");
    llm.setAttribute("gen_ai.usage.prompt_tokens", 420L);
    llm.setAttribute("gen_ai.usage.completion_tokens", 80L);
    llm.setAttribute("gen_ai.prompt.0.role", "system");
    llm.setAttribute("gen_ai.prompt.0.content", "You are a helpful support agent.");
    llm.setAttribute("gen_ai.prompt.1.role", "user");
    llm.setAttribute("gen_ai.prompt.1.content", USER_PROMPT);
    llm.setAttribute("gen_ai.completion.0.role", "assistant");
    llm.setAttribute(
        "gen_ai.completion.0.content", "Thanks " + NAME + ", I will write to " + EMAIL + ".");
    llm.setAttribute("gen_ai.completion.0.finish_reason", "stop");
    llm.addEvent(
        "gen_ai.user.message",
        Attributes.of(stringKey("gen_ai.system"), "openai", stringKey("content"), SECOND_PROMPT));
    // Provider errors quote the request, and so does the SDK's exception event.
    llm.recordException(
        new IllegalStateException(
            "rejected prompt from " + EMAIL + " at " + IPV4 + ": " + TOOL_PROMPT));
    llm.setStatus(StatusCode.ERROR, "content filter hit for " + EMAIL);
    llm.end();
  }

  /** OpenInference: flattened messages and {@code input.value} JSON. */
  private static void openInferenceCall(Tracer tracer) throws Exception {
    Span llm = tracer.spanBuilder("ChatCompletion").setSpanKind(SpanKind.INTERNAL).startSpan();
    llm.setAttribute("openinference.span.kind", "LLM");
    llm.setAttribute("llm.provider", "openai");
    llm.setAttribute("llm.model_name", "gpt-4o-mini");
    llm.setAttribute("llm.token_count.prompt", 300L);
    llm.setAttribute("llm.token_count.completion", 40L);
    llm.setAttribute("llm.input_messages.0.message.role", "system");
    llm.setAttribute("llm.input_messages.0.message.content", "Answer briefly.");
    llm.setAttribute("llm.input_messages.1.message.role", "user");
    llm.setAttribute("llm.input_messages.1.message.content", SECOND_PROMPT);
    llm.setAttribute("llm.output_messages.0.message.role", "assistant");
    llm.setAttribute("llm.output_messages.0.message.content", "Noted, " + NAME + ".");
    llm.setAttribute(
        "input.value",
        JSON.writeValueAsString(
            Map.of(
                "model",
                "gpt-4o-mini",
                "messages",
                List.of(
                    Map.of("role", "user", "content", TOOL_PROMPT),
                    Map.of("role", "user", "content", USER_PROMPT)))));
    llm.setAttribute("input.mime_type", "application/json");
    llm.end();
  }

  /** The current GenAI conventions: the whole conversation as JSON. */
  private static void conventionsCall(Tracer tracer) throws Exception {
    Span llm = tracer.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT).startSpan();
    llm.setAttribute("gen_ai.operation.name", "chat");
    llm.setAttribute("gen_ai.provider.name", "openai");
    llm.setAttribute("gen_ai.request.model", "gpt-4o");
    llm.setAttribute("gen_ai.usage.input_tokens", 900L);
    llm.setAttribute("gen_ai.usage.output_tokens", 120L);
    llm.setAttribute(
        "gen_ai.input.messages",
        JSON.writeValueAsString(
            List.of(
                message("system", "You are a careful assistant."),
                message("user", USER_PROMPT),
                message("user", SECOND_PROMPT),
                message("user", TOOL_PROMPT))));
    llm.setAttribute(
        "gen_ai.output.messages",
        JSON.writeValueAsString(
            List.of(
                Map.of(
                    "role",
                    "assistant",
                    "parts",
                    List.of(Map.of("type", "text", "content", "Sure " + NAME + ", " + EMAIL)),
                    "finish_reason",
                    "stop"))));
    llm.end();
  }

  private static Map<String, Object> message(String role, String text) {
    return Map.of("role", role, "parts", List.of(Map.of("type", "text", "content", text)));
  }

  // ------------------------------------------------------------------ assertions

  private void assertNothingSensitive(boolean namesToo) {
    List<String> needles = new ArrayList<>(BUILT_IN_FINDS);
    if (namesToo) {
      needles.add(NAME);
    }
    // The wire form, as the backend stored it (text format escapes newlines and non-ASCII, which
    // none of the needles contain)...
    String everything = backend.requests().toString();
    for (String needle : needles) {
      assertThat(everything).as("backend requests").doesNotContain(needle);
    }
    // ... and every decoded string value, wherever it is.
    for (Map.Entry<String, String> value : allStrings()) {
      for (String needle : needles) {
        assertThat(value.getValue()).as(value.getKey()).doesNotContain(needle);
      }
    }
  }

  private List<Map.Entry<String, String>> allStrings() {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (var request : backend.requests()) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (KeyValue kv : rs.getResource().getAttributesList()) {
          collect("resource " + kv.getKey(), kv.getValue(), out);
        }
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (var span : ss.getSpansList()) {
            String where = "span " + span.getName();
            out.add(Map.entry(where + " name", span.getName()));
            out.add(Map.entry(where + " status message", span.getStatus().getMessage()));
            for (KeyValue kv : span.getAttributesList()) {
              collect(where + " " + kv.getKey(), kv.getValue(), out);
            }
            for (var event : span.getEventsList()) {
              for (KeyValue kv : event.getAttributesList()) {
                collect(
                    where + " event " + event.getName() + " " + kv.getKey(), kv.getValue(), out);
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static void collect(String where, AnyValue v, List<Map.Entry<String, String>> out) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> out.add(Map.entry(where, v.getStringValue()));
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().forEach(e -> collect(where, e, out));
      case KVLIST_VALUE ->
          v.getKvlistValue()
              .getValuesList()
              .forEach(kv -> collect(where + "." + kv.getKey(), kv.getValue(), out));
      default -> {}
    }
  }

  /** Redaction rewrote JSON leaves only: every JSON value still parses, roles in place. */
  private void assertJsonStillJsonWithRoles() throws Exception {
    int jsonValues = 0;
    for (Map.Entry<String, String> value : allStrings()) {
      String s = value.getValue().strip();
      if (s.startsWith("{") || s.startsWith("[")) {
        JSON.readTree(s); // throws if not JSON
        jsonValues++;
      }
    }
    assertThat(jsonValues).as("JSON attributes").isGreaterThanOrEqualTo(4);

    var conventions = span("chat gpt-4o");
    assertThat(roles(string(conventions, "gen_ai.input.messages").orElseThrow()))
        .containsExactly("system", "user", "user", "user");
    JsonNode out = JSON.readTree(string(conventions, "gen_ai.output.messages").orElseThrow());
    assertThat(out.get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(out.get(0).get("finish_reason").asText()).isEqualTo("stop");
    assertThat(out.toString()).contains("<EMAIL_ADDRESS>");

    // OpenLLMetry's indexed prompts arrive as the current conventions' JSON.
    var openLlmetry = span("openai.chat");
    assertThat(roles(string(openLlmetry, "gen_ai.input.messages").orElseThrow()))
        .containsExactly("system", "user");
    assertThat(string(openLlmetry, "gen_ai.input.messages").orElseThrow())
        .contains("<EMAIL_ADDRESS>", "<PHONE_NUMBER>", "<CREDIT_CARD>", "<IBAN_CODE>");

    JsonNode input = JSON.readTree(string(span("ChatCompletion"), "input.value").orElseThrow());
    assertThat(input.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(input.get("messages").get(0).get("role").asText()).isEqualTo("user");
    assertThat(input.get("messages").get(0).get("content").asText())
        .contains("<JWT>", "<PRIVATE_KEY>");

    JsonNode workflow =
        JSON.readTree(
            string(span("support_workflow.workflow"), "traceloop.entity.input").orElseThrow());
    assertThat(workflow.get("args").get(0).asText()).startsWith("👋 Hi, I am ");
    assertThat(workflow.get("kwargs").get("note").asText()).contains("<US_SSN>", "<API_KEY>");
  }

  /** With drop_content and no analyzer, every value that held text the analyzer missed is gone. */
  private void assertContentDropped() {
    assertThat(string(span("support_workflow.workflow"), "traceloop.entity.input"))
        .contains(DROPPED);
    assertThat(string(span("chat gpt-4o"), "gen_ai.input.messages")).contains(DROPPED);
    assertThat(string(span("openai.chat"), "gen_ai.input.messages")).contains(DROPPED);
    assertThat(string(span("ChatCompletion"), "input.value")).contains(DROPPED);
    var events = span("openai.chat").getEventsList();
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("gen_ai.user.message");
              assertThat(eventString(e, "content")).contains(DROPPED);
            })
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("exception");
              assertThat(eventString(e, "exception.message")).contains(DROPPED);
            });
  }

  private static List<String> roles(String messagesJson) throws IOException {
    List<String> roles = new ArrayList<>();
    for (JsonNode m : JSON.readTree(messagesJson)) {
      roles.add(m.get("role").asText());
    }
    return roles;
  }

  private io.opentelemetry.proto.trace.v1.Span span(String name) {
    return backend.spans().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name));
  }

  private static Optional<AnyValue> attr(io.opentelemetry.proto.trace.v1.Span span, String key) {
    return span.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue)
        .findFirst();
  }

  private static Optional<String> string(io.opentelemetry.proto.trace.v1.Span span, String key) {
    return attr(span, key).map(AnyValue::getStringValue);
  }

  private static Optional<String> eventString(
      io.opentelemetry.proto.trace.v1.Span.Event event, String key) {
    return event.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst();
  }
}
