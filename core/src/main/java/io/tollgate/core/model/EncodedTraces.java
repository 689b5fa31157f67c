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
 * <p>Protocol exporters write the encoding as it is (a pass-through pipeline never turns it into
 * protobuf objects): streaming senders chunk by chunk ({@link #chunkCount()}, {@link #chunk(int)},
 * {@link #writeTo}), others as one array ({@link #bytes()}). Exporters that need the spans as
 * objects (debug, file, OTLP/JSON) call {@link #request()}, parsed once on first use.
 *
 * <p>Why chunks: a batch is up to {@code send_batch_max_bytes} (4 MiB by default) encoded. As one
 * array that is a humongous object for G1 (anything over half a region; regions are 1 MiB on the
 * heaps a gateway runs with), allocated outside the young generation, and each such allocation
 * may start a concurrent marking cycle. At full rate that was dozens of marking cycles a minute.
 * Chunks of at most {@value #CHUNK_BYTES} bytes are ordinary young objects.
 */
public final class EncodedTraces {

  /** The largest chunk {@link TraceBatch#encode()} makes: under half of G1's smallest region. */
  static final int CHUNK_BYTES = 256 * 1024;

  private static final EncodedTraces EMPTY = new EncodedTraces(new byte[0], 0);

  // Either one array (chunks == null) or chunks that together are the encoding (bytes then set
  // only once someone asks for one array).
  private volatile byte[] bytes;
  private final byte[][] chunks;
  private final int size;
  private final int spanCount;
  private volatile ExportTraceServiceRequest request;

  EncodedTraces(byte[] bytes, int spanCount) {
    this.bytes = bytes;
    this.chunks = null;
    this.size = bytes.length;
    this.spanCount = spanCount;
  }

  /**
   * The encoding as {@code chunks}, in order: every chunk {@link #CHUNK_BYTES} long but the last,
   * which is exactly the rest ({@code size} bytes in all).
   */
  EncodedTraces(byte[][] chunks, int size, int spanCount) {
    this.chunks = chunks;
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
   * The encoded request as one array. The array is shared, not copied (it may also back the batch
   * it was encoded from): read it, never write to it. An encoding held in chunks is joined on the
   * first call (and kept, for retries); senders that can stream should use the chunks instead.
   */
  public byte[] bytes() {
    byte[] b = bytes;
    if (b == null) {
      b = new byte[size];
      int at = 0;
      for (byte[] c : chunks) {
        System.arraycopy(c, 0, b, at, c.length);
        at += c.length;
      }
      bytes = b;
    }
    return b;
  }

  /** Size of the encoded request in bytes. */
  public int size() {
    return size;
  }

  /** How many chunks the encoding is held in (1 for an encoding held as one array). */
  public int chunkCount() {
    return chunks == null ? 1 : chunks.length;
  }

  /**
   * Chunk {@code index}, all of it part of the encoding. Shared, not copied: read it, never write
   * to it.
   */
  public byte[] chunk(int index) {
    if (chunks == null) {
      Objects.checkIndex(index, 1);
      return bytes;
    }
    return chunks[index];
  }

  public int spanCount() {
    return spanCount;
  }

  /** Writes the encoding to {@code out}, chunk by chunk. */
  public void writeTo(OutputStream out) throws IOException {
    int n = chunkCount();
    for (int i = 0; i < n; i++) {
      out.write(chunk(i));
    }
  }

  /**
   * The request as protobuf objects, parsed on first call and kept (for exporters that need
   * objects; others should not call it).
   */
  public ExportTraceServiceRequest request() {
    ExportTraceServiceRequest r = request;
    if (r == null) {
      try {
        r = ExportTraceServiceRequest.parseFrom(bytes());
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
    return "EncodedTraces{spans=" + spanCount + ", bytes=" + size + "}";
  }
}
