package io.tollgate.exporter.otlpgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.core.telemetry.MetricNames;
import io.tollgate.exporter.testing.ExporterHarness;
import io.tollgate.exporter.testing.GrpcBackend;
import io.tollgate.exporter.testing.TestSpans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sending_queue.max_in_flight_bytes} through the real path: the {@code otlp_grpc} exporter
 * sending to a grpc-java server on loopback that holds its answers until the test releases them.
 * The server counts the bytes of the requests it has not answered; since it answers before the
 * exporter hears the answer, that count can never be above what the exporter thinks it has out.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OtlpGrpcInFlightBytesTest {

  private static final String ID = "otlp/budget";

  private final ExporterHarness harness = new ExporterHarness();
  private GrpcBackend backend;
  private final HeldAnswers held = new HeldAnswers();

  @BeforeEach
  void startBackend() throws Exception {
    backend = GrpcBackend.start();
    backend.answer(held);
  }

  @AfterEach
  void stop() throws Exception {
    held.releaseAll(); // lets the exporter's shutdown finish without waiting for deadlines
    harness.close();
    backend.close();
  }

  private Exporter start(QueueSettings queue) throws Exception {
    OtlpGrpcConfig c =
        OtlpGrpcConfig.defaults()
            .withEndpoint(backend.endpoint())
            .withTls(TlsSettings.plaintext())
            .withTimeout(Duration.ofSeconds(20))
            .withSendingQueue(queue)
            .withRetryOnFailure(ExporterHarness.FAST_RETRY);
    return harness.start(OtlpGrpcExporterFactory.exporter(c, harness.context(ID)));
  }

  /** The encoded size of {@code TestSpans.batch(spans)}, as the exporter counts it. */
  private static long size(int spans) {
    return TestSpans.batch(spans).encode().size();
  }

  private double inFlightBytesGauge() {
    var g = harness.registry.find("tollgate_exporter_in_flight_bytes").tag(MetricNames.EXPORTER, ID);
    return g.gauge().value();
  }

  @Test
  void theBackendNeverHasMoreThanTheBudgetUnanswered() throws Exception {
    long one = size(20);
    // Room for three requests; the ten consumers of the default would send all twelve at once.
    Exporter exporter =
        start(QueueSettings.defaults().withMaxInFlightBytes(ByteSize.ofBytes(3 * one + one / 2)));

    for (int i = 0; i < 12; i++) {
      exporter.consume(TestSpans.batch(20)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    await().until(() -> held.unansweredCount() == 3);
    await().during(Duration.ofMillis(200)).until(() -> backend.calls() == 3);
    assertThat(held.unansweredBytes()).isEqualTo(3 * one); // the exporter counts what arrives
    assertThat(inFlightBytesGauge()).isEqualTo(3.0 * one);

    // Answer whatever is waiting, until everything has come.
    while (backend.acceptedSpans() < 240) {
      held.releaseAll();
      await()
          .until(() -> held.unansweredCount() > 0 || backend.acceptedSpans() == 240);
    }

    await().until(() -> harness.sent(ID) == 240);
    assertThat(backend.calls()).isEqualTo(12);
    assertThat(held.maxUnansweredBytes()).isEqualTo(3 * one);
    assertThat(harness.sendFailed(ID)).isZero();
  }

  @Test
  void aRequestLargerThanTheBudgetStillGoesAlone() throws Exception {
    long large = size(60);
    long small = size(2);
    Exporter exporter =
        start(QueueSettings.defaults().withMaxInFlightBytes(ByteSize.ofBytes(large / 2)));
    assertThat(small).isLessThan(large / 2);

    exporter.consume(TestSpans.batch(60));
    exporter.consume(TestSpans.batch(2));
    exporter.consume(TestSpans.batch(60));

    // Each of the three goes alone: the large ones exceed the budget, and the small one does not
    // fit next to a large one.
    for (int call = 1; call <= 3; call++) {
      int expected = call;
      await().until(() -> backend.calls() == expected);
      await().during(Duration.ofMillis(200)).until(() -> backend.calls() == expected);
      assertThat(held.unansweredCount()).isEqualTo(1);
      held.releaseAll();
    }

    await().until(() -> harness.sent(ID) == 122);
    assertThat(backend.acceptedSpans()).isEqualTo(122);
    assertThat(held.maxUnansweredCount()).isEqualTo(1);
    assertThat(held.maxUnansweredBytes()).isEqualTo(large);
  }

  @Test
  void withoutQueueTheSecondCallerWaitsForTheFirstAnswer() throws Exception {
    Exporter exporter =
        start(QueueSettings.disabled().withMaxInFlightBytes(ByteSize.ofBytes(size(10))));

    var first = exporter.consume(TestSpans.batch(10)).toCompletableFuture();
    var second = exporter.consume(TestSpans.batch(10)).toCompletableFuture();
    await().until(() -> backend.calls() == 1);
    await().during(Duration.ofMillis(200)).until(() -> backend.calls() == 1);
    assertThat(second).isNotDone();

    held.releaseAll();
    assertThat(first).succeedsWithin(Duration.ofSeconds(5));
    await().until(() -> backend.calls() == 2);
    held.releaseAll();
    assertThat(second).succeedsWithin(Duration.ofSeconds(5));
    assertThat(backend.acceptedSpans()).isEqualTo(20);
    assertThat(held.maxUnansweredCount()).isEqualTo(1);
  }

  /** Holds every call's answer, counting the requests not answered yet. */
  private final class HeldAnswers implements GrpcBackend.Answer {
    private final List<Runnable> answers = new ArrayList<>();
    private long unansweredBytes;
    private int unansweredCount;
    private long maxUnansweredBytes;
    private int maxUnansweredCount;

    @Override
    public synchronized void respond(
        int call,
        ExportTraceServiceRequest request,
        StreamObserver<ExportTraceServiceResponse> out) {
      long size = request.getSerializedSize();
      unansweredBytes += size;
      unansweredCount++;
      maxUnansweredBytes = Math.max(maxUnansweredBytes, unansweredBytes);
      maxUnansweredCount = Math.max(maxUnansweredCount, unansweredCount);
      answers.add(
          () -> {
            synchronized (this) {
              unansweredBytes -= size;
              unansweredCount--;
            }
            backend.accepted.add(request);
            out.onNext(ExportTraceServiceResponse.getDefaultInstance());
            out.onCompleted();
          });
    }

    void releaseAll() {
      List<Runnable> now;
      synchronized (this) {
        now = new ArrayList<>(answers);
        answers.clear();
      }
      now.forEach(Runnable::run);
    }

    synchronized long unansweredBytes() {
      return unansweredBytes;
    }

    synchronized int unansweredCount() {
      return unansweredCount;
    }

    synchronized long maxUnansweredBytes() {
      return maxUnansweredBytes;
    }

    synchronized int maxUnansweredCount() {
      return maxUnansweredCount;
    }
  }
}
