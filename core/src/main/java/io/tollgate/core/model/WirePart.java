package io.tollgate.core.model;

import io.opentelemetry.proto.trace.v1.ResourceSpans;

/**
 * One {@code ResourceSpans} still in its encoded form: {@code bytes[offset, offset + length)},
 * framed in an {@code ExportTraceServiceRequest} by the tag and length at {@code bytes[frameStart,
 * offset)}. Validated by {@link TracesWireScanner} when it was made, and immutable: batches share
 * it freely (copies, fan-out) and the array is never written.
 */
final class WirePart {

  final byte[] bytes;
  final int frameStart;
  final int offset;
  final int length;
  final int spanCount;

  WirePart(byte[] bytes, int frameStart, int offset, int length, int spanCount) {
    this.bytes = bytes;
    this.frameStart = frameStart;
    this.offset = offset;
    this.length = length;
    this.spanCount = spanCount;
  }

  /** Where the framed field ends. */
  int end() {
    return offset + length;
  }

  /** The size of the field in a request: tag, length and message. */
  int frameSize() {
    return end() - frameStart;
  }

  /**
   * The part as a builder, equal to what {@code ResourceSpans.parseFrom} gives; its strings stay
   * UTF-8, copied out of {@link #bytes} (see {@link WireDecoder}).
   */
  ResourceSpans.Builder decode() {
    return WireDecoder.decode(bytes, offset, length);
  }
}
