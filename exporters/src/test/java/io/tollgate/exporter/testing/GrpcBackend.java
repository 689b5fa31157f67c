package io.tollgate.exporter.testing;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OTLP/gRPC backend on loopback (grpc-java on Netty, port 0) whose answers a test
 * scripts. Records every call's metadata and request, and the requests it accepted.
 */
public final class GrpcBackend implements AutoCloseable {

  /** How to answer the n-th call (1-based). */
  @FunctionalInterface
  public interface Answer {
    void respond(
        int call, ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out);
  }

  public final List<Metadata> headers = new CopyOnWriteArrayList<>();
  public final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  public final List<ExportTraceServiceRequest> accepted = new CopyOnWriteArrayList<>();
  public final List<Long> callNanos = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Answer answer = ok();
  private final Server server;

  private GrpcBackend(NettyServerBuilder builder) throws Exception {
    ServerInterceptor recordHeaders =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata md, ServerCallHandler<Q, R> next) {
            headers.add(md);
            return Contexts.interceptCall(io.grpc.Context.current(), call, md, next);
          }
        };
    TraceServiceGrpc.TraceServiceImplBase service =
        new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(
              ExportTraceServiceRequest request,
              StreamObserver<ExportTraceServiceResponse> out) {
            callNanos.add(System.nanoTime());
            received.add(request);
            answer.respond(calls.incrementAndGet(), request, out);
          }
        };
    server = builder.addService(ServerInterceptors.intercept(service, recordHeaders)).build().start();
  }

  public static GrpcBackend start() throws Exception {
    return new GrpcBackend(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)));
  }

  /** TLS with the test server certificate; requires a client certificate when {@code mtls}. */
  public static GrpcBackend startTls(boolean mtls) throws Exception {
    var ssl =
        GrpcSslContexts.forServer(TestTls.file("server.pem"), TestTls.file("server.key"))
            .trustManager(TestTls.file("ca.pem"))
            .clientAuth(mtls ? ClientAuth.REQUIRE : ClientAuth.NONE)
            .build();
    return new GrpcBackend(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).sslContext(ssl));
  }

  public int port() {
    return server.getPort();
  }

  /** {@code 127.0.0.1:port}. */
  public String endpoint() {
    return "127.0.0.1:" + port();
  }

  public GrpcBackend answer(Answer a) {
    this.answer = a;
    return this;
  }

  public int calls() {
    return calls.get();
  }

  /** Spans in accepted requests. */
  public int acceptedSpans() {
    return accepted.stream().mapToInt(GrpcBackend::spans).sum();
  }

  public static int spans(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .mapToInt(ss -> ss.getSpansCount())
        .sum();
  }

  /** The last call's metadata value for {@code key}. */
  public String header(String key) {
    Metadata md = headers.get(headers.size() - 1);
    return md.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
  }

  public Answer ok() {
    return (n, req, out) -> {
      accepted.add(req);
      out.onNext(ExportTraceServiceResponse.getDefaultInstance());
      out.onCompleted();
    };
  }

  public static Answer fail(Status status) {
    return (n, req, out) -> out.onError(status.asRuntimeException());
  }

  /** An error with a {@code google.rpc.RetryInfo} detail asking to wait {@code delay}. */
  public static Answer failWithRetryInfo(Code code, Duration delay) {
    return (n, req, out) ->
        out.onError(
            StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                    .setCode(code.getNumber())
                    .setMessage("slow down")
                    .addDetails(
                        Any.pack(
                            RetryInfo.newBuilder()
                                .setRetryDelay(
                                    com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(delay.getSeconds())
                                        .setNanos(delay.getNano()))
                                .build()))
                    .build()));
  }

  public Answer partial(long rejected, String message) {
    return (n, req, out) -> {
      accepted.add(req);
      out.onNext(
          ExportTraceServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportTracePartialSuccess.newBuilder()
                      .setRejectedSpans(rejected)
                      .setErrorMessage(message))
              .build());
      out.onCompleted();
    };
  }

  /** Never answers (the client's deadline ends the call). */
  public static Answer hang() {
    return (n, req, out) -> {};
  }

  /** The first {@code n} calls get {@code first}, the rest {@code then}. */
  public static Answer firstThen(int n, Answer first, Answer then) {
    return (call, req, out) -> (call <= n ? first : then).respond(call, req, out);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Test TLS files in src/test/resources/tls. */
  public static final class TestTls {
    private TestTls() {}

    public static File file(String name) {
      try {
        return new File(GrpcBackend.class.getResource("/tls/" + name).toURI());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    public static String path(String name) {
      return file(name).getAbsolutePath();
    }
  }
}
