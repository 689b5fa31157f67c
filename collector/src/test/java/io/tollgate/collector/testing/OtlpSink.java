package io.tollgate.collector.testing;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OTLP/gRPC backend on loopback for end-to-end tests: records every request, and can be
 * told to answer {@code UNAVAILABLE} to the next N calls, as a backend that is restarting does.
 */
public final class OtlpSink implements AutoCloseable {

  private final List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger refusedCalls = new AtomicInteger();
  private final Server server;

  public OtlpSink() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .maxInboundMessageSize(64 << 20)
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request,
                      StreamObserver<ExportTraceServiceResponse> response) {
                    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                      refusedCalls.incrementAndGet();
                      response.onError(
                          Status.UNAVAILABLE.withDescription("backend restarting").asException());
                      return;
                    }
                    requests.add(request);
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
  }

  /** {@code host:port} to put in an exporter's {@code endpoint}. */
  public String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next {@code n} calls fail with UNAVAILABLE. */
  public void failNext(int n) {
    failNext.set(n);
  }

  public int refusedCalls() {
    return refusedCalls.get();
  }

  /** Every span received, flattened. */
  public List<Span> spans() {
    List<Span> out = new ArrayList<>();
    for (ExportTraceServiceRequest r : requests) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          out.addAll(ss.getSpansList());
        }
      }
    }
    return out;
  }

  public List<ExportTraceServiceRequest> requests() {
    return requests;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
