package io.tollgate.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.collector.testing.TestComponents;
import io.tollgate.config.CollectorConfig;
import io.tollgate.config.ConfigLoader;
import io.tollgate.core.testing.Spans;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelfTelemetryTest {

  private final TestComponents test = new TestComponents();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private CollectorConfig config(String metrics) throws Exception {
    return ConfigLoader.builder()
        .components(test.components())
        .env(Map.of())
        .build()
        .loadYaml(
            String.join(
                "\n",
                "receivers: {otlp: {}}",
                "processors: {batch: {}}",
                "exporters: {debug: {}}",
                "service:",
                "  pipelines:",
                "    traces: {receivers: [otlp], processors: [batch], exporters: [debug]}",
                "  telemetry:",
                "    metrics: " + metrics,
                "  shutdown_timeout: 2s",
                ""));
  }

  private HttpResponse<String> get(int port, String path, String accept) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesProcessorAndJvmMetricsInPrometheusFormat() throws Exception {
    Collector collector = Collector.start(config("{address: '127.0.0.1:0'}"));
    int port = collector.metricsAddress().orElseThrow().getPort();
    try {
      test.receivers
          .get("otlp")
          .push(
              Spans.batch(
                  Spans.span("chat", Map.of()),
                  Spans.span("chat", Map.of()),
                  Spans.span("tool", Map.of())))
          .toCompletableFuture()
          .get();

      HttpResponse<String> metrics = get(port, "/metrics", null);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("content-type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body())
          .containsPattern(
              "otelcol_processor_incoming_items_total\\{[^}]*processor=\"batch\"[^}]*} 3\\.0")
          .containsPattern(
              "otelcol_processor_outgoing_items_total\\{[^}]*pipeline=\"traces\"[^}]*} 3\\.0")
          .contains("jvm_memory_used_bytes")
          .contains("jvm_gc_")
          .contains("jvm_threads_live_threads")
          .contains("process_cpu_usage");
      assertThat(get(port, "/", null).body()).contains("otelcol_processor_incoming_items_total");
      assertThat(get(port, "/nope", null).statusCode()).isEqualTo(404);

      HttpResponse<String> open = get(port, "/metrics", "application/openmetrics-text");
      assertThat(open.headers().firstValue("content-type"))
          .contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
      assertThat(open.body()).endsWith("# EOF\n");
    } finally {
      collector.shutdown();
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void levelNoneServesNothing() throws Exception {
    Collector collector = Collector.start(config("{level: none}"));
    try {
      assertThat(collector.metricsAddress()).isEmpty();
      assertThat(collector.service().isReady()).isTrue();
    } finally {
      collector.shutdown();
    }
    assertThat(collector.service().isReady()).isFalse();
  }
}
