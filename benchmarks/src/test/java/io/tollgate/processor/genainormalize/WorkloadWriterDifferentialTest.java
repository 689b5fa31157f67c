package io.tollgate.processor.genainormalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.benchmarks.workload.GenAiWorkload;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmark workload's spans normalised twice: with JSON read by {@link JsonTreeReader} and
 * written by {@link JsonTreeWriter}, and with both done by Jackson (what they replaced). The
 * requests that leave the processor are the same, byte for byte. Lives here, in the normaliser's
 * package, because the workload generator is part of the benchmarks.
 */
class WorkloadWriterDifferentialTest {

  @AfterEach
  void restore() {
    Json.jacksonOnly = false;
  }

  @Test
  void theWorkloadLeavesTheSameWithEitherWriter() {
    // As ProcessorBenchmark builds it, and a second seed with more traces.
    compare(GenAiWorkload.builder().seed(42).spansPerRequest(100).piiShare(0.2).build(), 32);
    compare(GenAiWorkload.builder().seed(7).spansPerRequest(50).piiShare(1).build(), 40);
  }

  private static void compare(GenAiWorkload workload, int count) {
    List<ExportTraceServiceRequest> requests = workload.requests(count);
    int written = 0;
    for (ExportTraceServiceRequest request : requests) {
      byte[] wire = request.toByteArray();
      // As the receivers decode (values held as UTF-8) and as protobuf-java parses (Strings).
      for (Function<byte[], TraceBatch> decode :
          List.<Function<byte[], TraceBatch>>of(
              b -> TraceBatch.ofWire(WireScan.of(b)), b -> TraceBatch.of(parse(b)))) {
        Json.jacksonOnly = false;
        byte[] mine = normalise(decode.apply(wire));
        Json.jacksonOnly = true;
        byte[] jackson = normalise(decode.apply(wire));
        Json.jacksonOnly = false;
        assertThat(Arrays.mismatch(mine, jackson)).as("first byte that differs").isEqualTo(-1);
        written += messages(mine) - messages(wire);
      }
    }
    // Not vacuous: the normaliser wrote message JSON on many spans (a third of the dialects).
    assertThat(written).isGreaterThan(requests.size() * 10);
  }

  /** How many spans of an encoded request hold gen_ai.input.messages. */
  private static int messages(byte[] request) {
    int[] n = new int[1];
    TraceBatch.ofWire(WireScan.of(request))
        .forEachSpan(s -> n[0] += s.attributes().get("gen_ai.input.messages") != null ? 1 : 0);
    return n[0];
  }

  private static ExportTraceServiceRequest parse(byte[] b) {
    try {
      return ExportTraceServiceRequest.parseFrom(b);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static final TraceBatch[] OUT = new TraceBatch[1];

  private static final Processor PROCESSOR =
      new GenAiNormalizeProcessorFactory()
          .create(
              GenAiNormalizeConfig.defaults(),
              ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("genai_normalize"))
                  .build(),
              b -> {
                OUT[0] = b;
                return CompletableFuture.completedFuture(null);
              });

  private static byte[] normalise(TraceBatch batch) {
    PROCESSOR.consume(batch).toCompletableFuture().join();
    return OUT[0].toRequest().toByteArray();
  }
}
