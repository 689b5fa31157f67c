package io.tollgate.exporter.otlpgrpc;

import static io.tollgate.exporter.testing.ExporterHarness.FAST_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Code;
import io.grpc.Status;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.QueueSettings;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.exporter.testing.ExporterHarness;
import io.tollgate.exporter.testing.GrpcBackend;
import io.tollgate.exporter.testing.GrpcBackend.TestTls;
import io.tollgate.exporter.testing.TestSpans;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OtlpGrpcExporterTest {

  private static final String ID = "otlp_grpc/test";

  private final ExporterHarness harness = new ExporterHarness();
  private GrpcBackend backend;

  @BeforeEach
  void startBackend() throws Exception {
    backend = GrpcBackend.start();
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
    backend.close();
  }

  private OtlpGrpcConfig config() {
    return OtlpGrpcConfig.defaults()
        .withEndpoint(backend.endpoint())
        .withTls(TlsSettings.plaintext())
        .withRetryOnFailure(FAST_RETRY);
  }

  private Exporter start(OtlpGrpcConfig config) throws Exception {
    return harness.start(OtlpGrpcExporterFactory.exporter(config, harness.context(ID)));
  }

  @Test
  void sendsSpansWithHeadersAndGzip() throws Exception {
    Exporter exporter =
        start(config().withHeaders(Map.of("X-Api-Key", Secret.of("k-123"), "tenant", Secret.of("a"))));
    TraceBatch batch = TestSpans.batch(3);
    var expected = batch.toRequest();

    exporter.consume(batch).toCompletableFuture().join();

    await().until(() -> backend.accepted.size() == 1);
    assertThat(backend.accepted.get(0)).isEqualTo(expected);
    assertThat(backend.header("x-api-key")).isEqualTo("k-123");
    assertThat(backend.header("tenant")).isEqualTo("a");
    assertThat(backend.header("grpc-encoding")).isEqualTo("gzip");
    assertThat(backend.header("user-agent")).startsWith("Tollgate/");
    await().until(() -> harness.sent(ID) == 3);
  }

  @Test
  void compressionNoneSendsUncompressed() throws Exception {
    Exporter exporter = start(config().withCompression(Compression.NONE));
    exporter.consume(TestSpans.batch(1));
    await().until(() -> backend.accepted.size() == 1);
    assertThat(backend.header("grpc-encoding")).isNull();
  }

  @Test
  void unavailableIsRetriedUntilTheBackendAccepts() throws Exception {
    backend.answer(GrpcBackend.firstThen(3, GrpcBackend.fail(Status.UNAVAILABLE), backend.ok()));
    Exporter exporter = start(config());

    for (int i = 0; i < 5; i++) {
      exporter.consume(TestSpans.batch(2));
    }

    await().until(() -> harness.sent(ID) == 10);
    assertThat(backend.acceptedSpans()).isEqualTo(10);
    assertThat(backend.calls()).isEqualTo(8);
    assertThat(harness.sendFailed(ID)).isZero();
  }

  @Test
  void retryInfoDelayIsHonoured() throws Exception {
    backend.answer(
        GrpcBackend.firstThen(
            1,
            GrpcBackend.failWithRetryInfo(Code.RESOURCE_EXHAUSTED, Duration.ofMillis(400)),
            backend.ok()));
    Exporter exporter = start(config());

    exporter.consume(TestSpans.batch(1));

    await().until(() -> backend.accepted.size() == 1);
    long gap = backend.callNanos.get(1) - backend.callNanos.get(0);
    // The backoff alone would have waited about 10 ms.
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void resourceExhaustedWithoutRetryInfoIsNotRetried() throws Exception {
    backend.answer(GrpcBackend.fail(Status.RESOURCE_EXHAUSTED.withDescription("too big")));
    Exporter exporter = start(config());

    exporter.consume(TestSpans.batch(2));

    await().until(() -> harness.sendFailed(ID) == 2);
    await().during(Duration.ofMillis(100)).until(() -> backend.calls() == 1);
  }

  @Test
  void invalidArgumentIsNotRetried() throws Exception {
    backend.answer(GrpcBackend.fail(Status.INVALID_ARGUMENT.withDescription("bad span")));
    Exporter exporter = start(config());

    exporter.consume(TestSpans.batch(4));

    await().until(() -> harness.sendFailed(ID) == 4);
    await().during(Duration.ofMillis(100)).until(() -> backend.calls() == 1);
    assertThat(harness.sent(ID)).isZero();
  }

  @Test
  void partialSuccessIsCountedAndNotRetried() throws Exception {
    backend.answer(backend.partial(1, "span 2 has an invalid trace id"));
    Exporter exporter = start(config());

    exporter.consume(TestSpans.batch(3));

    // Sent and rejected spans are counted one after the other: wait for both.
    await().until(() -> harness.sent(ID) == 2 && harness.sendFailed(ID) == 1);
    await().during(Duration.ofMillis(100)).until(() -> backend.calls() == 1);
  }

  @Test
  void attemptTimeoutIsRetried() throws Exception {
    backend.answer(GrpcBackend.firstThen(1, GrpcBackend.hang(), backend.ok()));
    Exporter exporter = start(config().withTimeout(Duration.ofMillis(200)));

    exporter.consume(TestSpans.batch(1));

    await().until(() -> harness.sent(ID) == 1);
    assertThat(backend.calls()).isEqualTo(2);
  }

  @Test
  void deadBackendIsCountedAsSendFailedAfterMaxElapsedTime() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Exporter exporter =
        start(
            config()
                .withEndpoint("127.0.0.1:" + closedPort)
                .withRetryOnFailure(
                    FAST_RETRY.withIntervals(
                        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(300))));

    exporter.consume(TestSpans.batch(5));

    await().until(() -> harness.sendFailed(ID) == 5);
    assertThat(harness.sent(ID)).isZero();
  }

  @Test
  void withoutQueueConsumeCompletesWhenTheBackendAccepted() throws Exception {
    backend.answer(GrpcBackend.firstThen(1, GrpcBackend.fail(Status.UNAVAILABLE), backend.ok()));
    Exporter exporter = start(config().withSendingQueue(QueueSettings.disabled()));

    exporter.consume(TestSpans.batch(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);

    // Completed only after the retry reached the backend.
    assertThat(backend.accepted).hasSize(1);
    assertThat(harness.sent(ID)).isEqualTo(2);
  }

  @Test
  void mutualTlsWithServerNameOverride() throws Exception {
    try (GrpcBackend tls = GrpcBackend.startTls(true)) {
      // The certificate names tollgate-backend.test and localhost, not 127.0.0.1.
      TlsSettings settings =
          new TlsSettings(
              false,
              TestTls.path("ca.pem"),
              TestTls.path("client.pem"),
              TestTls.path("client.key"),
              false,
              "tollgate-backend.test");
      Exporter exporter = start(config().withEndpoint(tls.endpoint()).withTls(settings));

      exporter.consume(TestSpans.batch(2));

      await().until(() -> tls.accepted.size() == 1);
      // The backend records the request before its answer reaches the exporter, which counts
      // the spans as sent only then: wait for the counter rather than read it once.
      await().until(() -> harness.sent(ID) == 2);
    }
  }

  @Test
  void httpsSchemeMeansTls() throws Exception {
    try (GrpcBackend tls = GrpcBackend.startTls(false)) {
      Exporter exporter =
          start(
              config()
                  .withEndpoint("https://localhost:" + tls.port())
                  // insecure: true would mean plaintext for host:port; https:// wins.
                  .withTls(new TlsSettings(true, TestTls.path("ca.pem"), "", "", false, "")));

      exporter.consume(TestSpans.batch(1));

      await().until(() -> tls.accepted.size() == 1);
    }
  }

  @Test
  void badCaFileFailsStartWithTheKeyAndPath() {
    OtlpGrpcConfig c =
        config()
            .withTls(new TlsSettings(false, "/nonexistent/ca.pem", "", "", false, ""))
            .withEndpoint("localhost:4317");
    Exporter exporter = OtlpGrpcExporterFactory.exporter(c, harness.context(ID));
    org.assertj.core.api.Assertions.assertThatThrownBy(exporter::start)
        .hasMessageContaining("tls.ca_file")
        .hasMessageContaining("/nonexistent/ca.pem");
  }
}
