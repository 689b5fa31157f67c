package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Receiver;
import io.tollgate.core.component.ReceiverFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.testing.RecordingConsumer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OtlpReceiverLifecycleTest {

  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void isFoundByServiceLoader() {
    assertThat(ServiceLoader.load(ReceiverFactory.class))
        .filteredOn(f -> f.type().equals("otlp"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.stability()).isEqualTo(Stability.BETA);
              assertThat(f.configClass()).isEqualTo(OtlpReceiverConfig.class);
            });
  }

  @Test
  void servesOnlyTheProtocolsThatAreConfigured() throws Exception {
    try (TestReceiver grpcOnly = TestReceiver.start(TestReceiver.grpc(4), null)) {
      assertThat(grpcOnly.receiver.grpcAddress()).isNotNull();
      assertThat(grpcOnly.receiver.httpAddress()).isNull();
    }
    try (TestReceiver httpOnly = TestReceiver.start(null, TestReceiver.http(null, null))) {
      assertThat(httpOnly.receiver.grpcAddress()).isNull();
      assertThat(httpOnly.receiver.httpAddress()).isNotNull();
    }
  }

  @Test
  void aTakenPortFailsStartWithTheKeyToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String endpoint = "127.0.0.1:" + taken.getLocalPort();
      Receiver grpc = create("otlp", new OtlpReceiverConfig.Grpc(endpoint, null, null, null), null);
      assertThatThrownBy(grpc::start)
          .isInstanceOf(IOException.class)
          .hasMessage(
              "address "
                  + endpoint
                  + " already in use; set receivers.otlp.protocols.grpc.endpoint");

      // gRPC starts, HTTP cannot: the start fails and gRPC is closed again.
      Receiver both =
          create(
              "otlp/front",
              TestReceiver.grpc(4),
              new OtlpReceiverConfig.Http(endpoint, null, null, null));
      assertThatThrownBy(both::start)
          .hasMessage(
              "address "
                  + endpoint
                  + " already in use; set receivers.otlp/front.protocols.http.endpoint");
      await().atMost(Duration.ofSeconds(10)).until(() -> !threadsNamed("tollgate-otlp-front"));
    }
  }

  @Test
  void shutdownLetsRequestsUnderWayFinish() throws Exception {
    TestReceiver r = TestReceiver.start(TestReceiver.grpc(4), TestReceiver.http(null, null));
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    r.consumer.answer(b -> accepted);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
    try {
      ListenableFuture<ExportTraceServiceResponse> grpcAnswer =
          TraceServiceGrpc.newFutureStub(channel).export(GenAiSpans.chatRequest());
      CompletableFuture<HttpResponse<byte[]>> httpAnswer =
          postAsync(r, GenAiSpans.chatRequest().toByteArray());
      await().atMost(Duration.ofSeconds(10)).until(() -> r.consumer.batches().size() == 2);
      InetSocketAddress http = r.receiver.httpAddress();

      CompletableFuture<Void> shutdown =
          CompletableFuture.runAsync(() -> r.receiver.shutdown(Instant.now().plusSeconds(30)));
      // No new connections, but the two requests under way are waited for.
      await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(http));
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> !shutdown.isDone());
      assertThat(grpcAnswer.isDone()).isFalse();
      assertThat(httpAnswer.isDone()).isFalse();

      accepted.complete(null);
      shutdown.get(20, TimeUnit.SECONDS);
      assertThat(httpAnswer.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(httpAnswer.get().headers().firstValue("connection")).hasValue("close");
      assertThat(grpcAnswer.get(5, TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
    } finally {
      channel.shutdownNow();
      r.workers.shutdownNow();
    }
  }

  @Test
  void shutdownGivesUpAtTheDeadline() throws Exception {
    TestReceiver r = TestReceiver.start(null, TestReceiver.http(ByteSize.ofMiB(1), null));
    r.consumer.answer(b -> new CompletableFuture<>()); // never answers
    try {
      CompletableFuture<HttpResponse<byte[]>> httpAnswer =
          postAsync(r, GenAiSpans.chatRequest().toByteArray());
      await().atMost(Duration.ofSeconds(10)).until(() -> r.consumer.batches().size() == 1);

      r.receiver.shutdown(Instant.now().plusMillis(300));

      assertThat(r.receiver.httpAddress()).isNull();
      // The connection was closed under the request.
      assertThat(httpAnswer)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(IOException.class);
    } finally {
      r.workers.shutdownNow();
    }
  }

  private static Receiver create(
      String id, OtlpReceiverConfig.Grpc grpc, OtlpReceiverConfig.Http http) {
    return new OtlpReceiverFactory()
        .create(
            OtlpReceiverConfig.of(new OtlpReceiverConfig.Protocols(grpc, http)),
            ComponentContext.builder(ComponentKind.RECEIVER, ComponentId.parse(id)).build(),
            new RecordingConsumer());
  }

  private static CompletableFuture<HttpResponse<byte[]>> postAsync(TestReceiver r, byte[] body) {
    return client.sendAsync(
        HttpRequest.newBuilder(r.httpUri("/v1/traces"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
  }
}
