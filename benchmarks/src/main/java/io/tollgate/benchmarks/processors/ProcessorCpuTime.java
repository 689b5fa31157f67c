package io.tollgate.benchmarks.processors;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@link ProcessorBenchmark#process()} measured in the calling thread's CPU time and allocated
 * bytes per span, for a machine too loaded for JMH's wall-clock scores: another process on the same
 * cores stretches wall time far more than the CPU time of this thread (GC threads not included;
 * compare bytes per span for that).
 *
 * <p>Run: {@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar
 * io.tollgate.benchmarks.processors.ProcessorCpuTime none,redaction_clean strings,bytes 1000 500 5}
 * (processors, value forms, warm-up operations, operations per round, rounds; an operation is
 * {@value ProcessorBenchmark#SPANS} spans).
 *
 * <p>On a machine whose speed changes from minute to minute, count instructions instead: with
 * {@code -Dtollgate.bench.handshake=<dir>} and one processor, it writes the measuring thread's id
 * to {@code <dir>/tid} after the warm-up, waits for {@code <dir>/go}, runs the rounds and writes
 * the number of spans to {@code <dir>/done}, so that {@code perf stat -t} counts that thread over
 * the rounds alone. {@code benchmarks/thread-instructions.sh} does the handshake.
 */
public final class ProcessorCpuTime {

  private ProcessorCpuTime() {}

  public static void main(String[] args) throws Exception {
    String[] processors = args[0].split(",");
    String[] values = args[1].split(",");
    int warmup = Integer.parseInt(args[2]);
    int ops = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (String v : values) {
      for (String p : processors) {
        ProcessorBenchmark b = new ProcessorBenchmark();
        b.processor = p;
        b.input = v;
        b.setUp();
        for (int i = 0; i < warmup; i++) {
          b.process();
        }
        Handshake handshake = Handshake.fromSystemProperty();
        handshake.ready();
        double[] micros = new double[rounds];
        double bytes = 0;
        for (int r = 0; r < rounds; r++) {
          long c0 = mx.getCurrentThreadCpuTime();
          long a0 = mx.getThreadAllocatedBytes(thread);
          for (int i = 0; i < ops; i++) {
            b.process();
          }
          long c1 = mx.getCurrentThreadCpuTime();
          long a1 = mx.getThreadAllocatedBytes(thread);
          double spans = ops * (double) ProcessorBenchmark.SPANS;
          micros[r] = (c1 - c0) / 1000.0 / spans;
          bytes = (a1 - a0) / spans;
        }
        handshake.done((long) rounds * ops * ProcessorBenchmark.SPANS);
        b.tearDown();
        Arrays.sort(micros);
        System.out.printf(
            "%-24s %-8s CPU µs/span median %.2f (min %.2f, max %.2f)  bytes/span %.0f%n",
            p, v, micros[rounds / 2], micros[0], micros[rounds - 1], bytes);
      }
    }
  }

  /** The handshake with {@code thread-instructions.sh}, or nothing without the property. */
  private static final class Handshake {
    private final Path dir;

    private Handshake(Path dir) {
      this.dir = dir;
    }

    static Handshake fromSystemProperty() {
      String dir = System.getProperty("tollgate.bench.handshake");
      return new Handshake(dir == null ? null : Path.of(dir));
    }

    /** Says which thread measures, and waits until it is being counted. */
    void ready() throws Exception {
      if (dir == null) {
        return;
      }
      String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
      Path tmp = dir.resolve("tid.tmp");
      Files.writeString(tmp, tid);
      Files.move(tmp, dir.resolve("tid"));
      while (!Files.exists(dir.resolve("go"))) {
        Thread.sleep(10);
      }
    }

    void done(long spans) throws Exception {
      if (dir != null) {
        Files.writeString(dir.resolve("done"), Long.toString(spans));
      }
    }
  }
}
