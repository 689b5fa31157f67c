package io.tollgate.benchmarks.codec;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.benchmarks.workload.GenAiWorkload;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The codec operations of {@link OtlpCodecBenchmark}, measured in <b>CPU time of the measuring
 * thread</b> instead of wall time: on a machine whose cores are shared with other work, JMH's
 * throughput swings by 2–10× between iterations, while the CPU a thread spends per span hardly
 * moves. Not a replacement for JMH (no forks, no blackhole; GC threads' CPU is not counted, so
 * compare the bytes allocated too), a complement for noisy machines.
 *
 * <p>Run: {@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar
 * io.tollgate.benchmarks.codec.CodecCpuTime [operation...]}; per operation 10 s of CPU warm-up,
 * then 5 rounds of 2 s of CPU; prints the median µs of CPU per span and bytes allocated per span.
 */
public final class CodecCpuTime {

  private static final int SPANS = OtlpCodecBenchmark.SPANS;
  private static final int POOL = 64;
  private static final String[] ALL = {
    "decode",
    "decodeWire",
    "decodeWireEncode",
    "decodeWireKeys",
    "passThroughModel",
    "passThroughWire",
    "scan"
  };

  private final byte[][] encoded = new byte[POOL][];
  private long sink;

  private CodecCpuTime() {
    List<ExportTraceServiceRequest> requests =
        GenAiWorkload.builder().seed(42).spansPerRequest(SPANS).build().requests(POOL);
    for (int i = 0; i < POOL; i++) {
      encoded[i] = requests.get(i).toByteArray();
    }
  }

  public static void main(String[] args) {
    io.tollgate.benchmarks.Logging.quiet();
    CodecCpuTime bench = new CodecCpuTime();
    for (String name : args.length > 0 ? args : ALL) {
      bench.run(name, bench.operation(name));
    }
    System.out.println(bench.sink == 42 ? "" : "done");
  }

  private IntFunction<Object> operation(String name) {
    switch (name) {
      case "decode":
        return i -> parse(encoded[i]);
      case "passThroughModel":
        return i -> TraceBatch.of(parse(encoded[i])).toRequest().toByteArray();
      case "decodeWire":
        return i -> {
          TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[i]));
          int[] chars = new int[1];
          batch.forEachSpan(span -> chars[0] += span.name().length());
          return chars[0];
        };
      case "decodeWireEncode":
        return i -> {
          TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[i]));
          int[] chars = new int[1];
          batch.forEachSpan(span -> chars[0] += span.name().length());
          return batch.encode().bytes();
        };
      case "decodeWireKeys":
        return i -> {
          TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[i]));
          int[] found = new int[1];
          batch.forEachSpan(span -> found[0] += span.attributes().indexOf("no.such.key"));
          return found[0];
        };
      case "passThroughWire":
        return i -> TraceBatch.ofWire(WireScan.of(encoded[i])).encode().bytes();
      case "scan":
        // The receiver's validation alone: every field walked, every string checked as UTF-8.
        return i -> WireScan.of(encoded[i]).spanCount();
      default:
        throw new IllegalArgumentException(
            "unknown operation " + name + "; one of " + Arrays.toString(ALL));
    }
  }

  private static ExportTraceServiceRequest parse(byte[] bytes) {
    try {
      return ExportTraceServiceRequest.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private void run(String name, IntFunction<Object> op) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    int next = 0;
    long warmStart = mx.getCurrentThreadCpuTime();
    while (mx.getCurrentThreadCpuTime() - warmStart < 10_000_000_000L) {
      for (int k = 0; k < 20; k++) {
        sink += op.apply(next++ & (POOL - 1)).hashCode();
      }
    }
    double[] micros = new double[5];
    double allocated = 0;
    for (int round = 0; round < micros.length; round++) {
      long ops = 0;
      long bytes0 = mx.getThreadAllocatedBytes(thread);
      long cpu0 = mx.getCurrentThreadCpuTime();
      long cpu1;
      while ((cpu1 = mx.getCurrentThreadCpuTime()) - cpu0 < 2_000_000_000L) {
        for (int k = 0; k < 20; k++) {
          sink += op.apply(next++ & (POOL - 1)).hashCode();
        }
        ops += 20;
      }
      long bytes1 = mx.getThreadAllocatedBytes(thread);
      micros[round] = (cpu1 - cpu0) / 1000.0 / (ops * SPANS);
      allocated += (double) (bytes1 - bytes0) / (ops * SPANS) / micros.length;
    }
    Arrays.sort(micros);
    System.out.printf(
        Locale.ROOT,
        "%-18s %6.2f µs CPU/span (min %.2f, max %.2f) = %,9.0f spans per CPU-second;"
            + " %,7.0f B/span%n",
        name,
        micros[2],
        micros[0],
        micros[4],
        1e6 / micros[2],
        allocated);
  }
}
