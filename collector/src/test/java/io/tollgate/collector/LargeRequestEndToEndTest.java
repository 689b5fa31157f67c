package io.tollgate.collector;

import static io.tollgate.collector.testing.TestCollectors.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tollgate.collector.testing.OtlpSink;
import io.tollgate.collector.testing.TestCollectors;
import io.tollgate.core.model.TraceBatch;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request of 100 spans, as an SDK's batch span processor sends them, through a pipeline whose
 * processors read spans: on a collector with an idle worker it is processed in parts side by side,
 * and every span still arrives once, processed.
 */
class LargeRequestEndToEndTest {

  private static final String EMAIL = "jane.doe@example.com";
  private static final int SPANS = 100;

  private OtlpSink backend;
  private Collector collector;
  private int grpcPort;

  @BeforeEach
  void start() throws Exception {
    backend = new OtlpSink();
    grpcPort = freePort();
    collector =
        TestCollectors.start(
            String.join(
                "\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      grpc: {endpoint: 127.0.0.1:" + grpcPort + "}",
                "processors:",
                "  memory_limiter: {limit_percentage: 90}",
                "  genai_normalize: {}",
                "  redaction: {}",
                "exporters:",
                "  otlp/backend:",
                "    endpoint: " + backend.endpoint(),
                "    tls: {insecure: true}",
                "service:",
                "  pipelines:",
                "    traces:",
                "      receivers: [otlp]",
                "      processors: [memory_limiter, genai_normalize, redaction]",
                "      exporters: [otlp/backend]",
                "  telemetry: {metrics: {level: none}}"));
  }

  @AfterEach
  void stop() throws Exception {
    if (collector != null) {
      collector.shutdown();
    }
    backend.close();
  }

  @Test
  void aLargeRequestIsProcessedInPartsAndEverySpanArrivesOnceProcessed() {
    // The exporter sends what it receives, batch for batch: a request cut in parts reaches the
    // backend as several. The pool's idle estimate can miss a worker for a moment, so the
    // request is sent up to three times before the test gives up on seeing a cut.
    int sent = 0;
    boolean cut = false;
    while (sent < 3 && !cut) {
      sendOneRequest(sent);
      sent++;
      int expected = sent * SPANS;
      await().atMost(Duration.ofSeconds(20)).until(() -> backend.spans().size() >= expected);
      cut = backend.requests().stream().anyMatch(r -> TraceBatch.of(r).spanCount() < SPANS);
    }

    Set<String> ids = new HashSet<>();
    backend.spans().forEach(s -> ids.add(s.getSpanId().toStringUtf8()));
    assertThat(backend.spans()).hasSize(sent * SPANS);
    assertThat(ids).as("every span once").hasSize(sent * SPANS);
    assertThat(backend.requests().toString())
        .doesNotContain(EMAIL)
        .contains("<EMAIL_ADDRESS>")
        .contains("gen_ai.input.messages");
    assumeThat(Runtime.getRuntime().availableProcessors())
        .as("a collector with one worker never has one idle")
        .isGreaterThan(1);
    assertThat(cut).as("one of %d requests of %d spans cut in parts", sent, SPANS).isTrue();
  }

  /** {@value #SPANS} OpenLLMetry chat spans in one export call, as the SDK batches them. */
  private void sendOneRequest(int round) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder()
                    .put(AttributeKey.stringKey("service.name"), "support-bot")
                    .build())
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpGrpcSpanExporter.builder()
                            .setEndpoint("http://127.0.0.1:" + grpcPort)
                            .build())
                    .setMaxExportBatchSize(SPANS)
                    .setMaxQueueSize(4 * SPANS)
                    .setScheduleDelay(Duration.ofHours(1))
                    .build())
            .build();
    try {
      Tracer tracer = provider.get("e2e");
      for (int i = 0; i < SPANS; i++) {
        Span llm = tracer.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT).startSpan();
        try (Scope ignored = llm.makeCurrent()) {
          llm.setAttribute("gen_ai.system", "openai");
          llm.setAttribute("llm.request.type", "chat");
          llm.setAttribute("gen_ai.request.model", "gpt-4o");
          llm.setAttribute("gen_ai.prompt.0.role", "user");
          llm.setAttribute(
              "gen_ai.prompt.0.content", "Round " + round + ", call " + i + ": mail " + EMAIL);
        }
        llm.end();
      }
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
