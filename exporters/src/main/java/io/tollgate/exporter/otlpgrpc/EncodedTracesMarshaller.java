package io.tollgate.exporter.otlpgrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.model.EncodedTraces;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Sends an already-encoded request as the gRPC message: no protobuf object is built or serialized,
 * and a request held in several segments (a batch merged from several received requests) is not
 * joined into one array first. The stream is {@link KnownLength} (grpc-java frames it without
 * buffering) and {@link Drainable} (it writes each segment into gRPC's buffers in one call).
 */
final class EncodedTracesMarshaller implements MethodDescriptor.Marshaller<EncodedTraces> {

  static final EncodedTracesMarshaller INSTANCE = new EncodedTracesMarshaller();

  private EncodedTracesMarshaller() {}

  @Override
  public InputStream stream(EncodedTraces value) {
    return new SegmentsStream(value.newInputStream());
  }

  /** Not used by a client; implemented for completeness (a server could use this marshaller). */
  @Override
  public EncodedTraces parse(InputStream stream) {
    try {
      return EncodedTraces.of(ExportTraceServiceRequest.parseFrom(stream));
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT
          .withCause(e)
          .withDescription(e.getMessage())
          .asRuntimeException();
    } catch (IOException e) {
      throw Status.INTERNAL.withCause(e).asRuntimeException();
    }
  }

  /**
   * gRPC's view of {@link EncodedTraces#newInputStream()}: its {@code available()} is exact, and
   * {@code transferTo} writes the segments as they are.
   */
  static final class SegmentsStream extends InputStream implements KnownLength, Drainable {
    private final InputStream in;

    SegmentsStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      return (int) in.transferTo(target);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
      return in.skip(n);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }
  }
}
