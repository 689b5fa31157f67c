package io.tollgate.core.model;

import static io.tollgate.core.model.WireTags.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes one {@code ResourceSpans} that {@link TracesWireScanner} has validated into the builder
 * shape {@link TraceBatch} works on, equal to what {@code ResourceSpans.parseFrom(...).toBuilder()}
 * gives, but cheaper:
 *
 * <ul>
 *   <li><b>Strings stay UTF-8.</b> Every string except attribute keys is set as a {@link
 *       ByteString} holding its own copy of the value's bytes: no UTF-16. protobuf-java keeps such
 *       a field as bytes: its size is known and encoding copies the bytes; only a {@code getXxx()}
 *       String getter converts (and caches the String). So a prompt that no processor reads as a
 *       String crosses the pipeline as the bytes it came in. Ids and {@code bytes_value} are copies
 *       too.
 *   <li><b>Attribute keys are Strings</b>, shared through {@link KeyCache}: every attribute lookup
 *       ({@link AttributeView#indexOf}) reads every key it passes as a String, so a key kept as
 *       bytes would be converted anyway, after a {@code ByteString} and a UTF-8 check ({@code
 *       setKeyBytes} validates again) that are thrown away. Measured on the GenAI workload ({@code
 *       CodecCpuTime}, 10 keys per span): with one lookup per span, String keys cost 6.9 µs of CPU
 *       and 2,627 B per span, ByteString keys 9.0 µs and 2,970 B; even with no key read at all,
 *       ByteString keys were not faster (8.8 against 7.6 µs; 337 B less). A workload repeats a few
 *       dozen keys on every span, so the decoder hands out one String per distinct key (its hash
 *       computed once): no String per key per span, and the per-key caches of the processors
 *       ({@code ConcurrentHashMap}s keyed by attribute key) find their entry without hashing the
 *       key again and compare it by identity.
 *   <li><b>Builders in place.</b> Scopes and spans are filled as nested builders ({@code
 *       addScopeSpansBuilder}, {@code addSpansBuilder}), which is what {@link
 *       TraceBatch#forEachSpan} walks, instead of messages that it would copy into builders.
 *       Attributes, events and links are messages in their span's lists, as a parse leaves them:
 *       {@link AttributeViews} reads and replaces them by index, and {@link SpanRecord#events()}
 *       makes builders only of spans whose events are asked for.
 * </ul>
 *
 * <p>Protobuf semantics are kept field by field: the last occurrence of a scalar, string or bytes
 * field wins; a singular message field that occurs again is merged into the first (here by
 * protobuf-java itself, it is that rare); a known field number with an unexpected wire type, and
 * any unknown field, is kept as an unknown field exactly as the generated parser keeps it ({@link
 * UnknownFieldSet.Builder#mergeFieldFrom}). Entity refs (resource metadata, rare) are parsed by
 * protobuf-java.
 *
 * <p><b>Copies, not views.</b> A value could alias the received array ({@code
 * UnsafeByteOperations.unsafeWrap}) and skip the copy. That was measured and given up: every
 * aliased value keeps its whole request alive, so the traces that tail sampling holds pinned whole
 * requests, the heap filled, and under load {@code memory_limiter} refused 430–5,000 requests per
 * 20 s round where copies made it refuse none, at 30–50% less throughput (BENCHMARKS.md, 2026-11-22
 * 07:29). A copy of each value's bytes is a memory copy; the request array becomes garbage as soon
 * as its batch is decoded.
 *
 * <p>The input is trusted: it was validated by the scan (structure, UTF-8, nesting, bounds), so the
 * reads here do not check bounds again. The varint and tag reads are written out rather than shared
 * with the scanner because the scanner's are its private, validating instance methods.
 */
final class WireDecoder {

  private final byte[] b;
  private int pos;

  private final KeyValue.Builder keyValueScratch = KeyValue.newBuilder();
  private final AnyValue.Builder valueScratch = AnyValue.newBuilder();

  private WireDecoder(byte[] bytes) {
    this.b = bytes;
  }

  /** Decodes the validated {@code ResourceSpans} at {@code bytes[offset, offset + length)}. */
  static ResourceSpans.Builder decode(byte[] bytes, int offset, int length) {
    WireDecoder d = new WireDecoder(bytes);
    d.pos = offset;
    ResourceSpans.Builder rs = ResourceSpans.newBuilder();
    try {
      d.resourceSpans(rs, offset + length);
    } catch (IOException | RuntimeException e) {
      // The scan accepted these bytes, so they must decode: a failure is our bug.
      throw new IllegalStateException(
          "a ResourceSpans the wire scan accepted does not decode: " + e, e);
    }
    return rs;
  }

  // --- messages of the schema -------------------------------------------------------------

  private void resourceSpans(ResourceSpans.Builder rs, int end) throws IOException {
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          {
            int subEnd = enter();
            if (rs.hasResource()) {
              merge(rs.getResourceBuilder(), subEnd);
            } else {
              Resource.Builder r = Resource.newBuilder();
              resource(r, subEnd);
              rs.setResource(r.build());
            }
            break;
          }
        case LEN_2:
          scopeSpans(rs.addScopeSpansBuilder(), enter());
          break;
        case LEN_3:
          rs.setSchemaUrlBytes(bytes());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      rs.mergeUnknownFields(unknown.build());
    }
  }

  private void resource(Resource.Builder r, int end) throws IOException {
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          r.addAttributes(keyValue(enter()));
          break;
        case VARINT_2:
          r.setDroppedAttributesCount(readVarint32());
          break;
        case LEN_3:
          {
            int subEnd = enter();
            r.addEntityRefs(EntityRef.parser().parseFrom(b, pos, subEnd - pos));
            pos = subEnd;
            break;
          }
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      r.mergeUnknownFields(unknown.build());
    }
  }

  private void scopeSpans(ScopeSpans.Builder ss, int end) throws IOException {
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          {
            int subEnd = enter();
            if (ss.hasScope()) {
              merge(ss.getScopeBuilder(), subEnd);
            } else {
              InstrumentationScope.Builder scope = InstrumentationScope.newBuilder();
              scope(scope, subEnd);
              ss.setScope(scope.build());
            }
            break;
          }
        case LEN_2:
          span(ss.addSpansBuilder(), enter());
          break;
        case LEN_3:
          ss.setSchemaUrlBytes(bytes());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      ss.mergeUnknownFields(unknown.build());
    }
  }

  private void scope(InstrumentationScope.Builder scope, int end) throws IOException {
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          scope.setNameBytes(bytes());
          break;
        case LEN_2:
          scope.setVersionBytes(bytes());
          break;
        case LEN_3:
          scope.addAttributes(keyValue(enter()));
          break;
        case VARINT_4:
          scope.setDroppedAttributesCount(readVarint32());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      scope.mergeUnknownFields(unknown.build());
    }
  }

  private void span(Span.Builder span, int end) throws IOException {
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          span.setTraceId(bytes());
          break;
        case LEN_2:
          span.setSpanId(bytes());
          break;
        case LEN_3:
          span.setTraceStateBytes(bytes());
          break;
        case LEN_4:
          span.setParentSpanId(bytes());
          break;
        case LEN_5:
          span.setNameBytes(bytes());
          break;
        case VARINT_6:
          span.setKindValue(readVarint32());
          break;
        case FIXED64_7:
          span.setStartTimeUnixNano(readFixed64());
          break;
        case FIXED64_8:
          span.setEndTimeUnixNano(readFixed64());
          break;
        case LEN_9:
          span.addAttributes(keyValue(enter()));
          break;
        case VARINT_10:
          span.setDroppedAttributesCount(readVarint32());
          break;
        case LEN_11:
          span.addEvents(event(enter()));
          break;
        case VARINT_12:
          span.setDroppedEventsCount(readVarint32());
          break;
        case LEN_13:
          span.addLinks(link(enter()));
          break;
        case VARINT_14:
          span.setDroppedLinksCount(readVarint32());
          break;
        case LEN_15:
          {
            int subEnd = enter();
            if (span.hasStatus()) {
              merge(span.getStatusBuilder(), subEnd);
            } else {
              span.setStatus(status(subEnd));
            }
            break;
          }
        case FIXED32_16:
          span.setFlags(readFixed32());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      span.mergeUnknownFields(unknown.build());
    }
  }

  private Span.Event event(int end) throws IOException {
    Span.Event.Builder event = Span.Event.newBuilder();
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case FIXED64_1:
          event.setTimeUnixNano(readFixed64());
          break;
        case LEN_2:
          event.setNameBytes(bytes());
          break;
        case LEN_3:
          event.addAttributes(keyValue(enter()));
          break;
        case VARINT_4:
          event.setDroppedAttributesCount(readVarint32());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      event.setUnknownFields(unknown.build());
    }
    return event.build();
  }

  private Span.Link link(int end) throws IOException {
    Span.Link.Builder link = Span.Link.newBuilder();
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          link.setTraceId(bytes());
          break;
        case LEN_2:
          link.setSpanId(bytes());
          break;
        case LEN_3:
          link.setTraceStateBytes(bytes());
          break;
        case LEN_4:
          link.addAttributes(keyValue(enter()));
          break;
        case VARINT_5:
          link.setDroppedAttributesCount(readVarint32());
          break;
        case FIXED32_6:
          link.setFlags(readFixed32());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      link.setUnknownFields(unknown.build());
    }
    return link.build();
  }

  private Status status(int end) throws IOException {
    Status.Builder status = Status.newBuilder();
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_2:
          status.setMessageBytes(bytes());
          break;
        case VARINT_3:
          status.setCodeValue(readVarint32());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      status.setUnknownFields(unknown.build());
    }
    return status.build();
  }

  /**
   * An attribute that is not inside another value: it reuses this decoder's two builders. A span
   * has dozens of attributes, and their builders were 3% of the GenAI pipeline's allocation. A
   * builder is free to reuse once built (build() copies its fields into the message) and cleared.
   * A key-value list inside a value is decoded while its attribute's builders are in use, so its
   * entries get builders of their own ({@link #nestedKeyValue}).
   */
  private KeyValue keyValue(int end) throws IOException {
    return keyValue(keyValueScratch.clear(), valueScratch.clear(), end);
  }

  private KeyValue nestedKeyValue(int end) throws IOException {
    return keyValue(KeyValue.newBuilder(), AnyValue.newBuilder(), end);
  }

  private KeyValue keyValue(KeyValue.Builder kv, AnyValue.Builder value, int end)
      throws IOException {
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          kv.setKey(key());
          break;
        case LEN_2:
          {
            int subEnd = enter();
            if (kv.hasValue()) {
              merge(kv.getValueBuilder(), subEnd);
            } else {
              anyValue(value, subEnd);
              kv.setValue(value.build());
            }
            break;
          }
        case VARINT_3:
          kv.setKeyStrindex(readVarint32());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      kv.setUnknownFields(unknown.build());
    }
    return kv.build();
  }

  private void anyValue(AnyValue.Builder value, int end) throws IOException {
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      switch (tag) {
        case LEN_1:
          // The scan validated this string's UTF-8; protobuf's setter would check it again.
          ValidUtf8Strings.set(value, bytes());
          break;
        case VARINT_2:
          value.setBoolValue(readVarint64() != 0);
          break;
        case VARINT_3:
          value.setIntValue(readVarint64());
          break;
        case FIXED64_4:
          value.setDoubleValue(Double.longBitsToDouble(readFixed64()));
          break;
        case LEN_5:
          {
            int subEnd = enter();
            if (value.hasArrayValue()) {
              merge(value.getArrayValueBuilder(), subEnd);
            } else {
              value.setArrayValue(arrayValue(subEnd));
            }
            break;
          }
        case LEN_6:
          {
            int subEnd = enter();
            if (value.hasKvlistValue()) {
              merge(value.getKvlistValueBuilder(), subEnd);
            } else {
              value.setKvlistValue(keyValueList(subEnd));
            }
            break;
          }
        case LEN_7:
          value.setBytesValue(bytes());
          break;
        case VARINT_8:
          value.setStringValueStrindex(readVarint32());
          break;
        default:
          unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      value.mergeUnknownFields(unknown.build());
    }
  }

  private ArrayValue arrayValue(int end) throws IOException {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      if (tag == LEN_1) {
        int subEnd = enter();
        AnyValue.Builder value = AnyValue.newBuilder();
        anyValue(value, subEnd);
        array.addValues(value.build());
      } else {
        unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      array.setUnknownFields(unknown.build());
    }
    return array.build();
  }

  private KeyValueList keyValueList(int end) throws IOException {
    KeyValueList.Builder list = KeyValueList.newBuilder();
    UnknownFieldSet.Builder unknown = null;
    while (pos < end) {
      int tag = readVarint32();
      if (tag == LEN_1) {
        list.addValues(nestedKeyValue(enter()));
      } else {
        unknown = unknownField(unknown, tag, end);
      }
    }
    if (unknown != null) {
      list.setUnknownFields(unknown.build());
    }
    return list.build();
  }

  // --- wire format ------------------------------------------------------------------------

  /**
   * A singular message field that occurs again: protobuf merges the new occurrence into the value
   * it has, field by field; protobuf-java does exactly that here (strings of this occurrence become
   * Strings, which only costs speed, and this never happens with a real SDK).
   */
  private void merge(com.google.protobuf.Message.Builder into, int subEnd) throws IOException {
    into.mergeFrom(CodedInputStream.newInstance(b, pos, subEnd - pos));
    pos = subEnd;
  }

  /**
   * Keeps a field this decoder does not read (an unknown number, or a known one with another wire
   * type) as protobuf-java's generated parsers do.
   */
  private UnknownFieldSet.Builder unknownField(UnknownFieldSet.Builder unknown, int tag, int end)
      throws IOException {
    if (unknown == null) {
      unknown = UnknownFieldSet.newBuilder();
    }
    CodedInputStream in = CodedInputStream.newInstance(b, pos, end - pos);
    if (!unknown.mergeFieldFrom(tag, in)) {
      // An end-group tag where none may be: the scan rejects that.
      throw new InvalidProtocolBufferException("unexpected end-group tag");
    }
    pos += in.getTotalBytesRead();
    return unknown;
  }

  /** Reads a nested message's length; returns where it ends. */
  private int enter() {
    int length = readVarint32();
    return pos + length;
  }

  /** A length-delimited value as a ByteString of its own (strings were checked by the scan). */
  private ByteString bytes() {
    int length = readVarint32();
    int start = pos;
    pos += length;
    return length == 0 ? ByteString.EMPTY : ByteString.copyFrom(b, start, length);
  }

  private String key() {
    int length = readVarint32();
    int start = pos;
    pos += length;
    return KeyCache.SHARED.key(b, start, length);
  }

  /** A varint of at most 10 bytes, truncated to its low 32 bits (the scan checked its length). */
  private int readVarint32() {
    int x = b[pos++];
    if (x >= 0) {
      return x;
    }
    int result = x & 0x7f;
    for (int shift = 7; ; shift += 7) {
      int c = b[pos++];
      if (shift < 32) {
        result |= (c & 0x7f) << shift;
      }
      if (c >= 0) {
        return result;
      }
    }
  }

  private long readVarint64() {
    long result = 0;
    for (int shift = 0; ; shift += 7) {
      int c = b[pos++];
      if (shift < 64) {
        result |= (long) (c & 0x7f) << shift;
      }
      if (c >= 0) {
        return result;
      }
    }
  }

  private int readFixed32() {
    int p = pos;
    pos = p + 4;
    return (b[p] & 0xff)
        | (b[p + 1] & 0xff) << 8
        | (b[p + 2] & 0xff) << 16
        | (b[p + 3] & 0xff) << 24;
  }

  private long readFixed64() {
    return (readFixed32() & 0xffffffffL) | ((long) readFixed32() << 32);
  }

  /**
   * Attribute keys decoded before, by their UTF-8 bytes: one String per distinct key (hash
   * computed) instead of one per key per span.
   *
   * <p>Bounded and lock-free: a fixed table of {@value #SLOTS} slots, two candidate slots per key
   * (so two frequent keys that share a slot do not evict each other forever), each holding an
   * immutable {@link Entry}. Decoding threads read and write slots without synchronisation: an
   * {@code Entry}'s fields are final, so a thread sees either no entry, an older one or a whole new
   * one, and every one of them maps bytes to the String of exactly those bytes. A key that is not
   * in its slots is decoded as before and replaces one of them, so a burst of one-off keys (indexed
   * keys such as {@code gen_ai.prompt.17.content}, or garbage) costs one small entry per key and
   * never memory beyond the table. Long keys are not cached (their comparison would cost what
   * decoding costs).
   */
  static final class KeyCache {

    static final KeyCache SHARED = new KeyCache();

    private static final int SLOTS = 2048; // a power of two
    private static final int MAX_CACHED_LENGTH = 96;

    /** One decoded key and the bytes it was decoded from. */
    private static final class Entry {
      final byte[] utf8;
      final String key;

      Entry(byte[] utf8, String key) {
        this.utf8 = utf8;
        this.key = key;
      }
    }

    private final Entry[] slots = new Entry[SLOTS];

    /** The key that {@code bytes[start, start + length)} (valid UTF-8) decode to. */
    String key(byte[] bytes, int start, int length) {
      if (length == 0) {
        return "";
      }
      if (length > MAX_CACHED_LENGTH) {
        return new String(bytes, start, length, StandardCharsets.UTF_8);
      }
      int h = length;
      for (int i = start, end = start + length; i < end; i++) {
        h = 31 * h + bytes[i];
      }
      h ^= h >>> 16;
      int first = h & (SLOTS - 1);
      Entry e = slots[first];
      if (e != null && sameBytes(e.utf8, bytes, start, length)) {
        return e.key;
      }
      // The second slot: the hash's next bits, so keys that share the first rarely share it too.
      int second = (h >>> 11) & (SLOTS - 1);
      Entry f = slots[second];
      if (f != null && sameBytes(f.utf8, bytes, start, length)) {
        return f.key;
      }
      String key = new String(bytes, start, length, StandardCharsets.UTF_8);
      key.hashCode(); // computed once here, not by every map that looks this key up
      Entry entry = new Entry(Arrays.copyOfRange(bytes, start, start + length), key);
      // An empty slot of the two if there is one, else the first.
      slots[e == null || f != null ? first : second] = entry;
      return key;
    }

    private static boolean sameBytes(byte[] cached, byte[] bytes, int start, int length) {
      return cached.length == length
          && Arrays.equals(cached, 0, length, bytes, start, start + length);
    }
  }
}
