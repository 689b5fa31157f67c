package io.tollgate.core.model;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * An encoded {@code ExportTraceServiceRequest} ready to send, with its span count: what {@link
 * TraceBatch#encode()} makes and exporters send. Immutable, so a retry sends the very same bytes
 * and several senders may share one.
 *
 * <p>The encoding may be held in several segments: a batch merged from several received requests
 * is their {@code resource_spans} fields one after another, each still in the array it arrived in.
 * Streaming exporters write them in order ({@link #writeTo}, {@link #newInputStream}) without
 * joining them first; {@link #bytes()} joins them once, on first call, for those that need one
 * array. Exporters that need the spans as objects (debug, file, OTLP/JSON) call {@link
 * #request()}, parsed once on first use.
 */
public final class EncodedTraces {

  private static final EncodedTraces EMPTY = new EncodedTraces(new byte[0], 0);

  // The encoding is arrays[i][offsets[i], offsets[i] + lengths[i]) for i in order.
  private final byte[][] arrays;
  private final int[] offsets;
  private final int[] lengths;
  private final int size;
  private final int spanCount;
  private volatile byte[] joined;
  private volatile ExportTraceServiceRequest request;

  EncodedTraces(byte[] bytes, int spanCount) {
    this(new byte[][] {bytes}, new int[] {0}, new int[] {bytes.length}, 1, bytes.length, spanCount);
  }

  /**
   * Segments {@code [0, count)} of the arrays given, {@code size} bytes in all; the arrays are
   * shared, never written.
   */
  EncodedTraces(
      byte[][] arrays, int[] offsets, int[] lengths, int count, int size, int spanCount) {
    this.arrays = count == arrays.length ? arrays : Arrays.copyOf(arrays, count);
    this.offsets = count == offsets.length ? offsets : Arrays.copyOf(offsets, count);
    this.lengths = count == lengths.length ? lengths : Arrays.copyOf(lengths, count);
    this.size = size;
    this.spanCount = spanCount;
    if (count == 1 && offsets[0] == 0 && lengths[0] == arrays[0].length) {
      joined = arrays[0];
    }
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
   * The encoded request as one array. The array is shared, not copied (it may also back the batch
   * it was encoded from): read it, never write to it. When the encoding is in several segments
   * they are joined into a new array on the first call (and kept); streaming exporters should use
   * {@link #writeTo} or {@link #newInputStream} instead, which do not join.
   */
  public byte[] bytes() {
    byte[] b = joined;
    if (b == null) {
      b = new byte[size];
      int at = 0;
      for (int i = 0; i < arrays.length; i++) {
        System.arraycopy(arrays[i], offsets[i], b, at, lengths[i]);
        at += lengths[i];
      }
      joined = b;
    }
    return b;
  }

  /** Size of the encoded request in bytes. */
  public int size() {
    return size;
  }

  public int spanCount() {
    return spanCount;
  }

  /**
   * How many pieces the encoding is held in (1 for a request sent as it was received or encoded
   * from objects). For diagnostics and tests.
   */
  public int segmentCount() {
    return arrays.length;
  }

  /** Writes the encoded request, segment after segment. */
  public void writeTo(OutputStream out) throws IOException {
    for (int i = 0; i < arrays.length; i++) {
      out.write(arrays[i], offsets[i], lengths[i]);
    }
  }

  /**
   * A stream of the encoded request that reads the segments in place ({@link #bytes()} is not
   * called); {@link InputStream#available()} is exact, and {@link InputStream#transferTo} writes
   * what is left segment by segment, without an intermediate buffer.
   */
  public InputStream newInputStream() {
    return new SegmentStream();
  }

  /**
   * The request as protobuf objects, parsed on first call and kept (for exporters that need
   * objects; others should not call it).
   */
  public ExportTraceServiceRequest request() {
    ExportTraceServiceRequest r = request;
    if (r == null) {
      try {
        r =
            arrays.length == 1
                ? ExportTraceServiceRequest.parser().parseFrom(arrays[0], offsets[0], lengths[0])
                : ExportTraceServiceRequest.parseFrom(bytes());
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
    return "EncodedTraces{spans="
        + spanCount
        + ", bytes="
        + size
        + (arrays.length > 1 ? ", segments=" + arrays.length : "")
        + "}";
  }

  /** Reads the segments in order; never writes to them. */
  private final class SegmentStream extends InputStream {
    private int segment;
    private int inSegment;
    private int remaining = size;

    /** Moves past exhausted (and empty) segments; false at the end. */
    private boolean settle() {
      while (segment < arrays.length && inSegment == lengths[segment]) {
        segment++;
        inSegment = 0;
      }
      return segment < arrays.length;
    }

    @Override
    public int read() {
      if (!settle()) {
        return -1;
      }
      remaining--;
      return arrays[segment][offsets[segment] + inSegment++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      int n = 0;
      while (n < len && settle()) {
        int k = Math.min(len - n, lengths[segment] - inSegment);
        System.arraycopy(arrays[segment], offsets[segment] + inSegment, b, off + n, k);
        inSegment += k;
        n += k;
      }
      remaining -= n;
      return n == 0 ? -1 : n;
    }

    @Override
    public long skip(long n) {
      long skipped = 0;
      while (skipped < n && settle()) {
        int k = (int) Math.min(n - skipped, lengths[segment] - inSegment);
        inSegment += k;
        skipped += k;
      }
      remaining -= (int) skipped;
      return skipped;
    }

    @Override
    public int available() {
      return remaining;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
      long n = remaining;
      while (settle()) {
        int k = lengths[segment] - inSegment;
        out.write(arrays[segment], offsets[segment] + inSegment, k);
        inSegment += k;
      }
      remaining = 0;
      return n;
    }
  }
}
