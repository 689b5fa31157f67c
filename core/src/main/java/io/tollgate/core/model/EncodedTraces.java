package io.tollgate.core.model;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An encoded {@code ExportTraceServiceRequest} ready to send, with its span count: what {@link
 * TraceBatch#encode()} makes and exporters send. Immutable, so a retry sends the very same bytes
 * and several senders may share one.
 *
 * <p>Protocol exporters write {@link #bytes()} as they are (a pass-through pipeline never turns
 * them into protobuf objects); exporters that need the spans as objects (debug, file, OTLP/JSON)
 * call {@link #request()}, parsed once on first use.
 */
public final class EncodedTraces {

  private static final EncodedTraces EMPTY = new EncodedTraces(new byte[0], 0);

  private final byte[] bytes;
  private final int spanCount;
  private volatile ExportTraceServiceRequest request;

  EncodedTraces(byte[] bytes, int spanCount) {
    this.bytes = bytes;
    this.spanCount = spanCount;
  }

  /** The encoding of {@code request}, keeping {@code request} for {@link #request()}. */
  public static EncodedTraces of(ExportTraceServiceRequest request) {
    Objects.requireNonNull(request, "request");
    int spans = 0;
    for (int i = 0; i < request.getResourceSpansCount(); i++) {
      var rs = request.getResourceSpans(i);
      for (int j = 0; j < rs.getScopeSpansCount(); j++) {
        spans += rs.getScopeSpans(j).getSpansCount();
      }
    }
    EncodedTraces e = new EncodedTraces(request.toByteArray(), spans);
    e.request = request;
    return e;
  }

  /**
   * Encoded traces read back from storage that {@link #bytes()} and {@link #spanCount()} were
   * written to (a persistent sending queue). The bytes are trusted, not checked: they must be what
   * an {@code EncodedTraces} held.
   */
  public static EncodedTraces ofStored(byte[] request, int spanCount) {
    Objects.requireNonNull(request, "request");
    if (spanCount < 0) {
      throw new IllegalArgumentException("spanCount must not be negative: " + spanCount);
    }
    return new EncodedTraces(request, spanCount);
  }

  /** No spans: an empty request. */
  public static EncodedTraces empty() {
    return EMPTY;
  }

  /**
   * The encoded request. The array is shared, not copied (it may also back the batch it was encoded
   * from): read it, never write to it.
   */
  public byte[] bytes() {
    return bytes;
  }

  /** Size of the encoded request in bytes. */
  public int size() {
    return bytes.length;
  }

  public int spanCount() {
    return spanCount;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes);
  }

  /**
   * The request as protobuf objects, parsed on first call and kept (for exporters that need
   * objects; others should not call it).
   */
  public ExportTraceServiceRequest request() {
    ExportTraceServiceRequest r = request;
    if (r == null) {
      try {
        r = ExportTraceServiceRequest.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        // Made by TraceBatch from validated parts or protobuf's own encoder.
        throw new IllegalStateException("encoded traces do not parse: " + e.getMessage(), e);
      }
      request = r;
    }
    return r;
  }

  @Override
  public String toString() {
    return "EncodedTraces{spans=" + spanCount + ", bytes=" + bytes.length + "}";
  }
}
