package io.tollgate.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.benchmarks.processors.Components;
import io.tollgate.benchmarks.workload.GenAiWorkload;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.Secret;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code redaction}'s edits on bytes against its String path on the benchmark workload's dirty
 * traces (personal data in every trace), decoded from the wire as the receivers decode them and
 * normalised and priced first, as the default pipeline hands them over: the same bytes out, the
 * same counts. It lives here because the workload does; it reaches the processor's
 * package-private switch from the same package.
 */
class RedactionWorkloadEditTest {

  @Test
  void editsOnBytesWriteWhatTheStringPathWritesOnTheDirtyWorkload() throws Exception {
    List<ExportTraceServiceRequest> requests =
        GenAiWorkload.builder().seed(42).spansPerRequest(100).piiShare(1).build().requests(12);
    requests = through("genai_normalize", requests);
    requests = through("genai_cost", requests);

    RedactionConfig defaults = RedactionConfig.defaults();
    RedactionConfig operators =
        new RedactionConfig(
            true,
            List.of(),
            List.of(),
            false,
            List.of(),
            true,
            true,
            RecognizersConfig.defaults(),
            List.of(),
            Map.of(
                "EMAIL_ADDRESS", OperatorConfig.mask("•", 4, true),
                "PHONE_NUMBER", OperatorConfig.of(OperatorConfig.Type.HASH),
                "IP_ADDRESS", OperatorConfig.of(OperatorConfig.Type.KEEP),
                "CREDIT_CARD", OperatorConfig.of(OperatorConfig.Type.REDACT),
                "US_SSN",
                    new OperatorConfig(OperatorConfig.Type.REPLACE, "\"ssn\"\n", null, null, null)),
            Secret.of("0123456789abcdef0123"),
            12,
            SummaryLevel.DEBUG,
            PresidioConfig.defaults());
    for (RedactionConfig config : List.of(defaults, operators)) {
      Run edits = new Run(config, true);
      Run strings = new Run(config, false);
      int changed = 0;
      for (ExportTraceServiceRequest request : requests) {
        byte[] wire = request.toByteArray();
        byte[] a = edits.run(wire);
        byte[] b = strings.run(wire);
        assertThat(a).as("request under %s", config.operators()).isEqualTo(b);
        if (!java.util.Arrays.equals(a, wire)) {
          changed++;
        }
      }
      assertThat(changed).isEqualTo(requests.size());
      assertThat(edits.counts()).isEqualTo(strings.counts()).isNotEmpty();
      assertThat(edits.processor.byteEditedValues()).isGreaterThan(100);
      assertThat(strings.processor.byteEditedValues()).isZero();
    }
  }

  private static List<ExportTraceServiceRequest> through(
      String type, List<ExportTraceServiceRequest> requests) throws Exception {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    Processor p =
        Components.startProcessor(
            type,
            Map.of(),
            batch -> {
              out.add(batch.toRequest());
              return CompletableFuture.completedFuture(null);
            });
    for (ExportTraceServiceRequest r : requests) {
      p.consume(TraceBatch.of(r)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    p.shutdown(Instant.now().plusSeconds(5));
    return out;
  }

  /** One redaction processor, with or without its edits on bytes. */
  private static final class Run {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RedactionProcessor processor;
    TraceBatch last;

    Run(RedactionConfig config, boolean byteEdits) {
      ComponentContext ctx =
          ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("redaction"))
              .meterRegistry(registry)
              .build();
      processor =
          new RedactionProcessor(
              config,
              ctx,
              batch -> {
                last = batch;
                return CompletableFuture.completedFuture(null);
              },
              RedactionProcessorFactory.scanner(config),
              RedactionProcessorFactory.anonymizer(config),
              null,
              byteEdits);
    }

    byte[] run(byte[] wire) throws Exception {
      processor
          .consume(TraceBatch.ofWire(WireScan.of(wire)))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      return last.toRequest().toByteArray();
    }

    Map<String, Double> counts() {
      Map<String, Double> out = new TreeMap<>();
      for (Counter c : registry.find("tollgate_redaction_entities").counters()) {
        out.put(c.getId().getTag("entity_type"), c.count());
      }
      return out;
    }
  }
}
