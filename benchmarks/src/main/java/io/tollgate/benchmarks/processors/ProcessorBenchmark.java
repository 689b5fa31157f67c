package io.tollgate.benchmarks.processors;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.benchmarks.workload.GenAiWorkload;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.TracesConsumer;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanEvent;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each processor of the default GenAI pipeline on the GenAI workload, one thread, in spans per
 * second ({@code gc.alloc.rate.norm} under {@code -prof gc} is bytes per span).
 *
 * <p>One operation takes a pre-decoded request of {@value #SPANS} spans, wraps it in a {@link
 * TraceBatch}, gives every trace a fresh id (so the tail sampler and any per-trace state see new
 * traces, as in production), and waits until the processor has accepted it. {@code none} does only
 * that, so a processor's own cost is its score minus {@code none}'s, in time per span.
 *
 * <p>The input of each processor is what the pipeline would hand it: the workload passed through
 * the processors before it in the default order (normalise → cost → redaction → truncate → tail
 * sampling → batch), as far as they are on the class path. {@code redaction_clean} runs on a
 * workload without personal data (every recogniser scans, none matches); {@code redaction_dirty} on
 * one where every trace carries some. {@code tail_sampling} keeps everything ({@code
 * always_sample}, decided 1 s after the first span) so that its cost is buffering and deciding;
 * {@code tail_sampling_policies} evaluates a realistic set (errors, slow traces, 10%). {@code
 * default_chain} runs the whole default pipeline in one thread, the processors' share of the
 * end-to-end cost. Processors are found by type with {@link java.util.ServiceLoader}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ProcessorBenchmark -prof gc}, or one
 * with {@code -p processor=genai_cost}.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ProcessorBenchmark.SPANS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProcessorBenchmark {

  static final int SPANS = 100;
  private static final int POOL = 32; // a power of two

  /** The default GenAI pipeline, in order. */
  static final List<String> DEFAULT_ORDER =
      List.of(
          "memory_limiter",
          "genai_normalize",
          "genai_cost",
          "redaction",
          "truncate",
          "tail_sampling",
          "batch");

  @Param({
    "none",
    "genai_normalize",
    "genai_cost",
    "redaction_clean",
    "redaction_dirty",
    "truncate",
    "tail_sampling",
    "tail_sampling_policies",
    "default_chain"
  })
  public String processor;

  /**
   * How string values reach the processors: {@code strings} as protobuf-java's {@code parseFrom}
   * makes them; {@code bytes} as UTF-8 {@code ByteString}s, as core's lazy decoder hands them on
   * (each operation gets fresh {@code AnyValue}s over shared bytes, so a processor that reads one
   * as a String pays the conversion every time, as it would on received data). Only top-level
   * attribute values of spans and events are made bytes. {@code wire}: each operation decodes
   * the encoded request as the receivers do ({@code TraceBatch.ofWire}), so keys and values are
   * what the decoder makes of them (the decoding is part of {@code none}: subtract it).
   */
  @Param({"strings"})
  public String input;

  private boolean bytesInput;
  private boolean wireInput;
  private byte[][] wirePool;

  private ExportTraceServiceRequest[] pool;
  private final List<Processor> started = new ArrayList<>();
  private TracesConsumer head;
  private final LongAdder delivered = new LongAdder();
  private int next;
  private int generation;
  private ByteString lastOriginal;
  private ByteString lastStamped;

  @Setup
  public void setUp() throws Exception {
    io.tollgate.benchmarks.Logging.quiet();
    double pii =
        processor.equals("redaction_clean") ? 0 : processor.equals("redaction_dirty") ? 1 : 0.2;
    GenAiWorkload workload =
        GenAiWorkload.builder().seed(42).spansPerRequest(SPANS).piiShare(pii).build();
    List<ExportTraceServiceRequest> requests = workload.requests(POOL);

    TracesConsumer sink =
        new TracesConsumer() {
          @Override
          public CompletionStage<Void> consume(TraceBatch batch) {
            delivered.add(batch.spanCount());
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public boolean mutatesData() {
            return false;
          }
        };

    List<String> chain;
    String type = processor.startsWith("redaction") ? "redaction" : processor;
    if (type.equals("none")) {
      chain = List.of();
    } else if (type.equals("default_chain")) {
      chain = DEFAULT_ORDER;
    } else if (type.equals("tail_sampling_policies")) {
      chain = List.of("tail_sampling_policies");
      type = "tail_sampling";
    } else {
      chain = List.of(type);
    }

    // Prepare the input: what the processors before this one would have made of the workload.
    if (!chain.isEmpty() && !type.equals("default_chain")) {
      int position = DEFAULT_ORDER.indexOf(type);
      List<String> upstream = DEFAULT_ORDER.subList(1, Math.max(1, position));
      requests = runThrough(upstream, requests);
    }
    pool = requests.toArray(new ExportTraceServiceRequest[0]);
    bytesInput = input.equals("bytes");
    wireInput = input.equals("wire");
    if (!bytesInput && !wireInput && !input.equals("strings")) {
      throw new IllegalArgumentException("input must be strings, bytes or wire, not " + input);
    }
    if (wireInput) {
      wirePool = new byte[pool.length][];
      for (int i = 0; i < pool.length; i++) {
        wirePool[i] = pool[i].toByteArray();
      }
    }

    // Build the chain back to front.
    TracesConsumer downstream = sink;
    for (int i = chain.size() - 1; i >= 0; i--) {
      String t = chain.get(i);
      if (Components.processorFactory(baseType(t)).isEmpty() && type.equals("default_chain")) {
        System.out.println("default_chain: " + t + " is not on the class path; left out");
        continue;
      }
      Processor p = Components.startProcessor(baseType(t), overrides(t), downstream);
      started.add(p);
      downstream = p;
    }
    head = downstream;
  }

  private static String baseType(String t) {
    return t.equals("tail_sampling_policies") ? "tail_sampling" : t;
  }

  /** Benchmark settings: sampling decided quickly, so buffered spans stay bounded. */
  static Map<String, Object> overrides(String type) {
    switch (type) {
      case "memory_limiter":
        // The limits have no default; these are what the gateway config of the load tool uses.
        return Map.of("limit_percentage", 80, "spike_limit_percentage", 20);
      case "tail_sampling":
        return Map.of(
            "decision_wait", "1s",
            "decision_wait_after_root", "200ms",
            "policies", List.of(Map.of("name", "keep-all", "type", "always_sample")));
      case "tail_sampling_policies":
        return Map.of(
            "decision_wait",
            "1s",
            "decision_wait_after_root",
            "200ms",
            "policies",
            List.of(
                Map.of(
                    "name", "errors",
                    "type", "status_code",
                    "status_code", Map.of("status_codes", List.of("ERROR"))),
                Map.of("name", "slow", "type", "latency", "latency", Map.of("threshold_ms", 20000)),
                Map.of(
                    "name", "ten-percent",
                    "type", "probabilistic",
                    "probabilistic", Map.of("sampling_percentage", 10.0))));
      default:
        return Map.of();
    }
  }

  /** Passes the requests through the processors found, in order; missing ones are skipped. */
  private static List<ExportTraceServiceRequest> runThrough(
      List<String> types, List<ExportTraceServiceRequest> requests) throws Exception {
    List<ExportTraceServiceRequest> current = requests;
    for (String t : types) {
      if (Components.processorFactory(t).isEmpty()) {
        System.out.println("input preparation: " + t + " is not on the class path; skipped");
        continue;
      }
      List<ExportTraceServiceRequest> out = new ArrayList<>();
      Processor p =
          Components.startProcessor(
              t,
              overrides(t),
              batch -> {
                synchronized (out) {
                  out.add(batch.toRequest());
                }
                return CompletableFuture.completedFuture(null);
              });
      for (ExportTraceServiceRequest r : current) {
        p.consume(TraceBatch.of(r)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      p.shutdown(Instant.now().plusSeconds(10));
      synchronized (out) {
        current = List.copyOf(out);
      }
    }
    return current;
  }

  @TearDown
  public void tearDown() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).shutdown(Instant.now().plusSeconds(5));
    }
    started.clear();
  }

  @Benchmark
  public long process() throws Exception {
    int i = next++ & (POOL - 1);
    TraceBatch batch =
        wireInput ? TraceBatch.ofWire(WireScan.of(wirePool[i])) : TraceBatch.of(pool[i]);
    generation++;
    batch.forEachSpan(bytesInput ? this::restampAsBytes : this::restamp);
    head.consume(batch).toCompletableFuture().get(10, TimeUnit.SECONDS);
    return delivered.sum();
  }

  private void restampAsBytes(SpanRecord span) {
    restamp(span);
    asBytes(span.attributes());
    for (SpanEvent e : span.events()) {
      asBytes(e.attributes());
    }
  }

  /** Each string value replaced by a fresh value over the pooled value's UTF-8 bytes. */
  private static void asBytes(AttributeView a) {
    for (int i = 0, n = a.size(); i < n; i++) {
      AnyValue v = a.value(i);
      if (v.hasStringValue()) {
        // The pooled value keeps its bytes (only fresh copies reach the processors).
        a.setValue(i, AnyValue.newBuilder().setStringValueBytes(v.getStringValueBytes()).build());
      }
    }
  }

  /** A fresh trace id per trace and operation: bytes 8–11 replaced by the operation counter. */
  private void restamp(SpanRecord span) {
    ByteString id = span.traceId();
    if (!id.equals(lastOriginal)) {
      byte[] b = id.toByteArray();
      b[8] = (byte) (generation >>> 24);
      b[9] = (byte) (generation >>> 16);
      b[10] = (byte) (generation >>> 8);
      b[11] = (byte) generation;
      lastOriginal = id;
      lastStamped = UnsafeByteOperations.unsafeWrap(b);
    }
    span.proto().setTraceId(lastStamped);
  }
}
