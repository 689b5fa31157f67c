package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.testing.RandomTraces;
import io.tollgate.core.testing.Spans;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The wire scan against its oracle, protobuf-java's {@code ExportTraceServiceRequest.parseFrom}: on
 * valid requests of every shape, and on thousands of seeded mutations of them, the scan must accept
 * exactly what protobuf accepts, count the same spans and judge the ids the same way.
 */
class WireScanTest {

  // --- the oracle -------------------------------------------------------------------------

  private static ExportTraceServiceRequest parseOrNull(byte[] bytes) {
    try {
      return ExportTraceServiceRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static int spans(ExportTraceServiceRequest r) {
    int n = 0;
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  /** The receiver's id rules (SpanIdCheck), on a parsed request. */
  private static boolean hasBadIds(ExportTraceServiceRequest r) {
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          if (s.getTraceId().size() != 16
              || s.getTraceId().equals(ByteString.copyFrom(new byte[16]))
              || s.getSpanId().size() != 8
              || s.getSpanId().equals(ByteString.copyFrom(new byte[8]))
              || (s.getParentSpanId().size() != 0 && s.getParentSpanId().size() != 8)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Asserts the scan agrees with protobuf on {@code bytes}; returns whether protobuf accepts. */
  private static boolean assertAgrees(byte[] bytes) {
    ExportTraceServiceRequest parsed = parseOrNull(bytes);
    WireScan scan = WireScan.of(bytes);
    if (parsed == null) {
      assertThat(scan.verdict())
          .as(() -> "protobuf rejects " + hex(bytes))
          .isEqualTo(WireScan.Verdict.MALFORMED);
      return false;
    }
    assertThat(scan.verdict())
        .as(() -> "protobuf accepts " + hex(bytes))
        .isEqualTo(hasBadIds(parsed) ? WireScan.Verdict.INVALID_SPAN_IDS : WireScan.Verdict.VALID);
    assertThat(scan.spanCount()).isEqualTo(spans(parsed));
    assertThat(scan.resourceSpansCount()).isEqualTo(parsed.getResourceSpansCount());
    // The lazy batch holds the same data, and its encoding parses to it.
    TraceBatch lazy = TraceBatch.ofWire(scan);
    ExportTraceServiceRequest expected = TraceBatch.of(parsed).toRequest();
    assertThat(lazy.spanCount()).isEqualTo(spans(parsed));
    assertThat(lazy.encode().request()).isEqualTo(expected);
    assertThat(lazy.toRequest()).isEqualTo(expected);
    // Decoded (by WireDecoder, strings as views of the array), it encodes as protobuf does.
    assertThat(lazy.isDecoded()).isTrue();
    assertThat(lazy.encode().bytes()).isEqualTo(expected.toByteArray());
    return true;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(b.length, 80); i++) {
      sb.append(String.format("%02x", b[i]));
    }
    return sb.append(b.length > 80 ? "…(" + b.length + " bytes)" : "").toString();
  }

  // --- valid requests ---------------------------------------------------------------------

  @Test
  void sdkShapedAndRandomRequestsAreValidAndForwardedByteForByte() {
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    requests.add(ExportTraceServiceRequest.getDefaultInstance());
    requests.add(
        Spans.request(
            "support-bot",
            Spans.span("chat gpt-4o", Map.of("gen_ai.request.model", "gpt-4o")),
            Spans.span("invoke_agent", Map.of("gen_ai.usage.input_tokens", 120L))));
    RandomTraces random = new RandomTraces(1, true);
    for (int i = 0; i < 100; i++) {
      requests.add(random.request(3, 6));
    }
    for (ExportTraceServiceRequest r : requests) {
      byte[] bytes = r.toByteArray();
      WireScan scan = WireScan.of(bytes);
      assertThat(scan.verdict()).isEqualTo(WireScan.Verdict.VALID);
      assertThat(scan.spanCount()).isEqualTo(spans(r));
      TraceBatch batch = TraceBatch.ofWire(scan);
      assertThat(batch.serializedSize()).isEqualTo(bytes.length);
      EncodedTraces encoded = batch.encode();
      // The very array, not a copy: nothing was decoded or re-encoded.
      assertThat(encoded.bytes()).isSameAs(bytes.length == 0 ? encoded.bytes() : bytes);
      assertThat(encoded.spanCount()).isEqualTo(spans(r));
      assertThat(batch.isDecoded()).isEqualTo(r.getResourceSpansCount() == 0);
      assertThat(encoded.request()).isEqualTo(r);
      assertThat(batch.toRequest()).isEqualTo(r); // unknown fields included
      assertThat(batch.isDecoded()).isTrue();
    }
  }

  @Test
  void aScanOfPartOfAnArrayReadsOnlyThatPart() {
    byte[] bytes = new RandomTraces(2, true).request(2, 3).toByteArray();
    byte[] padded = new byte[bytes.length + 20];
    Arrays.fill(padded, (byte) 0xff); // garbage around the request
    System.arraycopy(bytes, 0, padded, 7, bytes.length);
    WireScan scan = WireScan.of(padded, 7, bytes.length);
    assertThat(scan.verdict()).isEqualTo(WireScan.Verdict.VALID);
    EncodedTraces encoded = TraceBatch.ofWire(scan).encode();
    assertThat(encoded.bytes()).isEqualTo(bytes); // a copy of the range, framing and all
  }

  // --- mutated, truncated and random bytes --------------------------------------------------

  @Test
  void mutatedAndTruncatedRequestsAgreeWithProtobuf() {
    SplittableRandom random = new SplittableRandom(42);
    RandomTraces traces = new RandomTraces(43, true).maxPromptWords(300);
    int accepted = 0;
    int rejected = 0;
    int badIds = 0;
    for (int i = 0; i < 2500; i++) {
      byte[] bytes = withBadIdsSometimes(traces.request(1, 2), random).toByteArray();
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        bytes = mutate(bytes, random);
      }
      if (assertAgrees(bytes)) {
        accepted++;
        if (WireScan.of(bytes).verdict() == WireScan.Verdict.INVALID_SPAN_IDS) {
          badIds++;
        }
      } else {
        rejected++;
      }
    }
    // The mutations must exercise both answers (and the id check), or the test proves nothing.
    assertThat(accepted).isGreaterThan(300);
    assertThat(rejected).isGreaterThan(300);
    assertThat(badIds).isGreaterThan(30);
  }

  /** Breaks the ids of one span in a request now and then, the way buggy SDKs do. */
  private static ExportTraceServiceRequest withBadIdsSometimes(
      ExportTraceServiceRequest r, SplittableRandom random) {
    if (random.nextInt(5) != 0 || spans(r) == 0) {
      return r;
    }
    ExportTraceServiceRequest.Builder b = r.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        if (ss.getSpansCount() > 0) {
          Span.Builder s = ss.getSpansBuilder(random.nextInt(ss.getSpansCount()));
          switch (random.nextInt(5)) {
            case 0:
              s.clearTraceId();
              break;
            case 1:
              s.setTraceId(ByteString.copyFrom(new byte[16]));
              break;
            case 2:
              s.setSpanId(ByteString.copyFrom(new byte[7]));
              break;
            case 3:
              s.setSpanId(ByteString.copyFrom(new byte[8]));
              break;
            default:
              s.setParentSpanId(ByteString.copyFrom(new byte[9]));
          }
          return b.build();
        }
      }
    }
    return r;
  }

  @Test
  void randomBytesAgreeWithProtobuf() {
    SplittableRandom random = new SplittableRandom(7);
    int accepted = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] bytes = new byte[random.nextInt(48)];
      for (int j = 0; j < bytes.length; j++) {
        // Small values make plausible tags and lengths more often than uniform bytes would.
        bytes[j] = (byte) (random.nextBoolean() ? random.nextInt(64) : random.nextInt(256));
      }
      if (assertAgrees(bytes)) {
        accepted++;
      }
    }
    assertThat(accepted).isGreaterThan(50);
  }

  private static byte[] mutate(byte[] b, SplittableRandom r) {
    if (b.length == 0) {
      return new byte[] {(byte) r.nextInt(256)};
    }
    int at = r.nextInt(b.length);
    switch (r.nextInt(8)) {
      case 0: // any byte
        b = b.clone();
        b[at] = (byte) r.nextInt(256);
        return b;
      case 1: // one bit
        b = b.clone();
        b[at] ^= (byte) (1 << r.nextInt(8));
        return b;
      case 2: // truncate
        return Arrays.copyOf(b, at);
      case 3: // delete a range
        {
          int n = 1 + r.nextInt(Math.min(8, b.length - at));
          byte[] out = new byte[b.length - n];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + n, out, at, b.length - at - n);
          return out;
        }
      case 4: // insert random bytes
        {
          byte[] ins = new byte[1 + r.nextInt(4)];
          for (int i = 0; i < ins.length; i++) {
            ins[i] = (byte) r.nextInt(256);
          }
          return insert(b, at, ins);
        }
      case 5: // duplicate a range (repeated fields, fields twice)
        {
          int n = 1 + r.nextInt(Math.min(40, b.length - at));
          return insert(b, at, Arrays.copyOfRange(b, at, at + n));
        }
      case 6: // a byte that continues a varint or a UTF-8 sequence
        b = b.clone();
        b[at] = (byte) (0x80 | r.nextInt(128));
        return b;
      default: // zero a run (ids become zero, lengths zero)
        b = b.clone();
        Arrays.fill(b, at, Math.min(b.length, at + 1 + r.nextInt(16)), (byte) 0);
        return b;
    }
  }

  private static byte[] insert(byte[] b, int at, byte[] ins) {
    byte[] out = new byte[b.length + ins.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(ins, 0, out, at, ins.length);
    System.arraycopy(b, at, out, at + ins.length, b.length - at);
    return out;
  }

  // --- UTF-8 ------------------------------------------------------------------------------

  @Test
  void utf8CheckAgreesWithProtobuf() {
    SplittableRandom random = new SplittableRandom(3);
    int[] interesting = {
      0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1,
      0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xff
    };
    int valid = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] b = new byte[random.nextInt(24)];
      for (int j = 0; j < b.length; j++) {
        b[j] =
            (byte)
                (random.nextInt(3) == 0
                    ? random.nextInt(128)
                    : interesting[random.nextInt(interesting.length)]);
      }
      boolean expected = ByteString.copyFrom(b).isValidUtf8();
      if (Utf8Check.isValid(b, 0, b.length) != expected) {
        throw new AssertionError("protobuf says " + expected + " for " + hex(b));
      }
      valid += expected ? 1 : 0;
    }
    assertThat(valid).isGreaterThan(1000);
    // Long ASCII runs (the 8-byte path) with one bad or good sequence at every offset.
    byte[][] sequences = {
      {(byte) 0xc3, (byte) 0xa9},
      {(byte) 0xe2, (byte) 0x82, (byte) 0xac},
      {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80},
      {(byte) 0xc3},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0x80},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
    };
    for (byte[] seq : sequences) {
      for (int at = 0; at < 40; at++) {
        byte[] b = new byte[41 + seq.length];
        Arrays.fill(b, (byte) 'a');
        System.arraycopy(seq, 0, b, at, seq.length);
        assertThat(Utf8Check.isValid(b, 0, b.length))
            .isEqualTo(ByteString.copyFrom(b).isValidUtf8());
        assertThat(Utf8Check.isValid(b, 1, b.length - 1))
            .isEqualTo(ByteString.copyFrom(b, 1, b.length - 2).isValidUtf8());
      }
    }
  }

  @Test
  void utf8CheckAgreesWithProtobufAtEveryWordBoundary() {
    // Every length up to three 16-byte steps, every sequence (good, bad, cut short) at every
    // offset, also cut by the end of the range; and a range that ends inside a sequence whose
    // remaining bytes follow in the array (they must not be read as part of it).
    byte[][] sequences = {
      {(byte) 0xc3, (byte) 0xa9},
      {(byte) 0xe6, (byte) 0x9d, (byte) 0xb1, (byte) 0xe4, (byte) 0xba, (byte) 0xac},
      {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80},
      {(byte) 0xe0, (byte) 0x9f, (byte) 0xbf},
      {(byte) 0xf0, (byte) 0x8f, (byte) 0xbf, (byte) 0xbf},
      {(byte) 0xed, (byte) 0x9f, (byte) 0xbf},
      {(byte) 0xc1, (byte) 0xbf},
      {(byte) 0xff},
      {(byte) 0xbf}
    };
    int checked = 0;
    for (int length = 0; length <= 49; length++) {
      for (byte[] seq : sequences) {
        for (int at = 0; at <= length; at++) {
          byte[] b = new byte[length + 8];
          Arrays.fill(b, (byte) 'a');
          System.arraycopy(seq, 0, b, at, Math.min(seq.length, b.length - at));
          for (int from : new int[] {0, 3}) {
            if (from > length) {
              continue;
            }
            boolean expected = ByteString.copyFrom(b, from, length - from).isValidUtf8();
            if (Utf8Check.isValid(b, from, length) != expected) {
              throw new AssertionError(
                  "protobuf says " + expected + " for [" + from + ", " + length + ") of " + hex(b));
            }
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(20_000);
  }

  @Test
  void invalidUtf8DeepInsideAKeyValueListIsRejectedAndInBytesIsNot() {
    AnyValue deep =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(
                        KeyValue.newBuilder()
                            .setKey("messages")
                            .setValue(
                                AnyValue.newBuilder()
                                    .setArrayValue(
                                        ArrayValue.newBuilder()
                                            .addValues(Values.of("first"))
                                            .addValues(Values.of("caf@@"))))))
            .build();
    ExportTraceServiceRequest r =
        Spans.request("svc", Spans.span("chat", Map.of("gen_ai.input.messages", deep)));
    byte[] bytes = r.toByteArray();
    int at = indexOf(bytes, "@@".getBytes(StandardCharsets.US_ASCII));

    byte[] good = bytes.clone();
    good[at] = (byte) 0xc3;
    good[at + 1] = (byte) 0xa9; // é
    assertThat(assertAgrees(good)).isTrue();
    assertThat(WireScan.of(good).verdict()).isEqualTo(WireScan.Verdict.VALID);

    byte[] bad = bytes.clone();
    bad[at] = (byte) 0xc3;
    bad[at + 1] = (byte) 0x28; // a lead byte without its continuation
    assertThat(assertAgrees(bad)).isFalse();
    assertThat(WireScan.of(bad).verdict()).isEqualTo(WireScan.Verdict.MALFORMED);

    byte[] surrogate = Arrays.copyOf(bytes, bytes.length); // same length: ED A0 in 2 bytes + 'x'
    int s = indexOf(surrogate, "caf".getBytes(StandardCharsets.US_ASCII));
    surrogate[s] = (byte) 0xed;
    surrogate[s + 1] = (byte) 0xa0;
    surrogate[s + 2] = (byte) 0x80;
    assertThat(assertAgrees(surrogate)).isFalse();

    // bytes_value is not text: anything goes.
    ExportTraceServiceRequest withBytes =
        Spans.request(
            "svc",
            Spans.span(
                "s",
                Map.of(
                    "blob",
                    AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFrom(new byte[] {(byte) 0xc3, 0x28}))
                        .build())));
    assertThat(WireScan.of(withBytes.toByteArray()).verdict()).isEqualTo(WireScan.Verdict.VALID);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  // --- recursion limit --------------------------------------------------------------------

  @Test
  void nestingIsLimitedExactlyAsProtobufLimitsIt() {
    int accepted = 0;
    int rejected = 0;
    for (int levels = 40; levels < 56; levels++) {
      // Request, resource, scope, span, attribute and value take 6 levels; each array 2 more.
      AnyValue v = Values.of("leaf");
      for (int i = 0; i < levels; i++) {
        v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
      }
      byte[] bytes = Spans.request("svc", Spans.span("s", Map.of("deep", v))).toByteArray();
      if (assertAgrees(bytes)) {
        accepted++;
      } else {
        rejected++;
      }
    }
    assertThat(accepted).isPositive();
    assertThat(rejected).isPositive();
  }

  @Test
  void unknownGroupsCountTowardsTheLimitAndMustClose() {
    int accepted = 0;
    int rejected = 0;
    for (int levels = 85; levels < 105; levels++) {
      // Groups of field 200 nested inside a span, after its ids.
      ByteArrayOutputStream groups = new ByteArrayOutputStream();
      for (int i = 0; i < levels; i++) {
        writeVarint(groups, (200 << 3) | 3);
      }
      for (int i = 0; i < levels; i++) {
        writeVarint(groups, (200 << 3) | 4);
      }
      byte[] bytes = requestWithSpanBytes(concat(validSpan(), groups.toByteArray()));
      if (assertAgrees(bytes)) {
        accepted++;
      } else {
        rejected++;
      }
    }
    assertThat(accepted).isPositive();
    assertThat(rejected).isPositive();

    // A group closed by another field's end tag, or never closed.
    assertThat(
            assertAgrees(requestWithSpanBytes(concat(validSpan(), bytes(0xc3, 0x0c, 0xcc, 0x0c)))))
        .isFalse();
    assertThat(assertAgrees(requestWithSpanBytes(concat(validSpan(), bytes(0xc3, 0x0c)))))
        .isFalse();
    // Closed properly, with fields inside.
    assertThat(
            assertAgrees(
                requestWithSpanBytes(
                    concat(validSpan(), bytes(0xc3, 0x0c, 0x08, 0x01, 0xc4, 0x0c)))))
        .isTrue();
  }

  // --- wire-level corner cases ------------------------------------------------------------

  @Test
  void tagsVarintsAndWireTypesAgreeWithProtobuf() {
    byte[] span = validSpan();
    List<byte[]> cases = new ArrayList<>();
    cases.add(bytes(0x0c)); // end group at the top level
    cases.add(requestWithSpanBytes(concat(span, bytes(0x7c)))); // end group (field 15) in a span
    cases.add(bytes(0x00)); // field number 0
    cases.add(bytes(0x07, 0x00)); // field 0, wire type 7
    cases.add(bytes(0x0e)); // wire type 6
    cases.add(bytes(0x0f)); // wire type 7
    cases.add(bytes(0x08, 0x01)); // field 1 as a varint: unknown, kept
    cases.add(bytes(0x09, 1, 2, 3, 4, 5, 6, 7, 8)); // field 1 as fixed64
    cases.add(bytes(0x09, 1, 2, 3)); // truncated fixed64
    cases.add(bytes(0x0d, 1, 2, 3, 4)); // field 1 as fixed32
    cases.add(bytes(0xa0, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
    cases.add(bytes(0xa0, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
    cases.add(
        bytes(0x8a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00)); // 10-byte tag
    cases.add(bytes(0x8a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00));
    cases.add(bytes(0x8a, 0x80, 0x80, 0x80, 0x10, 0x00)); // tag 10 + 2^32: low 32 bits are 10
    cases.add(bytes(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f)); // length -1
    cases.add(bytes(0x0a, 0x85, 0x80, 0x80, 0x80, 0x10, 0x12, 0x00, 0x12, 0x00, 0x00)); // 2^32+5
    cases.add(bytes(0x0a, 0x05, 0x12, 0x00)); // length past the end
    cases.add(bytes(0x0a, 0x00)); // an empty ResourceSpans
    cases.add(bytes(0x0a, 0x02, 0x12, 0x00)); // an empty ScopeSpans
    cases.add(bytes(0x0a, 0x04, 0x12, 0x02, 0x12, 0x00)); // an empty span: ids missing
    // A known string field sent as a varint (Span.name as field 5, wire type 0): unknown, kept.
    cases.add(requestWithSpanBytes(concat(span, bytes(0x28, 0x05))));
    // The span's name with a 10-byte length varint.
    cases.add(
        requestWithSpanBytes(
            concat(
                span,
                bytes(0x2a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 'x'))));
    // bool_value as a 10-byte varint, with high bits set in the last byte.
    cases.add(
        requestWithSpanBytes(
            concat(
                span,
                bytes(
                    0x4a, 0x0f, 0x12, 0x0d, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0x7f, 0x0a, 0x00))));
    int accepted = 0;
    for (byte[] c : cases) {
      if (assertAgrees(c)) {
        accepted++;
      }
    }
    assertThat(accepted).isBetween(5, cases.size() - 5);
  }

  @Test
  void theLastOccurrenceOfAnIdIsTheOneChecked() {
    byte[] zeroTraceId = concat(bytes(0x0a, 16), new byte[16]);
    byte[] goodTraceId = concat(bytes(0x0a, 16), Spans.traceId(7).toByteArray());
    // Valid span, then a zero trace id: the zero one wins.
    byte[] bad = requestWithSpanBytes(concat(validSpan(), zeroTraceId));
    assertThat(assertAgrees(bad)).isTrue();
    assertThat(WireScan.of(bad).verdict()).isEqualTo(WireScan.Verdict.INVALID_SPAN_IDS);
    // A zero trace id, then a good one: the good one wins.
    byte[] good = requestWithSpanBytes(concat(zeroTraceId, validSpan(), goodTraceId));
    assertThat(assertAgrees(good)).isTrue();
    assertThat(WireScan.of(good).verdict()).isEqualTo(WireScan.Verdict.VALID);
    // A 9-byte parent id breaks it; a second, empty parent id repairs it.
    byte[] parent9 = concat(bytes(0x22, 9), new byte[9]);
    assertThat(WireScan.of(requestWithSpanBytes(concat(validSpan(), parent9))).verdict())
        .isEqualTo(WireScan.Verdict.INVALID_SPAN_IDS);
    assertThat(
            WireScan.of(requestWithSpanBytes(concat(validSpan(), parent9, bytes(0x22, 0))))
                .verdict())
        .isEqualTo(WireScan.Verdict.VALID);
  }

  // --- helpers ----------------------------------------------------------------------------

  private static byte[] validSpan() {
    return Span.newBuilder()
        .setTraceId(Spans.traceId(1))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName("span")
        .build()
        .toByteArray();
  }

  /** A request with one resource, one scope and one span of exactly {@code span} bytes. */
  static byte[] requestWithSpanBytes(byte[] span) {
    byte[] ss = field(2, span);
    byte[] rs = field(2, ss);
    return field(1, rs);
  }

  private static byte[] field(int number, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, (number << 3) | 2);
    writeVarint(out, content.length);
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, int v) {
    while ((v & ~0x7f) != 0) {
      out.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
