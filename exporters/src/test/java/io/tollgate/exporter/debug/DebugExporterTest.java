package io.tollgate.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.model.Ids;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import io.tollgate.exporter.testing.ExporterHarness;
import io.tollgate.exporter.testing.TestSpans;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DebugExporterTest {

  private final ExporterHarness harness = new ExporterHarness();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    harness.close();
  }

  private String output() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private Exporter start(DebugConfig.Verbosity v) throws Exception {
    return harness.start(
        DebugExporterFactory.create(new DebugConfig(v), harness.context("debug"), out));
  }

  @Test
  void basicPrintsOneLinePerSpanWithTheGenAiEssentials() throws Exception {
    Span.Builder chat = TestSpans.chat();
    chat.addAttributes(Spans.kv("gen_ai.usage.cost", 0.00075));
    Span.Builder tool =
        Spans.span("execute_tool get_weather", Map.of("gen_ai.operation.name", "execute_tool"))
            .setStatus(
                Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("timeout"));
    TraceBatch batch = Spans.batch(chat, tool);
    String traceId = Ids.toHex(chat.getTraceId());
    String spanId = Ids.toHex(chat.getSpanId());
    Exporter exporter = start(DebugConfig.Verbosity.BASIC);

    exporter.consume(batch);

    await().until(() -> output().lines().count() == 2);
    List<String> lines = output().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "span trace_id="
                + traceId
                + " span_id="
                + spanId
                + " name=\"chat gpt-4o\" service=\"test-service\" duration_ms=1000.000 status=UNSET"
                + " provider=openai model=gpt-4o-2024-08-06 input_tokens=120 output_tokens=45"
                + " cost_usd=0.000750 finish_reasons=stop");
    assertThat(lines.get(1))
        .contains("name=\"execute_tool get_weather\"")
        .contains("status=ERROR(\"timeout\")")
        .doesNotContain("model=");
    await().until(() -> harness.sent("debug") == 2);
  }

  @Test
  void detailedAddsAttributesAndEventsOnIndentedLines() throws Exception {
    Span.Builder chat = TestSpans.chat();
    chat.addAttributes(Spans.kv("gen_ai.input.messages", "[{\"role\":\"user\",\"content\":\"Hi\nthere\"}]"));
    chat.addEvents(
        Span.Event.newBuilder()
            .setName("gen_ai.choice")
            .setTimeUnixNano(chat.getStartTimeUnixNano() + 500_000_000L)
            .addAttributes(Spans.kv("index", 0L)));
    Exporter exporter = start(DebugConfig.Verbosity.DETAILED);

    exporter.consume(Spans.batch(chat));

    await().until(() -> output().contains("event \"gen_ai.choice\""));
    List<String> lines = output().lines().toList();
    assertThat(lines.get(0)).startsWith("span trace_id=");
    assertThat(lines)
        .contains("  kind=CLIENT scope=\"test\"")
        .contains("  resource service.name=\"test-service\"")
        .contains("  attr gen_ai.request.model=\"gpt-4o\"")
        .contains("  attr gen_ai.usage.input_tokens=120")
        // A newline inside a value never starts a new line of output.
        .contains("  attr gen_ai.input.messages=\"[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"Hi\\nthere\\\"}]\"")
        .contains("  event \"gen_ai.choice\" at_ms=500.000")
        .contains("    attr index=0");
  }

  @Test
  void verbosityAcceptsTheCollectorsNames() {
    assertThat(DebugConfig.Verbosity.fromConfig("normal")).isEqualTo(DebugConfig.Verbosity.BASIC);
    assertThat(DebugConfig.Verbosity.fromConfig("Detailed")).isEqualTo(DebugConfig.Verbosity.DETAILED);
  }
}
