package io.tollgate.processor.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RandomTraces;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Changing one span on the wire gives what decoding, changing and encoding everything gives. */
class EncodedSpanEditTest {

  /** Replaces an attribute that may exist (in place) and adds new ones of every type. */
  private static final Consumer<SpanRecord> EDIT =
      s -> {
        if (s.attributes().size() > 0) {
          s.attributes().put(s.attributes().key(0), "replaced — ü 日本 🙂");
        }
        s.attributes().put(SamplingAttributes.POLICY, "keep-all");
        s.attributes().put(SamplingAttributes.TRACE_LLM_SPANS, 3L);
        s.attributes().put(SamplingAttributes.TRACE_COST, 0.1 + 0.2);
        // Long enough to take every enclosing length over another varint byte.
        s.attributes().put("x.long", "y".repeat(20_000));
      };

  @Test
  void everySpanOfRandomRequestsWithUnknownFields() {
    RandomTraces random = new RandomTraces(31, true);
    int checked = 0;
    for (int r = 0; r < 40; r++) {
      ExportTraceServiceRequest request = random.request(1 + r % 3, 1 + r % 5);
      EncodedTraces encoded = TraceBatch.of(request).encode();
      for (int k = 0; k < encoded.spanCount(); k++) {
        EncodedTraces edited = EncodedSpanEdit.edit(encoded, k, EDIT);

        TraceBatch expected = TraceBatch.of(request);
        List<SpanRecord> spans = expected.spans();
        EDIT.accept(spans.get(k));
        TraceBatch actual = TraceBatch.ofEncoded(edited);
        assertThat(actual.spanCount()).isEqualTo(encoded.spanCount());
        assertThat(actual.isDecoded()).isFalse();
        assertThat(edited.request()).isEqualTo(expected.toRequest());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void aRequestInTheMiddleOfALargerArrayIsEditedAsItself() {
    RandomTraces random = new RandomTraces(47, true);
    for (int r = 0; r < 20; r++) {
      ExportTraceServiceRequest request = random.request(1 + r % 3, 1 + r % 4);
      byte[] alone = TraceBatch.of(request).encode().bytes();
      // Bytes of other arrivals around it, as in a slab: none of them may leak in.
      byte[] slab = new byte[alone.length + 300];
      java.util.Arrays.fill(slab, (byte) 0x5a);
      System.arraycopy(alone, 0, slab, 123, alone.length);
      int spans = TraceBatch.of(request).spanCount();
      for (int k = 0; k < spans; k++) {
        EncodedTraces inSlab = EncodedSpanEdit.edit(slab, 123, alone.length, spans, k, EDIT);
        EncodedTraces own = EncodedSpanEdit.edit(EncodedTraces.ofStored(alone, spans), k, EDIT);

        assertThat(inSlab.bytes()).isEqualTo(own.bytes());
        assertThat(inSlab.spanCount()).isEqualTo(spans);
      }
    }
  }

  @Test
  void aSpanThatIsNotThereIsAnError() {
    RandomTraces random = new RandomTraces(2, true);
    ExportTraceServiceRequest request = random.request(2, 2);
    EncodedTraces encoded = TraceBatch.of(request).encode();
    assertThatThrownBy(() -> EncodedSpanEdit.edit(encoded, encoded.spanCount(), EDIT))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
