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
 * Sends an already-encoded request as the gRPC message: no protobuf object is built or serialized.
 * The stream is {@link KnownLength} (grpc-java frames it without buffering) and {@link Drainable}
 * (it writes the request's segments into gRPC's buffers, one call each).
 */
final class EncodedTracesMarshaller implements MethodDescriptor.Marshaller<EncodedTraces> {

  static final EncodedTracesMarshaller INSTANCE = new EncodedTracesMarshaller();

  private EncodedTracesMarshaller() {}

  @Override
  public InputStream stream(EncodedTraces value) {
    return new BytesStream(value);
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
   * The request's bytes as {@link EncodedTraces#inputStream()} reads them (shared, never written
   * to); draining writes its segments straight into gRPC's buffers.
   */
  static final class BytesStream extends InputStream implements KnownLength, Drainable {
    private final InputStream in;

    BytesStream(EncodedTraces traces) {
      this.in = traces.inputStream();
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      return Math.toIntExact(in.transferTo(target));
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

    /** Exact, as {@link KnownLength} requires: the encoded stream never blocks. */
    @Override
    public int available() throws IOException {
      return in.available();
    }
  }
}
