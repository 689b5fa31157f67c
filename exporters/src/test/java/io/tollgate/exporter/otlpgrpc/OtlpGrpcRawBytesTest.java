package io.tollgate.exporter.otlpgrpc;

import static io.tollgate.exporter.testing.ExporterHarness.FAST_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.TlsSettings;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import io.tollgate.core.testing.RandomTraces;
import io.tollgate.core.testing.Spans;
import io.tollgate.exporter.testing.ExporterHarness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exporter forwards a batch made from request bytes as those very bytes: a real gRPC server
 * that records each message's raw bytes sees exactly what the client sent, unknown fields and all,
 * on the first attempt and on a retry.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OtlpGrpcRawBytesTest {

  private static final String ID = "otlp_grpc/raw";

  private final ExporterHarness harness = new ExporterHarness();
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();
  private Server server;

  @BeforeEach
  void startServer() throws IOException {
    MethodDescriptor.Marshaller<byte[]> raw =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    MethodDescriptor<byte[], ExportTraceServiceResponse> method =
        TraceServiceGrpc.getExportMethod().toBuilder(
                raw, ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
            .build();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
            .addMethod(
                method,
                ServerCalls.asyncUnaryCall(
                    (bytes, out) -> {
                      received.add(bytes);
                      if (failFirst.getAndDecrement() > 0) {
                        out.onError(Status.UNAVAILABLE.asRuntimeException());
                        return;
                      }
                      out.onNext(ExportTraceServiceResponse.getDefaultInstance());
                      out.onCompleted();
                    }))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private Exporter start(Compression compression) throws Exception {
    return start(compression, ID);
  }

  /** An exporter with its own component id, so that its sent-spans count is its own. */
  private Exporter start(Compression compression, String id) throws Exception {
    OtlpGrpcConfig config =
        OtlpGrpcConfig.defaults()
            .withEndpoint("127.0.0.1:" + server.getPort())
            .withTls(TlsSettings.plaintext())
            .withCompression(compression)
            .withRetryOnFailure(FAST_RETRY);
    return harness.start(OtlpGrpcExporterFactory.exporter(config, harness.context(id)));
  }

  @Test
  void encodedPartsGoOutByteForByteAndARetrySendsTheSameBytes() throws Exception {
    // Bytes protobuf-java would not reproduce: an unknown field before the known ones and a
    // name sent twice. Re-encoding would move the first and drop the second name.
    byte[] a = handMadeRequest();
    assertThat(ExportTraceServiceRequest.parseFrom(a).toByteArray()).isNotEqualTo(a);
    // And a request with unknown fields (numbers 100-149) at every level.
    ExportTraceServiceRequest second = new RandomTraces(21, true).request(3, 4);
    assertThat(second.toString()).containsPattern("(?m)^ *1[0-4][0-9]: ");
    byte[] b = second.toByteArray();
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(a));
    batch.addAll(TraceBatch.ofWire(WireScan.of(b)));
    int spans = batch.spanCount();
    failFirst.set(1);

    Exporter exporter = start(Compression.NONE);
    exporter.consume(batch).toCompletableFuture().join();

    await().until(() -> harness.sent(ID) == spans);
    byte[] expected = new byte[a.length + b.length];
    System.arraycopy(a, 0, expected, 0, a.length);
    System.arraycopy(b, 0, expected, a.length, b.length);
    assertThat(received).hasSize(2); // refused once, then accepted
    assertThat(received.get(0)).isEqualTo(expected);
    assertThat(received.get(1)).isEqualTo(expected);
    assertThat(batch.isDecoded()).isFalse();
  }

  @Test
  void gzipCarriesTheSameBytes() throws Exception {
    byte[] a = handMadeRequest();
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(a));
    int spans = batch.spanCount();

    Exporter exporter = start(Compression.GZIP);
    exporter.consume(batch).toCompletableFuture().join();

    await().until(() -> harness.sent(ID) == spans);
    assertThat(received).hasSize(1);
    assertThat(received.get(0)).isEqualTo(a);
  }

  @Test
  void aBatchOfSeveralRequestsAndDecodedPartsGoesOutInOrderPlainAndGzip() throws Exception {
    for (Compression compression : List.of(Compression.NONE, Compression.GZIP)) {
      received.clear();
      byte[] a = handMadeRequest();
      ExportTraceServiceRequest decoded = new RandomTraces(5, false).request(2, 3);
      byte[] b = new RandomTraces(22, true).request(3, 4).toByteArray();
      TraceBatch batch = TraceBatch.ofWire(WireScan.of(a));
      batch.addAll(TraceBatch.of(decoded));
      batch.addAll(TraceBatch.ofWire(WireScan.of(b)));
      int spans = batch.spanCount();
      String id = ID + "-" + compression.name().toLowerCase(java.util.Locale.ROOT);
      Exporter exporter = start(compression, id);

      exporter.consume(batch).toCompletableFuture().join();

      await().until(() -> harness.sent(id) == spans);
      assertThat(received).hasSize(1);
      assertThat(received.get(0)).isEqualTo(concat(a, decoded.toByteArray(), b));
    }
  }

  /** One span whose bytes start with unknown field 100 and carry its name twice. */
  private static byte[] handMadeRequest() {
    byte[] span =
        concat(
            new byte[] {(byte) 0xa0, 0x06, 42}, // field 100, varint 42
            Span.newBuilder()
                .setTraceId(Spans.traceId(5))
                .setSpanId(Spans.randomSpanId())
                .setName("first")
                .build()
                .toByteArray(),
            new byte[] {0x2a, 6}, // name (field 5), 6 bytes
            "second".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return frame(1, frame(2, frame(2, span)));
  }

  private static byte[] frame(int field, byte[] content) {
    return concat(new byte[] {(byte) ((field << 3) | 2)}, varint(content.length), content);
  }

  private static byte[] varint(int v) {
    byte[] out = new byte[5];
    int n = 0;
    while ((v & ~0x7f) != 0) {
      out[n++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[n++] = (byte) v;
    return java.util.Arrays.copyOf(out, n);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
