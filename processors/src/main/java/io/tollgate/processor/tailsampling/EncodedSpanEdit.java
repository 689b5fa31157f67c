package io.tollgate.processor.tailsampling;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Varints;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Changes one span of an encoded request and nothing else: the span is decoded, changed through the
 * usual {@link SpanRecord} view, encoded again and spliced in, with the lengths of its scope and
 * resource rewritten; every other byte is copied. A kept trace's sampling attributes go on one
 * span, so its other spans (and the rest of the arrival's bytes) never become objects again.
 *
 * <p>Only for requests this process encoded ({@link TraceBatch#encode()}): the walk trusts tags and
 * lengths, reading nothing but the framing down to the spans.
 */
final class EncodedSpanEdit {

  /** {@code ExportTraceServiceRequest.resource_spans}, {@code ResourceSpans.scope_spans}, … */
  private static final int RESOURCE_SPANS = 10;

  /** {@code ResourceSpans.scope_spans} and {@code ScopeSpans.spans} are both field 2, LEN. */
  private static final int FIELD_2 = 18;

  private final byte[] b;

  /** Where the request starts in {@link #b}. */
  private final int start;

  /** Where the request ends in {@link #b}. */
  private final int end;

  private int pos;

  private EncodedSpanEdit(byte[] b, int offset, int length) {
    this.b = b;
    this.start = offset;
    this.end = offset + length;
    this.pos = offset;
  }

  /**
   * {@code request} with its {@code spanIndex}-th span (in request order) changed by {@code edit}.
   *
   * @throws IndexOutOfBoundsException when the request has no such span
   */
  static EncodedTraces edit(EncodedTraces request, int spanIndex, Consumer<SpanRecord> edit) {
    byte[] bytes = request.bytes();
    return edit(bytes, 0, bytes.length, request.spanCount(), spanIndex, edit);
  }

  /**
   * The request at {@code array[offset, offset + length)}, of {@code spanCount} spans, with its
   * {@code spanIndex}-th span changed by {@code edit}, in an array of its own.
   *
   * @throws IndexOutOfBoundsException when the request has no such span
   */
  static EncodedTraces edit(
      byte[] array,
      int offset,
      int length,
      int spanCount,
      int spanIndex,
      Consumer<SpanRecord> edit) {
    return new EncodedSpanEdit(array, offset, length).apply(spanCount, spanIndex, edit);
  }

  private EncodedTraces apply(int spanCount, int spanIndex, Consumer<SpanRecord> edit) {
    int seen = 0;
    while (pos < end) {
      int rsFrame = pos;
      int tag = varint();
      if (tag != RESOURCE_SPANS) {
        skip(tag);
        continue;
      }
      int rsTagEnd = pos;
      int rsLength = varint();
      int rsStart = pos;
      int rsEnd = rsStart + rsLength;
      while (pos < rsEnd) {
        int ssFrame = pos;
        int t = varint();
        if (t != FIELD_2) {
          skip(t);
          continue;
        }
        int ssTagEnd = pos;
        int ssLength = varint();
        int ssStart = pos;
        int ssEnd = ssStart + ssLength;
        while (pos < ssEnd) {
          int spanFrame = pos;
          int st = varint();
          if (st != FIELD_2) {
            skip(st);
            continue;
          }
          int spanTagEnd = pos;
          int spanLength = varint();
          int spanStart = pos;
          int spanEnd = spanStart + spanLength;
          if (seen++ == spanIndex) {
            Span changed = change(spanStart, spanLength, edit);
            int newSpan = changed.getSerializedSize();
            int newSpanFrame = spanTagEnd - spanFrame + Varints.size(newSpan) + newSpan;
            int newSs = ssLength - (spanEnd - spanFrame) + newSpanFrame;
            int newSsFrame = ssTagEnd - ssFrame + Varints.size(newSs) + newSs;
            int newRs = rsLength - (ssEnd - ssFrame) + newSsFrame;
            int newRsFrame = rsTagEnd - rsFrame + Varints.size(newRs) + newRs;
            byte[] out = new byte[end - start - (rsEnd - rsFrame) + newRsFrame];
            System.arraycopy(b, start, out, 0, rsTagEnd - start);
            int at = Varints.write(out, rsTagEnd - start, newRs);
            at = copy(rsStart, ssTagEnd, out, at);
            at = Varints.write(out, at, newSs);
            at = copy(ssStart, spanTagEnd, out, at);
            at = Varints.write(out, at, newSpan);
            CodedOutputStream cos = CodedOutputStream.newInstance(out, at, newSpan);
            try {
              changed.writeTo(cos);
            } catch (IOException e) {
              throw new IllegalStateException("cannot encode into an array", e);
            }
            cos.checkNoSpaceLeft();
            at = copy(spanEnd, end, out, at + newSpan);
            if (at != out.length) {
              throw new IllegalStateException("spliced " + at + " of " + out.length + " bytes");
            }
            return EncodedTraces.ofStored(out, spanCount);
          }
          pos = spanEnd;
        }
      }
    }
    throw new IndexOutOfBoundsException("span " + spanIndex + " of " + seen);
  }

  /**
   * The span at {@code b[offset, offset + length)}, changed by {@code edit}.
   *
   * <p>The span is framed as a request of its own and decoded by core's decoder ({@link
   * TraceBatch#ofEncoded}), not by protobuf-java's parser: the target is usually the root, whose
   * input and output can be kilobytes, and the parser would turn every string into UTF-16 only for
   * the encoder to turn it back (a sixth of this processor's CPU in the 22:15 GenAI profile). The
   * decoder keeps strings as their UTF-8 bytes, which are encoded again by a copy.
   */
  private Span change(int offset, int length, Consumer<SpanRecord> edit) {
    int ssLength = 1 + Varints.size(length) + length;
    int rsLength = 1 + Varints.size(ssLength) + ssLength;
    byte[] framed = new byte[1 + Varints.size(rsLength) + rsLength];
    framed[0] = RESOURCE_SPANS;
    int at = Varints.write(framed, 1, rsLength);
    framed[at++] = FIELD_2;
    at = Varints.write(framed, at, ssLength);
    framed[at++] = FIELD_2;
    at = Varints.write(framed, at, length);
    System.arraycopy(b, offset, framed, at, length);
    // A batch of that one span, to change it through the same view as every processor does.
    TraceBatch one = TraceBatch.ofEncoded(EncodedTraces.ofStored(framed, 1));
    one.forEachSpan(edit);
    return one.resourceSpansBuilders().get(0).getScopeSpans(0).getSpans(0);
  }

  private int copy(int from, int to, byte[] out, int at) {
    System.arraycopy(b, from, out, at, to - from);
    return at + to - from;
  }

  /** A varint's low 32 bits (tags and lengths). */
  private int varint() {
    int result = 0;
    for (int shift = 0; ; shift += 7) {
      int c = b[pos++];
      if (shift < 32) {
        result |= (c & 0x7f) << shift;
      }
      if (c >= 0) {
        return result;
      }
    }
  }

  /** Skips the value of a field that is not on the way to the spans (unknown ones included). */
  private void skip(int tag) {
    switch (tag & 7) {
      case 0:
        while (b[pos++] < 0) {
          // continuation bytes
        }
        break;
      case 1:
        pos += 8;
        break;
      case 2:
        int length = varint();
        pos += length;
        break;
      case 3:
        for (int t = varint(); (t & 7) != 4; t = varint()) {
          skip(t);
        }
        break;
      case 5:
        pos += 4;
        break;
      default:
        throw new IllegalStateException("wire type " + (tag & 7) + " in encoded spans");
    }
  }
}
