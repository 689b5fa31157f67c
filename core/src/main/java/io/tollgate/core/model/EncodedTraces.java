package io.tollgate.core.model;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An encoded {@code ExportTraceServiceRequest} ready to send, with its span count: what {@link
 * TraceBatch#encode()} makes and exporters send. Immutable, so a retry sends the very same bytes
 * and several senders may share one.
 *
 * <p>The bytes may be held in several segments: ranges of the arrays the requests were received
 * in, and arrays encoded for the parts that changed. Concatenated, they are the request (a request
 * is a sequence of {@code resource_spans} fields, so the requests' own fields are whole fields of
 * the batch). Why: a batch of received requests would otherwise be copied into one array of up to
 * {@code send_batch_max_bytes} (4 MiB), and in a small heap G1 allocates an array of half a region
 * or more (512 KiB in a 256 MiB heap) outside the young generation, starting a marking cycle each
 * time: a quarter of the pass-through collector's CPU went to that.
 *
 * <p>Protocol exporters write the bytes as they are, with {@link #writeTo} or {@link
 * #inputStream()} (a pass-through pipeline never turns them into protobuf objects); exporters that
 * need the spans as objects (debug, file, OTLP/JSON) call {@link #request()}, parsed once on first
 * use. {@link #bytes()} copies the segments into one array when there are several.
 */
public final class EncodedTraces {

  private static final EncodedTraces EMPTY = new EncodedTraces(new byte[0], 0);

  /** The segments, in order: {@code arrays[i][offsets[i], offsets[i] + lengths[i])}. */
  private final byte[][] arrays;

  private final int[] offsets;
  private final int[] lengths;
  private final int size;
  private final int spanCount;
  private volatile ExportTraceServiceRequest request;

  EncodedTraces(byte[] bytes, int spanCount) {
    this(new byte[][] {bytes}, new int[] {0}, new int[] {bytes.length}, bytes.length, spanCount);
  }

  /** Segments the caller made and no longer changes (see {@link TraceBatch#encode()}). */
  EncodedTraces(byte[][] arrays, int[] offsets, int[] lengths, int size, int spanCount) {
    this.arrays = arrays;
    this.offsets = offsets;
    this.lengths = lengths;
    this.size = size;
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
   * The encoded request in one array. When it is held in one array, that array is returned, shared
   * and not copied (it may also back the batch it was encoded from): read it, never write to it.
   * When it is held in several segments, they are copied into a new array on every call; senders
   * should use {@link #writeTo} or {@link #inputStream()} instead.
   */
  public byte[] bytes() {
    if (arrays.length == 1 && offsets[0] == 0 && lengths[0] == arrays[0].length) {
      return arrays[0];
    }
    byte[] out = new byte[size];
    int at = 0;
    for (int i = 0; i < arrays.length; i++) {
      System.arraycopy(arrays[i], offsets[i], out, at, lengths[i]);
      at += lengths[i];
    }
    return out;
  }

  /** Size of the encoded request in bytes. */
  public int size() {
    return size;
  }

  public int spanCount() {
    return spanCount;
  }

  /** How many arrays the bytes are held in (for tests and diagnostics). */
  int segmentCount() {
    return arrays.length;
  }

  /** The array that holds segment {@code i} (for tests: whether a received array is shared). */
  byte[] segmentArray(int i) {
    return arrays[i];
  }

  /** Writes the request to {@code out}, one write per segment, without copying it first. */
  public void writeTo(OutputStream out) throws IOException {
    for (int i = 0; i < arrays.length; i++) {
      out.write(arrays[i], offsets[i], lengths[i]);
    }
  }

  /**
   * The request as a stream that never blocks, whose {@link InputStream#available()} is always
   * the exact number of bytes left (so it can be sent with a known length), and whose {@link
   * InputStream#transferTo} writes the segments without an intermediate buffer.
   */
  public InputStream inputStream() {
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
                : ExportTraceServiceRequest.parseFrom(inputStream());
      } catch (InvalidProtocolBufferException e) {
        // Made by TraceBatch from validated parts or protobuf's own encoder.
        throw new IllegalStateException("encoded traces do not parse: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read encoded traces from memory", e);
      }
      request = r;
    }
    return r;
  }

  @Override
  public String toString() {
    return "EncodedTraces{spans=" + spanCount + ", bytes=" + size + "}";
  }

  /** Reads the segments in order; the position is a segment and an offset into it. */
  private final class SegmentStream extends InputStream {
    private int segment;
    private int at; // within the current segment
    private int left = size;

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      advance();
      left--;
      return arrays[segment][offsets[segment] + at++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (left == 0) {
        return -1;
      }
      int done = 0;
      while (done < len && left > 0) {
        advance();
        int n = Math.min(len - done, lengths[segment] - at);
        System.arraycopy(arrays[segment], offsets[segment] + at, b, off + done, n);
        at += n;
        done += n;
        left -= n;
      }
      return done;
    }

    @Override
    public long skip(long n) {
      long skipped = 0;
      while (skipped < n && left > 0) {
        advance();
        int k = (int) Math.min(n - skipped, lengths[segment] - at);
        at += k;
        skipped += k;
        left -= k;
      }
      return skipped;
    }

    @Override
    public int available() {
      return left;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
      long n = left;
      while (left > 0) {
        advance();
        int k = lengths[segment] - at;
        out.write(arrays[segment], offsets[segment] + at, k);
        at += k;
        left -= k;
      }
      return n;
    }

    /** Moves past finished (and empty) segments; only called while bytes are left. */
    private void advance() {
      while (at == lengths[segment]) {
        segment++;
        at = 0;
      }
    }
  }
}
