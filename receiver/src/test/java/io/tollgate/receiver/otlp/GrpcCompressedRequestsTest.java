package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.Compressor;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tollgate.core.model.SpanRecord;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed gRPC requests are inflated by the collector's workers, not on the network thread: with
 * the workers held, a gzip request that inflates past the limit gets no answer until a worker
 * takes it (inflated on the event loop, it was answered at once, without a worker).
 */
@Timeout(60)
class GrpcCompressedRequestsTest {

  private static final int LIMIT_MIB = 4;

  private final CountDownLatch workersHeld = new CountDownLatch(1);
  private ThreadPoolExecutor workers;
  private TestReceiver server;
  private ManagedChannel channel;
  private ManagedChannel preEncodedChannel;

  @BeforeEach
  void start() throws Exception {
    workers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    // The only worker waits for the test: every task the receiver gives it stays in the queue.
    workers.execute(
        () -> {
          try {
            workersHeld.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server = TestReceiver.start(TestReceiver.grpc(LIMIT_MIB), null, 64, workers);
    CompressorRegistry gzip = CompressorRegistry.newEmptyInstance();
    gzip.register(new io.grpc.Codec.Gzip());
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
            .usePlaintext()
            .compressorRegistry(gzip)
            .build();
    CompressorRegistry preEncoded = CompressorRegistry.newEmptyInstance();
    preEncoded.register(new PreEncoded("gzip"));
    preEncoded.register(new PreEncoded(Zstd.ENCODING));
    preEncodedChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
            .usePlaintext()
            .compressorRegistry(preEncoded)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    workersHeld.countDown();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    preEncodedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private ListenableFuture<ExportTraceServiceResponse> send(
      io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest request) {
    return TraceServiceGrpc.newFutureStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .withCompression("gzip")
        .export(request);
  }

  @Test
  void aRequestTooLargeOnceInflatedIsInflatedAndRefusedByAWorker() throws Exception {
    // A few KiB of gzip on the wire, 5 MiB once inflated.
    ListenableFuture<ExportTraceServiceResponse> answer =
        send(GenAiSpans.requestOfSize((LIMIT_MIB + 1) * 1024 * 1024));

    await().atMost(10, TimeUnit.SECONDS).until(() -> workers.getQueue().size() == 1);
    assertThat(answer.isDone()).as("answered before a worker inflated it").isFalse();

    workersHeld.countDown();
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> answer.get(20, TimeUnit.SECONDS));
    Status status = Status.fromThrowable(e.getCause());
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription())
        .contains("larger than 4 MiB once decompressed")
        .contains("receivers.otlp.protocols.grpc.max_recv_msg_size_mib");
    assertThat(server.consumer.batches()).isEmpty();
  }

  @Test
  void aGzipRequestIsDeliveredOnceAWorkerInflatesIt() throws Exception {
    ListenableFuture<ExportTraceServiceResponse> answer = send(GenAiSpans.chatRequest());
    await().atMost(10, TimeUnit.SECONDS).until(() -> workers.getQueue().size() == 1);
    workersHeld.countDown();
    assertThat(answer.get(20, TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
    assertThat(server.consumer.spans()).extracting(SpanRecord::name).contains("chat gpt-4o");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "zstd"})
  void bytesThatAreNotInTheirEncodingAreInvalidArgumentSayingSo(String encoding) {
    workersHeld.countDown();
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    preEncodedChannel,
                    RawExportMethod.EXPORT,
                    CallOptions.DEFAULT
                        .withDeadlineAfter(20, TimeUnit.SECONDS)
                        .withCompression(encoding),
                    GenAiSpans.chatRequest().toByteArray()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .startsWith("the request is not valid " + encoding)
        .contains("Do not resend");
    assertThat(server.consumer.batches()).isEmpty();
  }

  /** Marks messages with an encoding but sends them as they are. */
  private static final class PreEncoded implements Compressor {
    private final String encoding;

    PreEncoded(String encoding) {
      this.encoding = encoding;
    }

    @Override
    public String getMessageEncoding() {
      return encoding;
    }

    @Override
    public OutputStream compress(OutputStream os) {
      return os;
    }
  }
}
