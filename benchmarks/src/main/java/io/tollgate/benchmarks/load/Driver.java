package io.tollgate.benchmarks.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives one pipeline for one phase: flat out with a fixed number of requests in flight, or at a
 * fixed request rate. Refused exports (the collector's back-pressure) are retried after 5 ms (or
 * after the delay the collector asked for, with {@code --retry-delay hint}) and their latency runs
 * from the first attempt; failed ones are counted, not retried. Only exports acknowledged inside
 * the measurement window count, and latency at a fixed rate runs from the moment the request was
 * due, not from when it went out, so a stalled collector cannot hide behind a stalled sender
 * (coordinated omission).
 */
final class Driver {

  /** What one phase measured, client side. */
  record Result(
      double seconds,
      long spans,
      long bytes,
      long requests,
      long refused,
      long failedRequests,
      long rejectedSpans,
      long missedSends,
      Histogram latencyMicros,
      String lastError) {

    double spansPerSecond() {
      return spans / seconds;
    }

    double megabytesPerSecond() {
      return bytes / seconds / 1_000_000.0;
    }

    double percentileMillis(double p) {
      return latencyMicros.getTotalCount() == 0
          ? Double.NaN
          : latencyMicros.getValueAtPercentile(p) / 1000.0;
    }
  }

  /** Spans accepted by the collector over the whole run, per pipeline, for the loss check. */
  static final class Totals {
    final LongAdder acceptedSpans = new LongAdder();
    final LongAdder failedSpans = new LongAdder();
  }

  private final List<OtlpSender> senders;
  private final RequestPool pool;
  private final Totals totals;
  private final ExecutorService continuations;
  private final ScheduledExecutorService retries;

  /** A refused request is re-sent after this long: the harshest client the collector can face. */
  static final long FIXED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * Whether a refused request waits for the delay the collector asked for (as the OpenTelemetry
   * SDKs' OTLP exporters do), instead of {@link #FIXED_RETRY_NANOS}.
   */
  private final boolean honourRetryHint;

  Driver(List<OtlpSender> senders, RequestPool pool, Totals totals) {
    this(senders, pool, totals, false);
  }

  Driver(List<OtlpSender> senders, RequestPool pool, Totals totals, boolean honourRetryHint) {
    this.honourRetryHint = honourRetryHint;
    this.senders = senders;
    this.pool = pool;
    this.totals = totals;
    this.continuations =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "load-driver");
              t.setDaemon(true);
              return t;
            });
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "load-retry");
              t.setDaemon(true);
              return t;
            });
  }

  void close() {
    continuations.shutdownNow();
    retries.shutdownNow();
  }

  /** Accumulates one phase. */
  private final class Window {
    final long measureStart;
    final long end;
    final Recorder latency = new Recorder(60_000_000L, 3);
    final LongAdder spans = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder missed = new LongAdder();
    volatile String lastError = "";

    /** Each acknowledgement in the window (wall-clock ms, latency µs), or null when not logged. */
    final Queue<long[]> acks;

    Window(long measureStart, long end) {
      this(measureStart, end, false);
    }

    Window(long measureStart, long end, boolean logAcks) {
      this.measureStart = measureStart;
      this.end = end;
      this.acks = logAcks ? new ConcurrentLinkedQueue<>() : null;
    }

    /**
     * Writes one line per acknowledged request, in the order they were acknowledged: the UTC time
     * of the acknowledgement and its latency, so that a slow stretch can be laid against the GC
     * logs and the machine's load.
     */
    void writeAcks(Path file) {
      List<long[]> rows = new ArrayList<>(acks);
      rows.sort(Comparator.comparingLong(r -> r[0]));
      try (BufferedWriter w = Files.newBufferedWriter(file)) {
        w.write("acknowledged_utc,latency_ms\n");
        for (long[] r : rows) {
          w.write(Instant.ofEpochMilli(r[0]).toString());
          w.write(',');
          w.write(String.format(Locale.ROOT, "%.3f", r[1] / 1000.0));
          w.write('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not write " + file, e);
      }
    }

    void record(long startNanos, OtlpSender.Ack ack, RequestPool.Request r) {
      long now = System.nanoTime();
      if (ack.outcome() == OtlpSender.Outcome.OK) {
        totals.acceptedSpans.add(r.spans() - ack.rejectedSpans());
      } else {
        totals.failedSpans.add(r.spans());
      }
      if (now < measureStart || now > end) {
        return;
      }
      if (ack.outcome() == OtlpSender.Outcome.OK) {
        spans.add(r.spans() - ack.rejectedSpans());
        bytes.add(r.body().length);
        requests.increment();
        rejected.add(ack.rejectedSpans());
        long micros = Math.max(0, Math.min(60_000_000L, (now - startNanos) / 1000));
        latency.recordValue(micros);
        if (acks != null) {
          acks.add(new long[] {System.currentTimeMillis(), micros});
        }
      } else {
        failed.increment();
        lastError = ack.detail();
      }
    }

    Result result() {
      double seconds = (end - measureStart) / 1e9;
      return new Result(
          seconds,
          spans.sum(),
          bytes.sum(),
          requests.sum(),
          refused.sum(),
          failed.sum(),
          rejected.sum(),
          missed.sum(),
          latency.getIntervalHistogram(),
          lastError);
    }
  }

  /** Sends with retry on refusal; the future completes with the final ack. */
  private CompletableFuture<OtlpSender.Ack> sendUntilAccepted(
      OtlpSender sender, byte[] body, Window w) {
    CompletableFuture<OtlpSender.Ack> done = new CompletableFuture<>();
    attempt(sender, body, w, done);
    return done;
  }

  private void attempt(
      OtlpSender sender, byte[] body, Window w, CompletableFuture<OtlpSender.Ack> done) {
    sender
        .send(body)
        .thenAccept(
            ack -> {
              if (ack.outcome() == OtlpSender.Outcome.REFUSED
                  && System.nanoTime() < w.end + 30_000_000_000L) {
                w.refused.increment();
                long delay =
                    honourRetryHint && ack.retryAfterNanos() >= 0
                        ? ack.retryAfterNanos()
                        : FIXED_RETRY_NANOS;
                retries.schedule(() -> attempt(sender, body, w, done), delay, TimeUnit.NANOSECONDS);
              } else {
                done.complete(ack);
              }
            });
  }

  /** Flat out: {@code inFlight} requests outstanding at all times, for warm-up plus measure. */
  Result flatOut(int inFlight, long warmupNanos, long measureNanos) throws InterruptedException {
    long start = System.nanoTime();
    Window w = new Window(start + warmupNanos, start + warmupNanos + measureNanos);
    CountDownLatch lanes = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      OtlpSender sender = senders.get(i % senders.size());
      continuations.execute(() -> lane(sender, w, lanes));
    }
    // Bounded: a lane ends when its last request is answered, and requests time out after 30 s.
    if (!lanes.await(
        measureNanos / 1_000_000 + warmupNanos / 1_000_000 + 90_000, TimeUnit.MILLISECONDS)) {
      w.lastError = "some requests never finished";
    }
    return w.result();
  }

  private void lane(OtlpSender sender, Window w, CountDownLatch lanes) {
    if (System.nanoTime() >= w.end) {
      lanes.countDown();
      return;
    }
    RequestPool.Request r = pool.next();
    long t0 = System.nanoTime();
    sendUntilAccepted(sender, r.body(), w)
        .thenAcceptAsync(
            ack -> {
              w.record(t0, ack, r);
              lane(sender, w, lanes);
            },
            continuations);
  }

  /**
   * At a fixed rate of requests per second, at most {@code maxInFlight} outstanding (a due request
   * that finds them all busy is not sent and is counted as missed: a rate that misses is above what
   * the collector sustains). When {@code ackLog} is not null, every acknowledgement of the
   * measurement window is written to it (see {@link Window#writeAcks}).
   */
  Result fixedRate(
      double requestsPerSecond, int maxInFlight, long warmupNanos, long measureNanos, Path ackLog)
      throws InterruptedException {
    long start = System.nanoTime();
    Window w = new Window(start + warmupNanos, start + warmupNanos + measureNanos, ackLog != null);
    long interval = (long) (1e9 / requestsPerSecond);
    AtomicInteger outstanding = new AtomicInteger();
    AtomicLong sent = new AtomicLong();
    for (long k = 0; ; k++) {
      long due = start + k * interval;
      if (due >= w.end) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (outstanding.get() >= maxInFlight) {
        w.missed.increment();
        continue;
      }
      outstanding.incrementAndGet();
      OtlpSender sender = senders.get((int) (sent.getAndIncrement() % senders.size()));
      RequestPool.Request r = pool.next();
      sendUntilAccepted(sender, r.body(), w)
          .thenAccept(
              ack -> {
                w.record(due, ack, r);
                outstanding.decrementAndGet();
              });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (ackLog != null) {
      w.writeAcks(ackLog);
    }
    return w.result();
  }
}
