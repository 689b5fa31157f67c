package io.tollgate.core.model;

import static io.tollgate.core.model.WireTestRequests.placed;
import static io.tollgate.core.model.WireTestRequests.rawSpans;
import static io.tollgate.core.model.WireTestRequests.wire;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tollgate.core.model.WireTestRequests.Placed;
import io.tollgate.core.testing.RandomTraces;
import io.tollgate.core.testing.Spans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A batch made from request bytes stays bytes through everything a pass-through pipeline does
 * (count, size, copy, merge, split, encode), keeps every byte of what it does not touch, and
 * behaves exactly like a decoded batch as soon as someone reads a span.
 */
class LazyTraceBatchTest {

  @Test
  void passThroughOperationsNeverDecode() {
    RandomTraces random = new RandomTraces(11, true);
    ExportTraceServiceRequest r1 = random.request(3, 5);
    ExportTraceServiceRequest r2 = random.request(3, 5);
    TraceBatch batch = wire(r1);
    batch.addAll(wire(r2));
    int spans = placed(r1).size() + placed(r2).size();

    assertThat(batch.spanCount()).isEqualTo(spans);
    assertThat(batch.isEmpty()).isEqualTo(spans == 0);
    assertThat(batch.serializedSize()).isEqualTo(r1.getSerializedSize() + r2.getSerializedSize());
    TraceBatch copy = batch.copy();
    List<TraceBatch> pieces = batch.split(Math.max(1, spans / 3));
    EncodedTraces encoded = batch.encode();
    for (TraceBatch p : pieces) {
      p.encode();
      p.spanCount();
      assertThat(p.isDecoded()).isFalse();
    }

    assertThat(batch.isDecoded()).isFalse();
    assertThat(copy.isDecoded()).isFalse();
    // Two requests' parts, re-framed: byte-for-byte the concatenation of the two requests.
    assertThat(encoded.bytes()).isEqualTo(concat(r1.toByteArray(), r2.toByteArray()));
    assertThat(copy.encode().bytes()).isEqualTo(encoded.bytes());
    // What a persistent queue stores and reads back.
    EncodedTraces stored = EncodedTraces.ofStored(encoded.bytes().clone(), encoded.spanCount());
    assertThat(stored.request()).isEqualTo(encoded.request());
    assertThat(stored.spanCount()).isEqualTo(spans);
  }

  @Test
  void readingASpanDecodesOnceAndChangesReachTheEncoding() {
    ExportTraceServiceRequest r =
        Spans.request(
            "svc",
            Spans.span("a", Map.of("k", "v")),
            Spans.span("b", Map.of()).setTraceId(Spans.traceId(9)));
    TraceBatch batch = wire(r);
    TraceBatch untouched = batch.copy();

    batch.forEachSpan(s -> s.attributes().put("seen", true));
    assertThat(batch.isDecoded()).isTrue();
    assertThat(batch.spans()).extracting(SpanRecord::name).containsExactly("a", "b");
    ExportTraceServiceRequest out = batch.encode().request();
    assertThat(out.getResourceSpans(0).getScopeSpans(0).getSpans(1).getAttributesCount())
        .isEqualTo(1);
    assertThat(batch.serializedSize()).isEqualTo(batch.encode().size());
    // The copy still shares the untouched bytes.
    assertThat(untouched.isDecoded()).isFalse();
    assertThat(untouched.encode().request()).isEqualTo(r);
    // Every read method works on an encoded batch like on a decoded one.
    assertThat(wire(r).groupByTrace().keySet())
        .containsExactlyElementsOf(TraceBatch.of(r).groupByTrace().keySet());
    TraceBatch removing = wire(r);
    assertThat(removing.removeSpans(s -> s.name().equals("a"))).isEqualTo(1);
    assertThat(removing.spanCount()).isEqualTo(1);
    assertThat(wire(r)).isEqualTo(TraceBatch.of(r));
    assertThat(wire(r).resourceSpansBuilders()).hasSize(1);
  }

  @Test
  void encodedAndDecodedPartsMixInOrderThroughSplitCopyAndEncode() throws IOException {
    RandomTraces random = new RandomTraces(5, true);
    ExportTraceServiceRequest r1 = random.request(3, 4);
    ExportTraceServiceRequest r2 = random.request(2, 4);
    ExportTraceServiceRequest r3 = random.request(3, 4);
    List<Placed> expected = new ArrayList<>(placed(r1));
    expected.addAll(placed(r2));
    expected.addAll(placed(r3));
    List<ByteString> expectedRaw = new ArrayList<>(rawSpans(r1.toByteArray()));
    expectedRaw.addAll(rawSpans(r2.toByteArray()));
    expectedRaw.addAll(rawSpans(r3.toByteArray()));
    int total = expected.size();
    assertThat(total).isGreaterThan(6);

    for (int max = 1; max <= total + 1; max++) {
      TraceBatch batch = wire(r1);
      batch.addAll(TraceBatch.of(r2)); // decoded, in the middle
      batch.addAll(wire(r3));
      assertThat(batch.spanCount()).isEqualTo(total);
      assertThat(batch.serializedSize()).isEqualTo(batch.encode().size());

      List<TraceBatch> pieces = batch.split(max);
      List<Placed> got = new ArrayList<>();
      List<ByteString> gotRaw = new ArrayList<>();
      for (int i = 0; i < pieces.size(); i++) {
        TraceBatch p = pieces.get(i);
        if (i < pieces.size() - 1) {
          assertThat(p.spanCount()).isEqualTo(max);
        } else {
          assertThat(p.spanCount()).isBetween(1, max);
        }
        TraceBatch copy = p.copy();
        EncodedTraces e = p.encode();
        assertThat(e.spanCount()).isEqualTo(p.spanCount());
        assertThat(p.serializedSize()).isEqualTo(e.size());
        assertThat(copy.encode().bytes()).isEqualTo(e.bytes());
        got.addAll(placed(e.request()));
        gotRaw.addAll(rawSpans(e.bytes()));
      }
      // Same spans, same order, each with its resource and scope (unknown fields included).
      assertThat(got).containsExactlyElementsOf(expected);
      // Spans of encoded parts are copied byte for byte, even when their part was cut; the
      // decoded request's spans re-encode to the same bytes as protobuf made them.
      assertThat(gotRaw).containsExactlyElementsOf(expectedRaw);
      // The original is unchanged and still holds its encoded parts.
      assertThat(batch.isDecoded()).isFalse();
      assertThat(batch.spanCount()).isEqualTo(total);
    }
  }

  @Test
  void aCutPartStaysEncodedAndKeepsItsResourceAndScope() {
    ExportTraceServiceRequest r =
        Spans.request(
            "svc",
            Spans.span("1", Map.of()),
            Spans.span("2", Map.of()),
            Spans.span("3", Map.of()),
            Spans.span("4", Map.of()),
            Spans.span("5", Map.of()));
    List<TraceBatch> parts = wire(r).split(2);
    assertThat(parts).extracting(TraceBatch::spanCount).containsExactly(2, 2, 1);
    assertThat(parts).allMatch(p -> !p.isDecoded());
    assertThat(parts.get(2).spans().get(0).name()).isEqualTo("5");
    assertThat(parts.get(2).spans().get(0).serviceName()).isEqualTo("svc");
    assertThat(parts.get(2).spans().get(0).scopeName()).isEqualTo("test");
    // A cut part is framed in its own array, so encoding it needs no copy.
    TraceBatch middle = parts.get(1);
    byte[] bytes = middle.encode().bytes();
    assertThat(middle.encode().bytes()).isSameAs(bytes);
  }

  @Test
  void emptyPartsAndEmptyBatches() {
    ExportTraceServiceRequest empty =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()))
            .build();
    TraceBatch batch = wire(empty);
    assertThat(batch.spanCount()).isZero();
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.split(10)).isEmpty();
    assertThat(batch.encode().request()).isEqualTo(empty);
    assertThat(TraceBatch.empty().encode().size()).isZero();
    assertThat(TraceBatch.empty().encode().request())
        .isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
