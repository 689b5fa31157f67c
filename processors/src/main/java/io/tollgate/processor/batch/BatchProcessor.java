package io.tollgate.processor.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Completions;
import io.tollgate.core.telemetry.CountSinceReport;
import io.tollgate.core.telemetry.Counts;
import io.tollgate.core.telemetry.MetricNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers spans and sends them on in larger batches: at once when {@code send_batch_size} spans are
 * buffered or their encoded size reaches {@code send_batch_max_bytes}, else when the oldest has
 * waited {@code timeout}. Batches sent are cut to at most {@code send_batch_max_size} spans and
 * {@code send_batch_max_bytes} bytes (a span larger than the byte cap goes alone, with a warning).
 *
 * <p><b>Why a byte cap.</b> LLM spans carry prompts and completions of kilobytes each, so 8192 of
 * them make a request of tens of megabytes: beyond the 4 MiB most gRPC backends accept (their
 * RESOURCE_EXHAUSTED is not retried, so the batch is lost), and a burden on the exporter's direct
 * memory and the garbage collector. Sizes are read from the wire for encoded batches, so the cap
 * costs no decoding.
 *
 * <p><b>Acceptance and its trade-off.</b> Upstream is answered as soon as its spans are buffered,
 * which is what makes batching cheap for clients. The price: when the next component later refuses
 * a flushed batch, nobody who could retry is waiting any more, so the spans are counted ({@code
 * tollgate_processor_downstream_refused_spans}), logged and lost. To keep that window and the
 * memory bounded, spans buffered plus spans sent but not yet accepted downstream may not exceed
 * {@code max_pending_spans}; beyond it new data is refused with a retryable "throttled" error (429
 * / RESOURCE_EXHAUSTED), so a slow backend pushes back on clients instead of growing the heap. With
 * {@code timeout: 0} nothing is buffered and downstream refusals reach the client.
 */
final class BatchProcessor implements Processor {

  private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

  static final String SEND_SIZE = "otelcol_processor_batch_batch_send_size";
  static final String SEND_SIZE_BYTES = "otelcol_processor_batch_batch_send_size_bytes";
  static final String TIMEOUT_TRIGGER = "otelcol_processor_batch_timeout_trigger_send";
  static final String SIZE_TRIGGER = "otelcol_processor_batch_batch_size_trigger_send";
  static final String BYTES_TRIGGER = "tollgate_processor_batch_bytes_trigger_send";
  static final String OVERSIZED = "tollgate_processor_batch_oversized_spans";
  static final String REFUSED = "otelcol_processor_refused_spans";
  static final String DOWNSTREAM_REFUSED = "tollgate_processor_downstream_refused_spans";
  static final String PENDING = "tollgate_processor_batch_pending_spans";

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  private final ComponentContext ctx;
  private final TracesConsumer next;
  private final int sendBatchSize;
  private final int sendBatchMaxSize;
  private final long maxBytes;
  private final Duration timeout;
  private final int maxPending;

  private final Object lock = new Object();
  // Guarded by lock.
  private TraceBatch buffer;
  private int buffered;
  private long bufferedBytes;
  private long inFlight;
  private ScheduledFuture<?> timer;
  private boolean closed;

  private final Set<CompletableFuture<Void>> sending = ConcurrentHashMap.newKeySet();
  private final DistributionSummary sendSize;
  private final DistributionSummary sendSizeBytes;
  private final Counter timeoutTriggers;
  private final Counter sizeTriggers;
  private final Counter bytesTriggers;
  private final Counter oversized;
  private final Counter refused;
  private final Counter downstreamRefused;
  private final CountSinceReport lostSinceReport = new CountSinceReport(LOG_INTERVAL);
  private final CountSinceReport oversizedSinceReport = new CountSinceReport(LOG_INTERVAL);

  /**
   * The collector's histogram buckets for {@code batch_send_size} and {@code
   * batch_send_size_bytes}, so that its dashboards' {@code histogram_quantile} over {@code _bucket}
   * works unchanged.
   */
  private static final double[] SEND_SIZE_BUCKETS = {
    10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000,
    20000, 30000, 50000, 100000
  };

  private static final double[] SEND_SIZE_BYTES_BUCKETS = {
    128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576,
    2097152, 4194304, 8388608, 16777216
  };

  BatchProcessor(BatchConfig config, ComponentContext ctx, TracesConsumer next) {
    this.ctx = ctx;
    this.next = next;
    this.sendBatchSize = config.sendBatchSize();
    this.sendBatchMaxSize = config.sendBatchMaxSize();
    this.maxBytes = config.maxBytes();
    this.timeout = config.timeout();
    this.maxPending = config.effectiveMaxPendingSpans();
    MeterRegistry r = ctx.meterRegistry();
    Tags tags =
        Tags.of(MetricNames.PROCESSOR, ctx.id().toString(), MetricNames.PIPELINE, ctx.pipeline());
    sendSize =
        // No base unit: Prometheus output would append it (batch_send_size_spans), not the
        // collector's name.
        DistributionSummary.builder(SEND_SIZE)
            .description("Number of spans in each batch sent.")
            .serviceLevelObjectives(SEND_SIZE_BUCKETS)
            .tags(tags)
            .register(r);
    sendSizeBytes =
        DistributionSummary.builder(SEND_SIZE_BYTES)
            .description("Encoded size of each batch sent.")
            .baseUnit("bytes")
            .serviceLevelObjectives(SEND_SIZE_BYTES_BUCKETS)
            .tags(tags)
            .register(r);
    timeoutTriggers =
        Counter.builder(TIMEOUT_TRIGGER)
            .description("Number of times the batch was sent due to a timeout trigger.")
            .tags(tags)
            .register(r);
    sizeTriggers =
        Counter.builder(SIZE_TRIGGER)
            .description("Number of times the batch was sent due to a size trigger.")
            .tags(tags)
            .register(r);
    bytesTriggers =
        Counter.builder(BYTES_TRIGGER)
            .description(
                "Number of times the batch was sent because its encoded size reached"
                    + " send_batch_max_bytes (before send_batch_size spans were buffered).")
            .tags(tags)
            .register(r);
    oversized =
        Counter.builder(OVERSIZED)
            .description(
                "Spans larger than send_batch_max_bytes on their own, sent alone in a batch over"
                    + " the cap.")
            .baseUnit("spans")
            .tags(tags)
            .register(r);
    refused =
        Counter.builder(REFUSED)
            .description("Spans refused because too many were waiting for the next component.")
            .baseUnit("spans")
            .tags(tags)
            .register(r);
    downstreamRefused =
        Counter.builder(DOWNSTREAM_REFUSED)
            .description(
                "Spans of sent batches that the next component refused after this processor had"
                    + " already accepted them; they are lost.")
            .baseUnit("spans")
            .tags(tags)
            .register(r);
    Gauge.builder(PENDING, this, BatchProcessor::pendingSpans)
        .description("Spans buffered or sent and not yet accepted by the next component.")
        .baseUnit("spans")
        .tags(tags)
        .register(r);
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    int n = batch.spanCount();
    if (n == 0) {
      return Completions.done();
    }
    // Free for encoded batches (read from the wire); a decoded one is built to be measured.
    long bytes = maxBytes > 0 ? batch.serializedSize() : 0;
    List<TraceBatch> toSend;
    Counter trigger = null;
    synchronized (lock) {
      if (closed || timeout.isZero()) {
        // Nothing is held: the caller gets the next component's own answer.
        toSend = null;
      } else {
        if (buffered + inFlight >= maxPending) {
          refused.increment(n);
          return CompletableFuture.failedFuture(
              RefusedException.throttled(
                  "batch "
                      + ctx.id()
                      + ": "
                      + Counts.of(buffered + inFlight, "span")
                      + " waiting for the next component (max_pending_spans "
                      + maxPending
                      + ")",
                  RETRY_AFTER));
        }
        if (buffer == null) {
          buffer = batch;
        } else {
          buffer.addAll(batch);
        }
        buffered += n;
        bufferedBytes += bytes;
        if (sendBatchSize > 0 && buffered >= sendBatchSize) {
          trigger = sizeTriggers;
        } else if (maxBytes > 0 && bufferedBytes >= maxBytes) {
          trigger = bytesTriggers;
        }
        if (trigger != null) {
          toSend = takeBySize();
        } else {
          toSend = List.of();
          if (timer == null) {
            timer = scheduleTimeout();
          }
        }
      }
    }
    if (toSend == null) {
      return sendDirect(batch);
    }
    if (!toSend.isEmpty()) {
      trigger.increment();
      for (TraceBatch b : toSend) {
        send(b);
      }
    }
    return Completions.done();
  }

  /**
   * Takes full batches out of the buffer. With a cap, the last, smaller piece stays buffered when
   * it is below both triggers, so that batches leave as full as they can. Holds the lock.
   */
  private List<TraceBatch> takeBySize() {
    List<TraceBatch> out = new ArrayList<>(cut(buffer, buffered, bufferedBytes));
    TraceBatch last = out.get(out.size() - 1);
    int lastCount = last.spanCount();
    long lastBytes = maxBytes > 0 ? last.serializedSize() : 0;
    boolean lastTriggers =
        (sendBatchSize > 0 && lastCount >= sendBatchSize)
            || (maxBytes > 0 && lastBytes >= maxBytes);
    if (out.size() > 1 && !lastTriggers) {
      out.remove(out.size() - 1);
      // What leaves is what was buffered less the piece kept: no need to count each piece.
      inFlight += buffered - lastCount;
      buffer = last;
      buffered = lastCount;
      bufferedBytes = lastBytes;
    } else {
      inFlight += buffered;
      buffer = null;
      buffered = 0;
      bufferedBytes = 0;
      cancelTimer();
    }
    if (buffer != null && timer == null) {
      timer = scheduleTimeout();
    }
    return out;
  }

  /** Holds the lock. */
  private List<TraceBatch> takeAll() {
    if (buffer == null) {
      return List.of();
    }
    List<TraceBatch> out = cut(buffer, buffered, bufferedBytes);
    inFlight += buffered;
    buffer = null;
    buffered = 0;
    bufferedBytes = 0;
    cancelTimer();
    return out;
  }

  /**
   * Cuts a batch of {@code spans} spans and {@code bytes} encoded bytes (0 when there is no byte
   * cap) to the caps, without decoding encoded parts. A span over the byte cap goes alone.
   */
  private List<TraceBatch> cut(TraceBatch b, int spans, long bytes) {
    boolean overBytes = maxBytes > 0 && bytes > maxBytes;
    if (!overBytes) {
      return sendBatchMaxSize > 0 && spans > sendBatchMaxSize
          ? b.split(sendBatchMaxSize)
          : List.of(b);
    }
    List<TraceBatch> pieces = b.split(sendBatchMaxSize, maxBytes);
    for (TraceBatch p : pieces) {
      if (p.spanCount() == 1) {
        long size = p.serializedSize();
        if (size > maxBytes) {
          oversized(size);
        }
      }
    }
    return pieces;
  }

  private void oversized(long size) {
    oversized.increment();
    long n = oversizedSinceReport.add(1);
    if (n > 0) {
      log.warn(
          "batch {}: {} span(s) since the last report were larger than send_batch_max_bytes ({}"
              + " bytes) on their own, the latest {} bytes; each is sent alone in a batch over the"
              + " cap, which the backend may refuse. Raise send_batch_max_bytes (and the"
              + " backend's receive limit) or truncate large attributes (the truncate processor)",
          ctx.id(),
          n,
          maxBytes,
          size);
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private ScheduledFuture<?> scheduleTimeout() {
    // The scheduler only hands the flush to the workers; it must never run pipeline work.
    return ctx.scheduler()
        .schedule(
            () -> {
              try {
                ctx.workers().execute(this::onTimeout);
              } catch (RejectedExecutionException e) {
                onTimeout();
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  private void onTimeout() {
    List<TraceBatch> toSend;
    synchronized (lock) {
      timer = null;
      toSend = takeAll();
    }
    if (!toSend.isEmpty()) {
      timeoutTriggers.increment();
      for (TraceBatch b : toSend) {
        send(b);
      }
    }
  }

  /** Sends a batch the upstream has already been answered for; refusals are counted and lost. */
  private void send(TraceBatch b) {
    int n = b.spanCount();
    record(b, n);
    CompletableFuture<Void> done = new CompletableFuture<>();
    sending.add(done);
    CompletionStage<Void> stage;
    try {
      stage = next.consume(b);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (ok, err) -> {
          synchronized (lock) {
            inFlight -= n;
          }
          if (err != null) {
            lost(n, Completions.unwrap(err));
          }
          sending.remove(done);
          done.complete(null);
        });
  }

  /** {@code timeout: 0} or after shutdown: pass through, splitting by the cap. */
  private CompletionStage<Void> sendDirect(TraceBatch batch) {
    List<TraceBatch> pieces =
        cut(batch, batch.spanCount(), maxBytes > 0 ? batch.serializedSize() : 0);
    CompletableFuture<?>[] stages = new CompletableFuture<?>[pieces.size()];
    for (int i = 0; i < pieces.size(); i++) {
      TraceBatch p = pieces.get(i);
      record(p, p.spanCount());
      try {
        stages[i] = next.consume(p).toCompletableFuture();
      } catch (RuntimeException e) {
        stages[i] = CompletableFuture.failedFuture(e);
      }
    }
    if (stages.length == 1) {
      @SuppressWarnings("unchecked")
      CompletableFuture<Void> only = (CompletableFuture<Void>) stages[0];
      return only;
    }
    return CompletableFuture.allOf(stages);
  }

  private void record(TraceBatch b, int spans) {
    sendSize.record(spans);
    // Only with a byte cap, which measures batches anyway: without one, a decoded batch would be
    // built just to be measured (encoded ones are free).
    if (maxBytes > 0) {
      sendSizeBytes.record(b.serializedSize());
    }
  }

  private void lost(int spans, Throwable cause) {
    downstreamRefused.increment(spans);
    long n = lostSinceReport.add(spans);
    if (n > 0) {
      log.warn(
          "batch {}: the next component refused {} already accepted spans since the last report;"
              + " they are lost ({}). Usually an exporter's sending queue is full: raise its"
              + " sending_queue.queue_size, or put memory_limiter first in the pipeline so that"
              + " clients are pushed back before batch accepts their spans",
          ctx.id(),
          n,
          cause.toString());
    }
  }

  private double pendingSpans() {
    synchronized (lock) {
      return buffered + inFlight;
    }
  }

  /** Sends what is buffered and waits, until the deadline, for the next component to take it. */
  @Override
  public void shutdown(Instant deadline) {
    List<TraceBatch> toSend;
    synchronized (lock) {
      closed = true;
      toSend = takeAll();
    }
    for (TraceBatch b : toSend) {
      send(b);
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(sending.toArray(new CompletableFuture<?>[0]));
    long waitNanos = Duration.between(Instant.now(), deadline).toNanos();
    try {
      all.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "batch {}: shutdown deadline reached with {} not yet accepted by the next component",
          ctx.id(),
          Counts.of((long) pendingSpans(), "span"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // The sends record their own failures.
    }
  }

  @Override
  public boolean readsSpans() {
    // It moves batches whole or cuts them on the wire; it never reads a span.
    return false;
  }

  @Override
  public boolean mutatesData() {
    // It merges the batches it is given into one.
    return true;
  }
}
