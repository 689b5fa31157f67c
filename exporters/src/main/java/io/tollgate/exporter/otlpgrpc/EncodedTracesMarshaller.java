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
 * (it writes the chunks into gRPC's buffers, one call each).
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
   * Reads the shared chunks of an encoding without copying them first; never writes to them. A
   * batch larger than one chunk is never joined into one array (see {@link EncodedTraces}).
   */
  static final class BytesStream extends InputStream implements KnownLength, Drainable {
    private final EncodedTraces traces;
    private final int chunks;
    private int chunk; // the chunk being read
    private int pos; // in that chunk
    private int remaining;

    BytesStream(EncodedTraces traces) {
      this.traces = traces;
      this.chunks = traces.chunkCount();
      this.remaining = traces.size();
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = remaining;
      for (; chunk < chunks; chunk++, pos = 0) {
        byte[] c = traces.chunk(chunk);
        target.write(c, pos, c.length - pos);
      }
      remaining = 0;
      return n;
    }

    /** The chunk to read from, moved past the ones read to their end; null at the end. */
    private byte[] current() {
      while (chunk < chunks) {
        byte[] c = traces.chunk(chunk);
        if (pos < c.length) {
          return c;
        }
        chunk++;
        pos = 0;
      }
      return null;
    }

    @Override
    public int read() {
      byte[] c = current();
      if (c == null) {
        return -1;
      }
      remaining--;
      return c[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      byte[] c = current();
      if (c == null) {
        return -1;
      }
      int n = Math.min(len, c.length - pos);
      System.arraycopy(c, pos, b, off, n);
      pos += n;
      remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = 0;
      while (skipped < n) {
        byte[] c = current();
        if (c == null) {
          break;
        }
        int k = (int) Math.min(n - skipped, c.length - pos);
        pos += k;
        skipped += k;
      }
      remaining -= (int) skipped;
      return skipped;
    }

    @Override
    public int available() {
      return remaining;
    }
  }
}
