package io.tollgate.benchmarks.load;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An OTLP/gRPC trace endpoint on loopback that only counts: spans (read off the wire with {@link
 * OtlpWire}, without decoding), bytes and requests. It answers every export at once with success,
 * so the collector's exporter is never the bottleneck.
 */
final class OtlpSink implements AutoCloseable {

  private final String name;
  private final Server server;
  private final LongAdder spans = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private volatile long lastReceiveNanos;

  OtlpSink(String name, int port) throws IOException {
    this.name = name;
    MethodDescriptor<Counted, ExportTraceServiceResponse> export =
        TraceServiceGrpc.getExportMethod().toBuilder(
                new CountingMarshaller(),
                ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
            .build();
    ExportTraceServiceResponse ok = ExportTraceServiceResponse.getDefaultInstance();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
            .addMethod(
                export,
                ServerCalls.asyncUnaryCall(
                    (request, observer) -> {
                      spans.add(request.spans());
                      bytes.add(request.bytes());
                      requests.increment();
                      lastReceiveNanos = System.nanoTime();
                      observer.onNext(ok);
                      observer.onCompleted();
                    }))
            .build();
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(service)
            .maxInboundMessageSize(64 * 1024 * 1024)
            .directExecutor()
            .build()
            .start();
  }

  String name() {
    return name;
  }

  int port() {
    return server.getPort();
  }

  long spans() {
    return spans.sum();
  }

  long bytes() {
    return bytes.sum();
  }

  long requests() {
    return requests.sum();
  }

  long lastReceiveNanos() {
    return lastReceiveNanos;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }

  /** What the sink keeps of a request. */
  record Counted(int spans, long bytes) {}

  /**
   * Counts the spans of a request straight off gRPC's stream: no copy into an array, no protobuf
   * messages. The sink shares the machine with the collector, so it must cost little.
   */
  static final class CountingMarshaller implements MethodDescriptor.Marshaller<Counted> {
    @Override
    public InputStream stream(Counted value) {
      throw new UnsupportedOperationException("the sink only receives");
    }

    @Override
    public Counted parse(InputStream stream) {
      CountingStream counting = new CountingStream(stream);
      int spans = OtlpWire.countSpans(counting);
      return new Counted(spans, counting.count);
    }
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }

  /** Request bodies as bytes, for the sending side. */
  static final class RawMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new KnownLengthStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Lets gRPC size the message frame without asking the stream to be read first. */
  static final class KnownLengthStream extends java.io.ByteArrayInputStream
      implements io.grpc.KnownLength {
    KnownLengthStream(byte[] b) {
      super(b);
    }
  }
}
