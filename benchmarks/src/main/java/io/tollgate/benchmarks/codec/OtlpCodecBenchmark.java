package io.tollgate.benchmarks.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tollgate.benchmarks.load.OtlpWire;
import io.tollgate.benchmarks.workload.GenAiWorkload;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling: what decoding and encoding OTLP costs per span of the GenAI workload, before any
 * processor runs. Scores are spans per second ({@link OperationsPerInvocation} is the request
 * size), so {@code gc.alloc.rate.norm} under {@code -prof gc} is bytes allocated per span.
 *
 * <ul>
 *   <li>{@code decode}: protobuf-java {@code parseFrom(byte[])}, every string decoded eagerly.
 *   <li>{@code decodeAliasedBuffer}: the same from a direct {@code ByteBuffer} with aliasing, as a
 *       receiver that keeps gRPC's buffers would do (ids alias; strings are still copied).
 *   <li>{@code encode}: {@code toByteArray()} of a decoded request (the exporter's side).
 *   <li>{@code passThroughModel}: bytes → decoded {@link TraceBatch} → bytes (decode, builder
 *       conversion, encode): what a pass-through pipeline did per span before the lazy batch, and
 *       still the codec's share in every pipeline with a processor that reads spans.
 *   <li>{@code decodeWire}: bytes → {@link WireScan} → {@link TraceBatch#ofWire} → decoded by a
 *       processor-like visit of every span (name read): the decode a pipeline pays as soon as one
 *       processor reads spans.
 *   <li>{@code decodeWireEncode}: the same, then {@code encode().bytes()}.
 *   <li>{@code decodeWireKeys}: {@code decodeWire}, then every attribute key of every span read as
 *       a String (a lookup of a key that is absent).
 *   <li>{@code scanSpans}: walks the wire format to count spans without building anything, a floor
 *       for a lazy decoder that forwards unchanged spans as raw bytes.
 *   <li>{@code passThroughWire}: what a pass-through pipeline does per span now: bytes → {@link
 *       WireScan} (validates every field and string as protobuf-java would, checks span ids) →
 *       {@link TraceBatch#ofWire} → {@code encode().bytes()}; one request in, the same request out,
 *       so the encoding is the received array itself.
 *   <li>{@code passThroughWireBatched}: the same for two requests merged into one batch, as the
 *       batch processor does, so the encoding is a copy of both.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar OtlpCodecBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(OtlpCodecBenchmark.SPANS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OtlpCodecBenchmark {

  /** Spans per request: the benchmark reports per span. */
  static final int SPANS = 100;

  private static final int POOL = 64; // a power of two

  private byte[][] encoded;
  private ByteBuffer[] direct;
  private ExportTraceServiceRequest[] decoded;
  private int next;

  @Setup
  public void setUp() throws IOException {
    io.tollgate.benchmarks.Logging.quiet();
    GenAiWorkload workload = GenAiWorkload.builder().seed(42).spansPerRequest(SPANS).build();
    List<ExportTraceServiceRequest> requests = workload.requests(POOL);
    encoded = new byte[POOL][];
    direct = new ByteBuffer[POOL];
    decoded = new ExportTraceServiceRequest[POOL];
    long bytes = 0;
    for (int i = 0; i < POOL; i++) {
      encoded[i] = requests.get(i).toByteArray();
      direct[i] = ByteBuffer.allocateDirect(encoded[i].length).put(encoded[i]).flip();
      decoded[i] = ExportTraceServiceRequest.parseFrom(encoded[i]);
      bytes += encoded[i].length;
    }
    System.out.printf(
        "%nworkload: %d requests of %d spans, %.0f bytes/request, %.0f bytes/span%n",
        POOL, SPANS, (double) bytes / POOL, (double) bytes / POOL / SPANS);
  }

  private int index() {
    return next++ & (POOL - 1);
  }

  @Benchmark
  public ExportTraceServiceRequest decode() throws IOException {
    return ExportTraceServiceRequest.parseFrom(encoded[index()]);
  }

  @Benchmark
  public ExportTraceServiceRequest decodeAliasedBuffer() throws IOException {
    ByteBuffer b = direct[index()].duplicate();
    CodedInputStream in = CodedInputStream.newInstance(b);
    in.enableAliasing(true);
    return ExportTraceServiceRequest.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
  }

  @Benchmark
  public byte[] encode() {
    return decoded[index()].toByteArray();
  }

  @Benchmark
  public byte[] passThroughModel() throws IOException {
    TraceBatch batch = TraceBatch.of(ExportTraceServiceRequest.parseFrom(encoded[index()]));
    return batch.toRequest().toByteArray();
  }

  /**
   * Scan, lazy batch, then decode it (what happens as soon as a processor reads spans): every span
   * visited, its name read.
   */
  @Benchmark
  public int decodeWire() {
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[index()]));
    int[] chars = new int[1];
    batch.forEachSpan(span -> chars[0] += span.name().length());
    return chars[0];
  }

  /**
   * {@link #decodeWire} then {@code encode().bytes()}: a pipeline whose processors read every span
   * and change none of it, the codec's share of the GenAI pipeline.
   */
  @Benchmark
  public byte[] decodeWireEncode() {
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[index()]));
    int[] chars = new int[1];
    batch.forEachSpan(span -> chars[0] += span.name().length());
    return batch.encode().bytes();
  }

  /**
   * {@link #decodeWire} with one attribute lookup per span of a key no span has, so every key is
   * read as a String (what each lookup of a processor does): the case that decides how keys are
   * decoded.
   */
  @Benchmark
  public int decodeWireKeys() {
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[index()]));
    int[] found = new int[1];
    batch.forEachSpan(span -> found[0] += span.attributes().indexOf("no.such.key"));
    return found[0];
  }

  @Benchmark
  public byte[] passThroughWire() {
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[index()]));
    return batch.encode().bytes();
  }

  @Benchmark
  @OperationsPerInvocation(2 * SPANS)
  public byte[] passThroughWireBatched() {
    TraceBatch batch = TraceBatch.ofWire(WireScan.of(encoded[index()]));
    batch.addAll(TraceBatch.ofWire(WireScan.of(encoded[index()])));
    return batch.encode().bytes();
  }

  @Benchmark
  public int scanSpans() {
    return OtlpWire.countSpans(encoded[index()]);
  }
}
