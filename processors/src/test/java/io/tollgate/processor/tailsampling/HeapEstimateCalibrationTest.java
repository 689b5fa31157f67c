package io.tollgate.processor.tailsampling;

import static io.tollgate.processor.tailsampling.TestTraces.attr;
import static io.tollgate.processor.tailsampling.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks {@link HeapEstimate}'s constants against the heap really used by buffered spans. Slow
 * (forced GCs) and JVM-dependent, so it only runs on request:
 *
 * <pre>
 * ./mvnw -q -B -o -pl processors -am test -Dtest=HeapEstimateCalibrationTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtollgate.measure=true
 * </pre>
 *
 * It prints one {@code SHAPE} line per shape to the test output.
 */
@EnabledIfSystemProperty(named = "tollgate.measure", matches = "true")
class HeapEstimateCalibrationTest {

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @ParameterizedTest(name = "{0} spans per request, {1} attributes, {2} B text, {3} events")
  @CsvSource({
    "1,0,0,0",
    "4,0,0,0",
    "4,10,0,0",
    "4,30,0,0",
    "4,10,8000,0",
    "4,10,0,5",
    "1,10,0,0",
    "6,15,3400,1"
  })
  void estimateMatchesTheHeap(int spansPerRequest, int attributes, int textBytes, int events)
      throws Exception {
    TailSamplingConfig config =
        ComponentConfigs.bindValid(
            ComponentKind.PROCESSOR,
            "tail_sampling",
            "max_buffered_bytes: 2GiB\nmax_trace_bytes: 1GiB\n"
                + "policies:\n  - {name: all, type: always_sample}\n");
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("t"))
            .workers(Runnable::run)
            .build();
    TailSamplingProcessor p =
        new TailSamplingProcessor(config, ctx, TracesConsumer.discarding(), () -> 0L);
    Random random = new Random(1);
    int requests = 4000;
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      ByteString t = TestTraces.traceId(random);
      List<Span.Builder> spans = new ArrayList<>();
      for (int k = 0; k < spansPerRequest; k++) {
        Span.Builder s = span(t, k + 1, k == 0 ? 0 : 1, "span " + k, 0, 2000);
        for (int a = 0; a < attributes; a++) {
          attr(s, "attr.key." + a, "value-" + (i * 31 + a));
        }
        if (textBytes > 0) {
          attr(s, "gen_ai.input.messages", ("x" + i + "-" + k).repeat(textBytes / 8));
        }
        for (int e = 0; e < events; e++) {
          s.addEvents(
              Span.Event.newBuilder()
                  .setName("gen_ai.choice")
                  .setTimeUnixNano(5)
                  .addAttributes(Spans.kv("index", e)));
        }
        spans.add(s);
      }
      encoded.add(TestTraces.batch("answer-api", spans).toRequest().toByteArray());
    }
    long before = heapAfterGc();
    for (byte[] b : encoded) {
      // Fresh objects, decoded as the receiver decodes them.
      p.consume(TraceBatch.of(ExportTraceServiceRequest.parseFrom(b)));
    }
    long used = heapAfterGc() - before;
    // The requests' bytes were counted in "before": keep them alive through the second count, or
    // the JIT lets them die after the loop and the buffered spans look smaller by their size.
    Reference.reachabilityFence(encoded);
    long spans = (long) requests * spansPerRequest;
    // The slabs are allocated whole: what they take beyond the buffered bytes (the unused part of
    // the last slab, a few MiB at most) is not the estimate's error, and shrinks next to a buffer
    // of production size. It is printed, and taken off the heap that is compared.
    long slack = p.slabUnusedBytes();
    double ratio = (used - slack) / (double) p.bufferedBytes();
    System.out.printf(
        "SHAPE %d spans/request, %d attributes, %d B text, %d events: heap %.0f B/span"
            + " (of which unused slab space %.0f), accounted %.0f B/span, heap/accounted %.2f%n",
        spansPerRequest,
        attributes,
        textBytes,
        events,
        used / (double) spans,
        slack / (double) spans,
        p.bufferedBytes() / (double) spans,
        ratio);
    assertThat(ratio).isBetween(0.8, 1.2);
  }
}
