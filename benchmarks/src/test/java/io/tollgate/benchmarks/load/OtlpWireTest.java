package io.tollgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.benchmarks.workload.GenAiWorkload;
import io.tollgate.core.model.TraceBatch;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OtlpWireTest {

  @Test
  void countsSpansAndStampsEveryTraceIdLikeProtobufSeesThem() throws Exception {
    byte[] bytes =
        GenAiWorkload.builder().seed(5).spansPerRequest(57).build().nextRequest().toByteArray();
    assertThat(OtlpWire.countSpans(bytes)).isEqualTo(57);
    assertThat(OtlpWire.countSpans(java.nio.ByteBuffer.wrap(bytes))).isEqualTo(57);

    int[] offsets = OtlpWire.traceIdOffsets(bytes);
    assertThat(offsets).hasSize(57);
    TraceBatch before = TraceBatch.of(ExportTraceServiceRequest.parseFrom(bytes));
    Set<ByteString> tracesBefore = new HashSet<>();
    before.forEachSpan(s -> tracesBefore.add(s.traceId()));

    OtlpWire.stampTraceIds(bytes, offsets, 0x01020304);
    TraceBatch after = TraceBatch.of(ExportTraceServiceRequest.parseFrom(bytes));
    Set<ByteString> tracesAfter = new HashSet<>();
    after.forEachSpan(
        s -> {
          tracesAfter.add(s.traceId());
          assertThat(s.traceId().substring(8, 12).toByteArray()).containsExactly(1, 2, 3, 4);
        });
    assertThat(tracesAfter).hasSameSizeAs(tracesBefore).doesNotContainAnyElementsOf(tracesBefore);
  }
}
