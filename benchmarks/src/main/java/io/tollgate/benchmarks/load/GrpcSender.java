package io.tollgate.benchmarks.load;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** OTLP/gRPC over several plaintext HTTP/2 connections, round-robin, bodies sent as raw bytes. */
final class GrpcSender implements OtlpSender {

  private static final MethodDescriptor<byte[], ExportTraceServiceResponse> EXPORT =
      TraceServiceGrpc.getExportMethod().toBuilder(
              new OtlpSink.RawMarshaller(),
              ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
          .build();

  private final String target;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  GrpcSender(String hostPort, int connections) {
    this.target = hostPort;
    for (int i = 0; i < connections; i++) {
      channels.add(
          NettyChannelBuilder.forTarget(hostPort)
              .usePlaintext()
              .directExecutor()
              .maxInboundMessageSize(16 * 1024 * 1024)
              .build());
    }
  }

  @Override
  public CompletableFuture<Ack> send(byte[] body) {
    ManagedChannel ch = channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    CompletableFuture<Ack> result = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        ch.newCall(EXPORT, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
        body,
        new StreamObserver<>() {
          private long rejected;

          @Override
          public void onNext(ExportTraceServiceResponse r) {
            rejected = r.hasPartialSuccess() ? r.getPartialSuccess().getRejectedSpans() : 0;
          }

          @Override
          public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            Outcome o =
                s.getCode() == Status.Code.RESOURCE_EXHAUSTED
                        || s.getCode() == Status.Code.UNAVAILABLE
                    ? Outcome.REFUSED
                    : Outcome.FAILED;
            result.complete(
                new Ack(o, 0, s.getCode() + ": " + s.getDescription(), retryDelayNanos(t)));
          }

          @Override
          public void onCompleted() {
            result.complete(rejected == 0 ? Ack.OK : new Ack(Outcome.OK, rejected, "partial"));
          }
        });
    return result;
  }

  /** The delay in a {@code google.rpc.RetryInfo} detail of the status, or -1. */
  private static long retryDelayNanos(Throwable t) {
    com.google.rpc.Status status = io.grpc.protobuf.StatusProto.fromThrowable(t);
    if (status == null) {
      return -1;
    }
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(com.google.rpc.RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d =
              detail.unpack(com.google.rpc.RetryInfo.class).getRetryDelay();
          return d.getSeconds() * 1_000_000_000L + d.getNanos();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /**
   * Reconnect now rather than after gRPC's reconnect backoff (1 s and growing): the readiness probe
   * would otherwise see the port open up to a second late.
   */
  void resetBackoff() {
    channels.forEach(ManagedChannel::resetConnectBackoff);
  }

  String target() {
    return target;
  }

  @Override
  public String describe() {
    return "grpc://" + target + " x" + channels.size();
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
  }
}
