package io.tollgate.processor.tailsampling;

import static io.tollgate.processor.tailsampling.TestTraces.attr;
import static io.tollgate.processor.tailsampling.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeapEstimateTest {

  private final ByteString trace = TestTraces.traceId(new Random(3));

  @Test
  void anArrivalCostsItsEncodedSizePlusAConstant() {
    TraceBatch bare = TestTraces.batch(span(trace, 1, 0, "root", 0, 1));
    assertThat(HeapEstimate.ofEncoded(bare.serializedSize()))
        .isEqualTo(bare.encode().size() + HeapEstimate.PER_ARRIVAL);

    // Attributes and events cost what they take encoded, no longer an object overhead each.
    Span.Builder rich = span(trace, 1, 0, "root", 0, 1);
    attr(rich, "a", "x");
    attr(rich, "b", 2);
    rich.addEvents(Span.Event.newBuilder().setName("e").addAttributes(Spans.kv("c", true)));
    TraceBatch b = TestTraces.batch(rich);
    assertThat(HeapEstimate.ofEncoded(b.serializedSize()))
        .isEqualTo(b.encode().size() + HeapEstimate.PER_ARRIVAL);
  }

  @Test
  void largeTextIsDominatedByItsEncodedSize() {
    TraceBatch b =
        TestTraces.batch(
            attr(span(trace, 1, 0, "chat", 0, 1), "gen_ai.input.messages", "p".repeat(100_000)));
    assertThat((double) HeapEstimate.ofEncoded(b.serializedSize()) / b.serializedSize())
        .isLessThan(1.01);
  }
}
