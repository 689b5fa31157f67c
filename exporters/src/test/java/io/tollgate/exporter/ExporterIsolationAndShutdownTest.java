package io.tollgate.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.QueuedRetryExporter;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.core.pipeline.FanOutConsumer;
import io.tollgate.core.telemetry.MetricNames;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcConfig;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcExporterFactory;
import io.tollgate.exporter.testing.ExporterHarness;
import io.tollgate.exporter.testing.GrpcBackend;
import io.tollgate.exporter.testing.LogCapture;
import io.tollgate.exporter.testing.TestSpans;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The exporterhelper's promises, end to end with real gRPC backends. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExporterIsolationAndShutdownTest {

  private final ExporterHarness harness = new ExporterHarness();

  @AfterEach
  void stop() {
    harness.close();
  }

  private Exporter otlp(String id, GrpcBackend backend, QueueSettings queue, Duration initialRetry)
      throws Exception {
    OtlpGrpcConfig c =
        OtlpGrpcConfig.defaults()
            .withEndpoint(backend.endpoint())
            .withTls(TlsSettings.plaintext())
            .withSendingQueue(queue)
            .withRetryOnFailure(
                ExporterHarness.FAST_RETRY.withIntervals(
                    initialRetry, initialRetry.multipliedBy(2), Duration.ofSeconds(60)));
    return harness.start(OtlpGrpcExporterFactory.exporter(c, harness.context(id)));
  }

  @Test
  void aFullQueueRefusesWithoutHurtingTheOtherExporterOfTheFanOut() throws Exception {
    try (GrpcBackend stuck = GrpcBackend.start();
        GrpcBackend healthy = GrpcBackend.start()) {
      stuck.answer(GrpcBackend.hang());
      Exporter slow = otlp("otlp/stuck", stuck, new QueueSettings(true, 1, 2), Duration.ofMillis(10));
      Exporter fine = otlp("otlp/healthy", healthy, QueueSettings.defaults(), Duration.ofMillis(10));
      TracesConsumer fanOut = FanOutConsumer.of(List.of(slow, fine));

      for (int i = 0; i < 10; i++) {
        // Every batch is accepted by the pipeline: the healthy exporter took it.
        fanOut.consume(TestSpans.batch(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        if (i == 0) {
          await().until(() -> stuck.calls() == 1); // the only consumer is now stuck
        }
      }

      await().until(() -> healthy.acceptedSpans() == 20);
      // 1 request in flight + 2 queued; the other 7 batches were refused.
      assertThat(harness.enqueueFailed("otlp/stuck")).isEqualTo(14);
      assertThat(harness.enqueueFailed("otlp/healthy")).isZero();
      assertThat(
              harness.registry
                  .find(MetricNames.EXPORTER_QUEUE_SIZE)
                  .tag(MetricNames.EXPORTER, "otlp/stuck")
                  .gauge()
                  .value())
          .isEqualTo(2);

      // On its own, the stuck exporter tells the sender to slow down.
      CompletableFuture<Void> direct = slow.consume(TestSpans.batch(1)).toCompletableFuture();
      assertThat(direct)
          .failsWithin(Duration.ofSeconds(1))
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOfSatisfying(
              RefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(RefusedException.Reason.THROTTLED));
    }
  }

  @Test
  void shutdownDrainsTheQueueBeforeStopping() throws Exception {
    try (GrpcBackend backend = GrpcBackend.start();
        LogCapture logs = new LogCapture(QueuedRetryExporter.class)) {
      // A backend that takes a little while per request, so that work is queued at shutdown.
      backend.answer(
          (n, req, out) ->
              CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)
                  .execute(
                      () -> {
                        backend.accepted.add(req);
                        out.onNext(ExportTraceServiceResponse.getDefaultInstance());
                        out.onCompleted();
                      }));
      Exporter exporter = otlp("otlp/drain", backend, new QueueSettings(true, 1, 100), Duration.ofMillis(10));
      for (int i = 0; i < 20; i++) {
        exporter.consume(TestSpans.batch(1));
      }

      exporter.shutdown(Instant.now().plusSeconds(20));

      assertThat(backend.acceptedSpans()).isEqualTo(20);
      assertThat(harness.sent("otlp/drain")).isEqualTo(20);
      assertThat(logs.lines(Level.INFO))
          .filteredOn(l -> l.contains("stopped"))
          .containsExactly("Exporter otlp/drain stopped with nothing left to send");
    }
  }

  @Test
  void shutdownAtTheDeadlineReportsWhatCouldNotBeDeliveredInOneLine() throws Exception {
    try (GrpcBackend down = GrpcBackend.start();
        LogCapture logs = new LogCapture(QueuedRetryExporter.class)) {
      down.answer(GrpcBackend.fail(Status.UNAVAILABLE));
      Exporter exporter =
          otlp("otlp/down", down, new QueueSettings(true, 2, 100), Duration.ofMillis(50));
      for (int i = 0; i < 10; i++) {
        exporter.consume(TestSpans.batch(3));
      }
      await().until(() -> down.calls() >= 2);

      exporter.shutdown(Instant.now().plusMillis(300));

      assertThat(harness.sendFailed("otlp/down")).isEqualTo(30);
      assertThat(harness.sent("otlp/down")).isZero();
      List<String> stopLines =
          logs.lines(Level.INFO).stream().filter(l -> l.contains("stopped")).toList();
      assertThat(stopLines).hasSize(1);
      assertThat(stopLines.get(0))
          .startsWith("Exporter otlp/down stopped: 30 spans could not be delivered by the shutdown deadline");
      assertThat(logs.lines(Level.WARN)).contains(stopLines.get(0));
    }
  }

  @Test
  void aBackendThatIsDownIsLoggedWithItsReasonWhileRetrying() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (LogCapture logs = new LogCapture(QueuedRetryExporter.class)) {
      OtlpGrpcConfig c =
          OtlpGrpcConfig.defaults()
              .withEndpoint("127.0.0.1:" + closedPort)
              .withTls(TlsSettings.plaintext())
              .withRetryOnFailure(
                  ExporterHarness.FAST_RETRY.withIntervals(
                      Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofSeconds(60)));
      Exporter exporter =
          harness.start(OtlpGrpcExporterFactory.exporter(c, harness.context("otlp/dead")));

      exporter.consume(TestSpans.batch(3)).toCompletableFuture().get(5, TimeUnit.SECONDS);

      // Retrying, not dropped yet: before this line, nothing above debug said why nothing arrived.
      await()
          .untilAsserted(
              () ->
                  assertThat(logs.lines(Level.WARN))
                      .anySatisfy(
                          l ->
                              assertThat(l)
                                  .startsWith("Exporter otlp/dead: sending 3 spans failed (attempt 1): ")
                                  .containsPattern("; retrying in \\d+ms, ")
                                  .contains("max_elapsed_time (1m)")));
      assertThat(harness.sendFailed("otlp/dead")).isZero();
    }
  }
}
