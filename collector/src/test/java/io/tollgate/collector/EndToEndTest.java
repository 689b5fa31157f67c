package io.tollgate.collector;

import static io.tollgate.collector.testing.TestCollectors.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tollgate.collector.testing.OtlpSink;
import io.tollgate.collector.testing.TestCollectors;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole collector, as a user runs it: real OpenTelemetry SDK exporters send spans shaped as
 * the instrumentations emit them, through the receiver and the full GenAI pipeline (normalise,
 * price, redact, truncate, tail-sample, batch), to a real OTLP/gRPC backend.
 */
class EndToEndTest {

  private static final String EMAIL = "jane.doe@example.com";
  private static final String PHONE = "+1-415-555-0132";
  private static final String CARD = "4111 1111 1111 1111";

  private OtlpSink backend;
  private Collector collector;
  private int grpcPort;
  private int httpPort;

  @BeforeEach
  void start() throws Exception {
    backend = new OtlpSink();
    grpcPort = freePort();
    httpPort = freePort();
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
            "  redaction: {}",
            "  truncate: {max_length: 2048}",
            "  tail_sampling:",
            "    decision_wait_after_root: 100ms",
            "    policies:",
            "      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}",
            "      - {name: everything, type: always_sample}",
            "  batch: {timeout: 50ms}",
            "exporters:",
            "  otlp/backend:",
            "    endpoint: " + backend.endpoint(),
            "    tls: {insecure: true}",
            "    retry_on_failure: {initial_interval: 20ms, max_interval: 100ms, max_elapsed_time: 30s}",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      processors: [genai_normalize, genai_cost, redaction, truncate, tail_sampling,"
                + " batch]",
            "      exporters: [otlp/backend]",
            "  telemetry: {metrics: {level: none}}");
    collector = TestCollectors.start(yaml);
  }

  @AfterEach
  void stop() throws Exception {
    if (collector != null) {
      collector.shutdown();
    }
    backend.close();
  }

  @Test
  void openLlmetrySpansOverGrpcArriveNormalisedPricedRedactedAndWhole() {
    SpanExporter exporter =
        OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort).build();
    sendTrace(
        exporter,
        llm -> {
          // OpenLLMetry before semconv-ai 0.5: deprecated names and indexed prompts.
          llm.setAttribute("llm.request.type", "chat");
          llm.setAttribute("gen_ai.system", "OpenAI");
          llm.setAttribute("gen_ai.request.model", "gpt-4o");
          llm.setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06");
          llm.setAttribute("gen_ai.usage.prompt_tokens", 1000L);
          llm.setAttribute("gen_ai.usage.completion_tokens", 200L);
          llm.setAttribute("llm.usage.total_tokens", 1200L);
          llm.setAttribute("gen_ai.prompt.0.role", "system");
          llm.setAttribute("gen_ai.prompt.0.content", "You are a helpful support agent.");
          llm.setAttribute("gen_ai.prompt.1.role", "user");
          llm.setAttribute(
              "gen_ai.prompt.1.content",
              "I am Jane, mail me at " + EMAIL + " or call " + PHONE + ". Card " + CARD);
          llm.setAttribute("gen_ai.completion.0.role", "assistant");
          llm.setAttribute("gen_ai.completion.0.content", "I will write to " + EMAIL + ".");
          llm.setAttribute("gen_ai.completion.0.finish_reason", "stop");
          return null;
        });

    await().atMost(Duration.ofSeconds(20)).until(() -> backend.spans().size() == 2);
    var llm = span("chat gpt-4o");
    assertThat(string(llm, "gen_ai.provider.name")).contains("openai");
    assertThat(string(llm, "gen_ai.operation.name")).contains("chat");
    assertThat(attr(llm, "gen_ai.usage.input_tokens").map(AnyValue::getIntValue)).contains(1000L);
    assertThat(attr(llm, "gen_ai.usage.output_tokens").map(AnyValue::getIntValue)).contains(200L);
    // gpt-4o: 1000 x $2.50/M + 200 x $10/M
    assertThat(attr(llm, "gen_ai.usage.cost").map(AnyValue::getDoubleValue))
        .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.0045, offset(1e-12)));
    assertThat(string(llm, "gen_ai.input.messages").orElseThrow())
        .contains("\"role\":\"user\"")
        .contains("<EMAIL_ADDRESS>");
    assertThat(attr(llm, "gen_ai.prompt.1.content")).isEmpty();
    assertNoPiiAnywhere();

    var root = span("handle-question");
    assertThat(string(root, "tollgate.sampling.policy")).contains("everything");
  }

  @Test
  void openInferenceSpansOverHttpProtobufArriveNormalisedAndRedacted() {
    SpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + httpPort + "/v1/traces")
            .build();
    sendTrace(
        exporter,
        llm -> {
          llm.setAttribute("openinference.span.kind", "LLM");
          llm.setAttribute("llm.provider", "anthropic");
          llm.setAttribute("llm.model_name", "claude-sonnet-4-5-20250929");
          llm.setAttribute("llm.token_count.prompt", 2000L);
          llm.setAttribute("llm.token_count.completion", 100L);
          llm.setAttribute("llm.token_count.prompt_details.cache_read", 1000L);
          llm.setAttribute("llm.input_messages.0.message.role", "user");
          llm.setAttribute("llm.input_messages.0.message.content", "Reach me at " + EMAIL);
          llm.setAttribute("llm.output_messages.0.message.role", "assistant");
          llm.setAttribute("llm.output_messages.0.message.content", "Noted, " + PHONE);
          llm.setAttribute("input.value", "{\"question\":\"Reach me at " + EMAIL + "\"}");
          llm.setAttribute("input.mime_type", "application/json");
          return null;
        });

    await().atMost(Duration.ofSeconds(20)).until(() -> backend.spans().size() == 2);
    var llm = span("chat gpt-4o");
    assertThat(string(llm, "gen_ai.provider.name")).contains("anthropic");
    assertThat(string(llm, "gen_ai.request.model")).contains("claude-sonnet-4-5-20250929");
    assertThat(attr(llm, "gen_ai.usage.cache_read.input_tokens").map(AnyValue::getIntValue))
        .contains(1000L);
    // Sonnet 4.5: (2000-1000) x $3/M + 1000 x $0.30/M + 100 x $15/M
    assertThat(attr(llm, "gen_ai.usage.cost").map(AnyValue::getDoubleValue))
        .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.0048, offset(1e-12)));
    assertNoPiiAnywhere();
  }

  @Test
  void nothingAcceptedIsLostWhileTheBackendRecovers() {
    backend.failNext(5);
    SpanExporter exporter =
        OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort).build();
    sendTraces(
        exporter,
        20,
        llm -> {
          llm.setAttribute("gen_ai.operation.name", "chat");
          llm.setAttribute("gen_ai.request.model", "gpt-4o-mini");
          return null;
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.spans().size() == 40);
    assertThat(backend.refusedCalls()).isEqualTo(5);
  }

  private static void sendTrace(SpanExporter exporter, Function<Span, Void> llmAttributes) {
    sendTraces(exporter, 1, llmAttributes);
  }

  /** {@code count} traces, each a workflow root with one LLM call below it, as the SDK exports. */
  private static void sendTraces(
      SpanExporter exporter, int count, Function<Span, Void> llmAttributes) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder()
                    .put(AttributeKey.stringKey("service.name"), "support-bot")
                    .build())
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    try {
      Tracer tracer = provider.get("e2e");
      for (int i = 0; i < count; i++) {
        Span root = tracer.spanBuilder("handle-question").startSpan();
        try (Scope ignored = root.makeCurrent()) {
          Span llm = tracer.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT).startSpan();
          llmAttributes.apply(llm);
          llm.setStatus(StatusCode.OK);
          llm.end();
        }
        root.end();
      }
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private io.opentelemetry.proto.trace.v1.Span span(String name) {
    return backend.spans().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + backend.spans()));
  }

  private void assertNoPiiAnywhere() {
    String everything = backend.requests().toString();
    assertThat(everything).doesNotContain(EMAIL).doesNotContain(PHONE).doesNotContain(CARD);
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
}
