package io.tollgate.exporter.otlpgrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.core.exporterhelper.SendResult;
import io.tollgate.core.exporterhelper.Sender;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.exporter.internal.Headers;
import io.tollgate.exporter.internal.TlsContexts;
import io.tollgate.exporter.internal.UserAgent;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Sends one {@code ExportTraceServiceRequest} over a grpc-java {@link ManagedChannel} on Netty,
 * and maps the answer to a {@link SendResult} with the OTLP specification's retry rules.
 *
 * <p>The request goes out as the bytes it was encoded to ({@link EncodedTracesMarshaller}): spans
 * that crossed a pass-through pipeline are never turned into protobuf objects, and a retry sends
 * the same bytes again.
 */
final class OtlpGrpcSender implements Sender {

  /** Retryable per the OTLP specification; RESOURCE_EXHAUSTED only with RetryInfo. */
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(
          Status.Code.CANCELLED,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private static final int MAX_MESSAGE = 512;

  /** {@code TraceService/Export} with an encoded request in place of the generated message. */
  private static final MethodDescriptor<EncodedTraces, ExportTraceServiceResponse> EXPORT =
      TraceServiceGrpc.getExportMethod().toBuilder(
              EncodedTracesMarshaller.INSTANCE,
              ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
          .build();

  private final OtlpGrpcConfig config;
  private final GrpcEndpoint endpoint;
  private final boolean tls;
  private final Executor executor;
  private volatile ManagedChannel channel;
  private volatile Channel calls; // the channel with the configured headers attached
  private volatile CallOptions callOptions;

  OtlpGrpcSender(OtlpGrpcConfig config, Executor executor) {
    this.config = config;
    this.endpoint = GrpcEndpoint.parse(config.endpoint());
    this.tls = endpoint.usesTls(config.tls().insecure());
    this.executor = executor;
  }

  @Override
  public void start() throws Exception {
    NettyChannelBuilder b =
        NettyChannelBuilder.forTarget(endpoint.authority())
            .executor(executor)
            .userAgent(UserAgent.value())
            // Retries are ours (with the collector's policy and metrics), not the channel's.
            .disableRetry();
    if (tls) {
      b.sslContext(TlsContexts.forGrpc(config.tls())).useTransportSecurity();
      if (!config.tls().serverNameOverride().isEmpty()) {
        b.overrideAuthority(config.tls().serverNameOverride());
      }
    } else {
      b.usePlaintext();
    }
    channel = b.build();
    Metadata metadata = new Metadata();
    Headers.reveal(config.headers())
        .forEach(
            (k, v) ->
                metadata.put(
                    Metadata.Key.of(k.toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER),
                    v));
    calls =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    callOptions =
        config.compression() == Compression.GZIP
            ? CallOptions.DEFAULT.withCompression("gzip")
            : CallOptions.DEFAULT;
  }

  @Override
  public CompletionStage<SendResult> send(EncodedTraces traces) {
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    Duration timeout = config.timeout();
    ClientCalls.asyncUnaryCall(
        calls.newCall(
            EXPORT, callOptions.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)),
        traces,
        new StreamObserver<ExportTraceServiceResponse>() {
          private ExportTraceServiceResponse response;

          @Override
          public void onNext(ExportTraceServiceResponse value) {
            response = value;
          }

          @Override
          public void onError(Throwable t) {
            result.complete(fromError(t));
          }

          @Override
          public void onCompleted() {
            result.complete(fromResponse(response));
          }
        });
    return result;
  }

  static SendResult fromResponse(ExportTraceServiceResponse response) {
    if (response != null && response.hasPartialSuccess()) {
      ExportTracePartialSuccess p = response.getPartialSuccess();
      if (p.getRejectedSpans() > 0 || !p.getErrorMessage().isEmpty()) {
        return SendResult.partialSuccess(p.getRejectedSpans(), shorten(p.getErrorMessage()));
      }
    }
    return SendResult.success();
  }

  static SendResult fromError(Throwable t) {
    Status status = Status.fromThrowable(t);
    Duration delay = retryDelay(t);
    Status.Code code = status.getCode();
    String message = "gRPC " + code + describe(status);
    if (RETRYABLE.contains(code)) {
      return SendResult.retryable(message, delay);
    }
    if (code == Status.Code.RESOURCE_EXHAUSTED) {
      return delay != null
          ? SendResult.retryable(message, delay)
          : SendResult.permanent(message + " (without RetryInfo, so not retried)");
    }
    switch (code) {
      case UNIMPLEMENTED:
        return SendResult.permanent(
            message + " (the endpoint does not serve OTLP traces over gRPC; is it an OTLP/HTTP"
                + " port? then use otlp_http)");
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return SendResult.permanent(message + " (check the credentials in headers)");
      default:
        return SendResult.permanent(message);
    }
  }

  /** The delay of a {@code google.rpc.RetryInfo} in the status details, or null. */
  private static Duration retryDelay(Throwable t) {
    com.google.rpc.Status s = StatusProto.fromThrowable(t);
    if (s == null) {
      return null;
    }
    for (com.google.protobuf.Any detail : s.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** The description and, when it adds something, the cause: "io exception" alone says little. */
  private static String describe(Status status) {
    StringBuilder sb = new StringBuilder();
    String description = status.getDescription();
    if (description != null) {
      sb.append(": ").append(shorten(description));
    }
    Throwable cause = status.getCause();
    if (cause != null) {
      String c = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      if (description == null || !description.contains(c)) {
        sb.append(description == null ? ": " : " (").append(shorten(c));
        if (description != null) {
          sb.append(')');
        }
      }
    }
    return sb.toString();
  }

  private static String shorten(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }

  @Override
  public void shutdown() {
    ManagedChannel c = channel;
    if (c == null) {
      return;
    }
    // Called after the drain: what is still in flight has been given up already.
    c.shutdownNow();
    try {
      c.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "otlp_grpc to " + endpoint + (tls ? " (TLS)" : " (plaintext)");
  }
}
