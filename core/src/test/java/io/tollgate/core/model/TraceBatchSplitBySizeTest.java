package io.tollgate.core.model;

import static io.tollgate.core.model.WireTestRequests.placed;
import static io.tollgate.core.model.WireTestRequests.rawSpans;
import static io.tollgate.core.model.WireTestRequests.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.WireTestRequests.Placed;
import io.tollgate.core.testing.RandomTraces;
import io.tollgate.core.testing.Spans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceBatch#splitBySize} and {@link TraceBatch#split(int, long)}: every piece within the
 * byte cap (a lone span may exceed it), nothing lost, reordered or changed, encoded parts never
 * decoded. The output is checked by parsing it with protobuf-java.
 */
class TraceBatchSplitBySizeTest {

  /**
   * Splits fresh batches from {@code make} under many caps, from below the smallest span to above
   * the whole batch, and checks every piece against the protobuf-java parse of the input.
   */
  private static void checkSplits(
      Supplier<TraceBatch> make, List<ExportTraceServiceRequest> inputs, boolean expectEncoded)
      throws IOException {
    List<Placed> expected = new ArrayList<>();
    List<ByteString> expectedRaw = new ArrayList<>();
    long inputSize = 0;
    for (ExportTraceServiceRequest r : inputs) {
      expected.addAll(placed(r));
      expectedRaw.addAll(rawSpans(r.toByteArray()));
      inputSize += r.getSerializedSize();
    }
    assertThat(expected.size()).isGreaterThan(6);
    List<Long> caps = new ArrayList<>(List.of(1L, 50L, 200L, 1000L, 4096L, 10_000L, 30_000L));
    caps.add(inputSize / 3);
    caps.add(inputSize - 1);
    caps.add(inputSize);
    boolean sawMultiSpanPiece = false;
    boolean sawOversizedSingle = false;
    for (long cap : caps) {
      TraceBatch batch = make.get();
      assertThat(batch.serializedSize()).isEqualTo(inputSize);
      List<TraceBatch> pieces = batch.splitBySize(cap);
      List<Placed> got = new ArrayList<>();
      List<ByteString> gotRaw = new ArrayList<>();
      for (TraceBatch p : pieces) {
        if (expectEncoded) {
          assertThat(p.isDecoded()).as("piece stays encoded").isFalse();
        }
        long size = p.serializedSize();
        EncodedTraces e = p.encode();
        assertThat(size).isEqualTo(e.size());
        assertThat(p.spanCount()).isPositive();
        if (p.spanCount() > 1) {
          sawMultiSpanPiece = true;
          assertThat(size)
              .as("piece of %s spans under cap %s", p.spanCount(), cap)
              .isLessThanOrEqualTo(cap);
        } else if (size > cap) {
          sawOversizedSingle = true;
        }
        ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(e.bytes());
        got.addAll(placed(parsed));
        gotRaw.addAll(rawSpans(e.bytes()));
      }
      assertThat(got).containsExactlyElementsOf(expected);
      assertThat(gotRaw).containsExactlyElementsOf(expectedRaw);
      if (cap >= inputSize) {
        assertThat(pieces).hasSize(1);
      }
      // Greedy: two neighbouring pieces could not have been one.
      for (int i = 0; i + 1 < pieces.size(); i++) {
        TraceBatch merged = pieces.get(i).copy();
        merged.addAll(pieces.get(i + 1).copy());
        assertThat(merged.serializedSize()).isGreaterThan(cap);
      }
      if (expectEncoded) {
        assertThat(batch.isDecoded()).isFalse();
      }
      assertThat(batch.serializedSize()).isEqualTo(inputSize);
    }
    assertThat(sawMultiSpanPiece).isTrue();
    assertThat(sawOversizedSingle).isTrue();
  }

  private static List<ExportTraceServiceRequest> requests(long seed) {
    RandomTraces random = new RandomTraces(seed, true).maxPromptWords(2000);
    return List.of(random.request(3, 5), random.request(2, 5), random.request(3, 5));
  }

  @Test
  void encodedBatchesAreCutOnTheWireWithinTheCap() throws IOException {
    List<ExportTraceServiceRequest> rs = requests(3);
    checkSplits(
        () -> {
          TraceBatch b = wire(rs.get(0));
          b.addAll(wire(rs.get(1)));
          b.addAll(wire(rs.get(2)));
          return b;
        },
        rs,
        true);
  }

  @Test
  void decodedBatchesAreCutWithinTheCap() throws IOException {
    List<ExportTraceServiceRequest> rs = requests(4);
    checkSplits(
        () -> {
          TraceBatch b = TraceBatch.of(rs.get(0));
          b.addAll(TraceBatch.of(rs.get(1)));
          b.addAll(TraceBatch.of(rs.get(2)));
          return b;
        },
        rs,
        false);
  }

  @Test
  void mixedBatchesKeepOrderAndLeaveEncodedPartsEncoded() throws IOException {
    List<ExportTraceServiceRequest> rs = requests(5);
    checkSplits(
        () -> {
          TraceBatch b = wire(rs.get(0));
          b.addAll(TraceBatch.of(rs.get(1)));
          b.addAll(wire(rs.get(2)));
          return b;
        },
        rs,
        false);
    // The encoded parts of a mixed batch are not decoded by the split.
    TraceBatch mixed = wire(rs.get(0));
    mixed.addAll(TraceBatch.of(rs.get(1)));
    long cap = mixed.serializedSize() / 4;
    mixed.splitBySize(cap);
    assertThat(mixed.isDecoded()).isFalse();
    TraceBatch encodedOnly = wire(rs.get(0));
    assertThat(encodedOnly.splitBySize(cap)).allMatch(p -> !p.isDecoded());
  }

  /** The first {@code k} spans of a request, without the scopes and resources left empty. */
  private static ExportTraceServiceRequest prefix(ExportTraceServiceRequest r, int k) {
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    int left = k;
    for (ResourceSpans rs : r.getResourceSpansList()) {
      ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder sb = ss.toBuilder().clearSpans();
        for (Span span : ss.getSpansList()) {
          if (left > 0) {
            sb.addSpans(span);
            left--;
          }
        }
        if (sb.getSpansCount() > 0) {
          rb.addScopeSpans(sb);
        }
      }
      if (rb.getScopeSpansCount() > 0) {
        out.addResourceSpans(rb);
      }
    }
    return out.build();
  }

  /**
   * With the cap at exactly the size of the first k spans, or one byte below the size of the first
   * k + 1, the first piece holds exactly k spans: the framing each piece repeats is counted to the
   * byte, neither more nor less.
   */
  @Test
  void theFirstPieceIsFilledToTheByte() {
    ExportTraceServiceRequest r = new RandomTraces(21, true).maxPromptWords(300).request(3, 5);
    int n = placed(r).size();
    assertThat(n).isGreaterThan(4);
    for (int k = 1; k < n; k++) {
      long exact = prefix(r, k).getSerializedSize();
      long belowNext = prefix(r, k + 1).getSerializedSize() - 1;
      for (long cap : new long[] {exact, belowNext}) {
        for (TraceBatch b : List.of(wire(r), TraceBatch.of(r))) {
          TraceBatch first = b.splitBySize(cap).get(0);
          assertThat(first.spanCount()).as("k=%s cap=%s", k, cap).isEqualTo(k);
          assertThat(first.encode().request()).isEqualTo(prefix(r, k));
        }
      }
    }
  }

  @Test
  void bothCapsApply() {
    RandomTraces random = new RandomTraces(8, true).maxPromptWords(500);
    ExportTraceServiceRequest r = random.request(3, 6);
    for (TraceBatch b : List.of(wire(r), TraceBatch.of(r))) {
      long cap = b.serializedSize() / 3;
      List<TraceBatch> pieces = b.split(2, cap);
      int total = 0;
      for (TraceBatch p : pieces) {
        assertThat(p.spanCount()).isBetween(1, 2);
        if (p.spanCount() > 1) {
          assertThat(p.serializedSize()).isLessThanOrEqualTo(cap);
        }
        total += p.spanCount();
      }
      assertThat(total).isEqualTo(b.spanCount());
      assertThat(b.split(3, 0)).extracting(TraceBatch::spanCount).allMatch(n -> n <= 3);
    }
  }

  @Test
  void aSpanOverTheCapGoesAloneAndIsKept() {
    String prompt = "x".repeat(10_000);
    ExportTraceServiceRequest r =
        Spans.request(
            "svc",
            Spans.span("small1", Map.of()),
            Spans.span("big", Map.of("gen_ai.prompt", prompt)),
            Spans.span("small2", Map.of()));
    for (TraceBatch b : List.of(wire(r), TraceBatch.of(r))) {
      List<TraceBatch> pieces = b.splitBySize(4096);
      assertThat(pieces).hasSize(3);
      assertThat(pieces.get(1).spanCount()).isEqualTo(1);
      assertThat(pieces.get(1).serializedSize()).isGreaterThan(10_000);
      assertThat(pieces)
          .extracting(p -> p.spans().get(0).name())
          .containsExactly("small1", "big", "small2");
    }
  }

  @Test
  void emptyAndInvalid() {
    assertThat(TraceBatch.empty().splitBySize(100)).isEmpty();
    assertThatThrownBy(() -> TraceBatch.empty().splitBySize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraceBatch.empty().split(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraceBatch.empty().split(-1, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
