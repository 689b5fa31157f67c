package io.tollgate.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcConfig;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcExporterFactory;
import io.tollgate.exporter.testing.GrpcBackend;
import io.tollgate.exporter.testing.TestSpans;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Existing collector dashboards query these exact series. */
class PrometheusNamesTest {

  @Test
  void exporterMetricsHaveTheCollectorsPrometheusNames() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (GrpcBackend backend = GrpcBackend.start()) {
      ComponentContext ctx =
          ComponentContext.builder(ComponentKind.EXPORTER, ComponentId.parse("otlp/tempo"))
              .meterRegistry(registry)
              .build();
      Exporter e =
          OtlpGrpcExporterFactory.exporter(
              OtlpGrpcConfig.defaults()
                  .withEndpoint(backend.endpoint())
                  .withTls(TlsSettings.plaintext()),
              ctx);
      e.start();
      e.consume(TestSpans.batch(2));
      await().until(() -> backend.acceptedSpans() == 2);
      await().until(() -> registry.scrape().contains("otelcol_exporter_sent_spans_total{exporter=\"otlp/tempo\"} 2.0"));

      String scrape = registry.scrape();
      assertThat(scrape)
          .contains("otelcol_exporter_send_failed_spans_total{exporter=\"otlp/tempo\"} 0.0")
          .contains("otelcol_exporter_enqueue_failed_spans_total{exporter=\"otlp/tempo\"} 0.0")
          .contains("otelcol_exporter_queue_size{exporter=\"otlp/tempo\"} 0.0")
          .contains("otelcol_exporter_queue_capacity{exporter=\"otlp/tempo\"} 1000.0")
          .contains("otelcol_exporter_in_flight_requests{exporter=\"otlp/tempo\"} 0.0")
          // Ours, next to it: the byte budget (README, "Sizing direct memory").
          .contains("tollgate_exporter_in_flight_bytes{exporter=\"otlp/tempo\"} 0.0")
          .contains(
              "tollgate_exporter_in_flight_bytes_limit{exporter=\"otlp/tempo\"} "
                  + (double) QueueSettings.defaultMaxInFlightBytes().bytes())
          .contains("tollgate_exporter_waiting_for_bytes_requests{exporter=\"otlp/tempo\"} 0.0");
      e.shutdown(Instant.now().plusSeconds(1));
    }
  }
}
