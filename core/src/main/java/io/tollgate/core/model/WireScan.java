package io.tollgate.core.model;

import java.util.Objects;

/**
 * The verdict on an encoded {@code ExportTraceServiceRequest}, read straight off its bytes without
 * building a message: whether protobuf-java would accept it, whether every span's ids follow the
 * OTLP rules, and where each top-level {@code ResourceSpans} sits with how many spans it holds.
 *
 * <p>This is what lets a pass-through pipeline forward requests without decoding them: a {@link
 * Verdict#VALID} scan becomes a {@link TraceBatch} with {@link TraceBatch#ofWire}, whose parts stay
 * bytes until a processor reads a span.
 *
 * <p>The scan agrees with {@code ExportTraceServiceRequest.parseFrom}: it walks every field of
 * every message of the schema (ResourceSpans, Resource, EntityRef, ScopeSpans,
 * InstrumentationScope, Span, Event, Link, Status, KeyValue, AnyValue, ArrayValue, KeyValueList),
 * rejects what protobuf-java rejects (truncated or over-long varints, lengths out of bounds, field
 * number 0, wire types 6 and 7, an end-group tag outside its group, invalid UTF-8 in any {@code
 * string} field, nesting deeper than protobuf's recursion limit of 100) and skips unknown fields,
 * and known fields sent with another wire type, as protobuf-java keeps them: as unknown fields. Ids
 * follow proto3's rule that the last occurrence of a field wins.
 */
public final class WireScan {

  /** What the scan found. */
  public enum Verdict {
    /** protobuf-java would parse it, and every span has valid ids. */
    VALID,
    /**
     * protobuf-java would parse it, but at least one span breaks the id rules (16-byte non-zero
     * trace id, 8-byte non-zero span id, empty or 8-byte parent id): decode it to find out which.
     */
    INVALID_SPAN_IDS,
    /** protobuf-java would refuse it: parse it to get protobuf's exact error. */
    MALFORMED
  }

  private static final int[] NO_PARTS = new int[0];

  final byte[] bytes;
  final int offset;
  final int length;
  private final Verdict verdict;
  private final int spanCount;

  /** Per top-level ResourceSpans, {@link #PART_INTS} ints: frame start, offset, length, spans. */
  final int[] parts;

  final int partCount;
  static final int PART_INTS = 4;

  WireScan(
      byte[] bytes,
      int offset,
      int length,
      Verdict verdict,
      int spanCount,
      int[] parts,
      int partCount) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    this.verdict = verdict;
    this.spanCount = spanCount;
    this.parts = parts;
    this.partCount = partCount;
  }

  static WireScan malformed(byte[] bytes, int offset, int length) {
    return new WireScan(bytes, offset, length, Verdict.MALFORMED, 0, NO_PARTS, 0);
  }

  /** Scans a whole array holding one encoded {@code ExportTraceServiceRequest}. */
  public static WireScan of(byte[] request) {
    return of(request, 0, request.length);
  }

  /**
   * Scans {@code request[offset, offset + length)}. The array is kept, not copied: it must not
   * change while the scan or a batch made from it is in use.
   */
  public static WireScan of(byte[] request, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, request.length);
    return new TracesWireScanner(request).scanRequest(offset, length);
  }

  public Verdict verdict() {
    return verdict;
  }

  /** Spans in the request; 0 unless the request is well-formed. */
  public int spanCount() {
    return spanCount;
  }

  /** Top-level {@code ResourceSpans} in the request; 0 unless the request is well-formed. */
  public int resourceSpansCount() {
    return partCount;
  }

  /** The bytes that were scanned (shared, not copied). */
  public byte[] array() {
    return bytes;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  @Override
  public String toString() {
    return "WireScan{"
        + verdict
        + ", bytes="
        + length
        + ", resourceSpans="
        + partCount
        + ", spans="
        + spanCount
        + "}";
  }
}
