package io.tollgate.collector;

import static io.tollgate.collector.testing.TestCollectors.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.collector.testing.OtlpSink;
import io.tollgate.collector.testing.TestCollectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The names a Prometheus scrape shows are the collector's, so that its dashboards and alerts find
 * Tollgate's metrics: a span sent over OTLP/HTTP through {@code tail_sampling} and {@code batch},
 * then {@code /metrics} as Prometheus reads it.
 */
class PrometheusNamesTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private OtlpSink backend;
  private Collector collector;
  private int httpPort;

  @BeforeEach
  void start() throws Exception {
    backend = new OtlpSink();
    httpPort = freePort();
    String yaml =
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    protocols:",
            "      http: {endpoint: 127.0.0.1:" + httpPort + "}",
            "processors:",
            "  tail_sampling:",
            "    decision_wait_after_root: 0s",
            "    policies: [{name: all, type: always_sample}]",
            "  batch: {timeout: 10ms}",
            "exporters:",
            "  otlp/backend:",
            "    endpoint: " + backend.endpoint(),
            "    tls: {insecure: true}",
            "service:",
            "  pipelines:",
            "    traces:",
            "      receivers: [otlp]",
            "      processors: [tail_sampling, batch]",
            "      exporters: [otlp/backend]",
            "  telemetry: {metrics: {address: '127.0.0.1:0'}}");
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
  void tailSamplingAndBatchMetricsHaveTheCollectorsNames() throws Exception {
    String span =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
            + "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
            + "\"name\":\"chat gpt-4o\",\"kind\":3,"
            + "\"startTimeUnixNano\":\"1700000000000000000\","
            + "\"endTimeUnixNano\":\"1700000001000000000\"}]}]}]}";
    HttpResponse<String> sent =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/traces"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(span))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> backend.spans().size() == 1);

    int metricsPort = collector.metricsAddress().orElseThrow().getPort();
    String scrape =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();

    assertThat(scrape)
        .containsPattern(
            "\notelcol_processor_tail_sampling_count_traces_sampled_total\\{[^}]*policy=\"all\""
                + "[^}]*sampled=\"true\"[^}]*} 1\\.0")
        .contains("\notelcol_processor_tail_sampling_count_spans_sampled_total{")
        .containsPattern(
            "\notelcol_processor_tail_sampling_global_count_traces_sampled_total\\{[^}]*"
                + "sampled=\"true\"[^}]*} 1\\.0")
        .contains("\notelcol_processor_tail_sampling_sampling_traces_on_memory{")
        .contains("\ntollgate_processor_tail_sampling_global_count_spans_sampled_total{")
        .contains("\ntollgate_processor_tail_sampling_early_decisions_total{")
        .containsPattern("\notelcol_processor_batch_batch_send_size_count\\{[^}]*} 1\n")
        // The collector's histogram buckets, so that histogram_quantile over _bucket works: the
        // one span sent lands in the first bucket, 10, and in every one above it.
        .containsPattern(
            "\notelcol_processor_batch_batch_send_size_bucket\\{[^}]*le=\"10\\.0\"[^}]*} 1\n")
        .containsPattern(
            "\notelcol_processor_batch_batch_send_size_bucket\\{[^}]*le=\"100000\\.0\"[^}]*} 1\n")
        // Micrometer appends a base unit the name does not end in; the collector has none there.
        .doesNotContain("_sampled_traces_total")
        .doesNotContain("_sampled_spans_total")
        .doesNotContain("on_memory_traces")
        .doesNotContain("early_decisions_traces")
        .doesNotContain("batch_send_size_spans");
  }
}
