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
 * (it writes the array into gRPC's buffers in one call).
 */
final class EncodedTracesMarshaller implements MethodDescriptor.Marshaller<EncodedTraces> {

  static final EncodedTracesMarshaller INSTANCE = new EncodedTracesMarshaller();

  private EncodedTracesMarshaller() {}

  @Override
  public InputStream stream(EncodedTraces value) {
    return new BytesStream(value.bytes());
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

  /** Reads a shared array without copying it; never writes to it. */
  static final class BytesStream extends InputStream implements KnownLength, Drainable {
    private final byte[] bytes;
    private int pos;

    BytesStream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = bytes.length - pos;
      target.write(bytes, pos, n);
      pos = bytes.length;
      return n;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = Math.min(len, bytes.length - pos);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      int k = (int) Math.max(0, Math.min(n, bytes.length - pos));
      pos += k;
      return k;
    }

    @Override
    public int available() {
      return bytes.length - pos;
    }
  }
}
