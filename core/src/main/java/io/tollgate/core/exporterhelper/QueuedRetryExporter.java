package io.tollgate.core.exporterhelper;

import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.Exporter;
import io.tollgate.core.component.PermanentException;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Completions;
import io.tollgate.core.telemetry.Counts;
import io.tollgate.core.telemetry.MetricNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Exporter} made of a {@link Sender} plus the collector's exporterhelper behaviour
 * (named after the collector's original {@code queued_retry}):
 *
 * <ul>
 *   <li><b>Queue</b> ({@code sending_queue.enabled}): {@link #consume} puts the batch in a bounded
 *       {@link SendingQueue} and completes at once; when the queue is full it fails with {@link
 *       RefusedException#throttled} and counts {@code otelcol_exporter_enqueue_failed_spans}, so a
 *       slow backend costs only its own exporter (the fan-out isolates the refusal).
 *   <li><b>Consumers</b>: at most {@code num_consumers} requests are being sent or waiting for a
 *       retry at once. They are not threads: sends are asynchronous, waits are timers, and the
 *       work runs on the context's shared workers.
 *   <li><b>Byte budget</b> ({@code max_in_flight_bytes}): an attempt starts only when the encoded
 *       bytes of the attempts awaiting the backend plus its own fit in the budget, or when none
 *       awaits (so one request larger than the budget still goes, alone). Attempts that do not fit
 *       wait in arrival order, and while one waits no further request leaves the queue. Bytes are
 *       held from the send until its answer (success or failure); a request waiting for its retry
 *       holds none. Why: a gRPC transport holds a request whole in direct buffers until it is
 *       written, and {@code num_consumers} requests of several MiB each are more than a JVM with
 *       {@code -XX:MaxDirectMemorySize=64m} has next to its receiver.
 *   <li><b>Retry</b>: retryable results are tried again after an exponential backoff with jitter,
 *       or after the delay the server asked for when longer, until {@code max_elapsed_time};
 *       permanent failures and partial successes are never retried.
 *   <li><b>No queue</b>: {@link #consume} sends (with retries) and completes when the backend has
 *       the data, failing with {@link RefusedException#unavailable} when retries ran out and
 *       {@link PermanentException} when the backend refused the data for good. {@code
 *       num_consumers} does not apply (the callers bound how many they send); the byte budget does:
 *       an attempt that does not fit waits, and its caller with it.
 *   <li><b>Shutdown</b>: stops accepting, keeps sending until the queue is empty or the deadline
 *       passes (a retry that would start after the deadline is given up at once), then logs one
 *       line with the spans that could not be delivered.
 * </ul>
 *
 * <p>Metrics, tagged {@code exporter=<id>}: {@code otelcol_exporter_sent_spans}, {@code
 * _send_failed_spans} (permanent failures, retries given up, spans rejected in a partial success,
 * spans dropped at shutdown), {@code _enqueue_failed_spans}, {@code _queue_size}, {@code
 * _queue_capacity} (both in requests; only with a queue) and {@code _in_flight_requests} (send
 * calls awaiting the backend's answer); ours: {@code tollgate_exporter_in_flight_bytes} (their
 * encoded bytes), {@code tollgate_exporter_in_flight_bytes_limit} (the budget; 0 when off) and
 * {@code tollgate_exporter_waiting_for_bytes_requests} (attempts waiting for the budget).
 */
public final class QueuedRetryExporter implements Exporter {

  private static final Logger log = LoggerFactory.getLogger(QueuedRetryExporter.class);
  private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  static final String IN_FLIGHT_BYTES = "tollgate_exporter_in_flight_bytes";
  static final String IN_FLIGHT_BYTES_LIMIT = "tollgate_exporter_in_flight_bytes_limit";
  static final String WAITING_FOR_BYTES = "tollgate_exporter_waiting_for_bytes_requests";

  private enum State {
    NEW,
    RUNNING,
    DRAINING,
    STOPPED
  }

  private final String id;
  private final Sender sender;
  private final RetrySettings retry;
  private final SendingQueue queue; // null: send directly from consume
  private final int numConsumers;
  /** {@code max_in_flight_bytes}; 0: no byte budget. */
  private final long maxInFlightBytes;
  private final ScheduledExecutorService scheduler;
  private final Executor workers;
  private final ExporterMetrics metrics;
  private final DoubleSupplier random;
  private final RateLimitedLog dropLog;
  private final RateLimitedLog partialLog;
  private final RateLimitedLog retryLog;
  private final RateLimitedLog oversizeLog;

  /** Consumer slots taken: a slot is held from poll until the request is finished. */
  private final AtomicInteger busyConsumers = new AtomicInteger();
  /** Direct sends (no queue) not finished yet. */
  private final AtomicInteger directPending = new AtomicInteger();
  /** Send calls awaiting the backend. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Every request taken from the queue or sent directly and not finished. */
  private final Set<Delivery> active = ConcurrentHashMap.newKeySet();
  /** Spans given up during shutdown because the deadline came first. */
  private final AtomicLong lostDuringDrain = new AtomicLong();

  /** Guards {@link #inFlightBytes} and {@link #waitingForBytes} together. */
  private final Object budget = new Object();
  /** Encoded bytes of the send calls awaiting the backend (counted with or without a budget). */
  private long inFlightBytes;
  /** Attempts that did not fit in the budget, oldest first; started as bytes are released. */
  private final ArrayDeque<Delivery> waitingForBytes = new ArrayDeque<>();
  private volatile int waitingForBytesCount;

  private final Object lifecycle = new Object();
  private volatile State state = State.NEW;
  private volatile long deadlineNanos;
  private volatile CompletableFuture<Void> drained;

  private QueuedRetryExporter(Builder b) {
    this.id = b.context.id().toString();
    this.sender = b.sender;
    this.retry = b.retry;
    this.queue = b.queue;
    this.numConsumers = b.queueSettings.numConsumers();
    this.maxInFlightBytes = b.queueSettings.maxInFlightBytes().bytes();
    if (maxInFlightBytes > DirectMemory.MAX) {
      log.warn(
          "Exporter {}: sending_queue.max_in_flight_bytes ({}) is more than this JVM's direct"
              + " memory ({}): a gRPC exporter may run out of it while sending; lower it or raise"
              + " -XX:MaxDirectMemorySize",
          id,
          b.queueSettings.maxInFlightBytes(),
          new ByteSize(DirectMemory.MAX));
    }
    this.scheduler = b.context.scheduler();
    this.workers = b.context.workers();
    this.random = b.random;
    this.metrics = new ExporterMetrics(b.context.meterRegistry(), id);
    this.dropLog = new RateLimitedLog(log, LOG_INTERVAL);
    this.partialLog = new RateLimitedLog(log, LOG_INTERVAL);
    this.retryLog = new RateLimitedLog(log, LOG_INTERVAL);
    this.oversizeLog = new RateLimitedLog(log, LOG_INTERVAL);
    if (queue != null) {
      metrics.gauge(
          MetricNames.EXPORTER_QUEUE_SIZE,
          "Current size of the retry queue (in batches).",
          queue::size);
      metrics.gauge(
          MetricNames.EXPORTER_QUEUE_CAPACITY,
          "Fixed capacity of the retry queue (in batches).",
          queue::capacity);
    }
    metrics.gauge(
        MetricNames.EXPORTER_IN_FLIGHT_REQUESTS,
        "Number of export requests awaiting the destination's answer.",
        inFlight::get);
    metrics.gauge(
        IN_FLIGHT_BYTES,
        "Encoded bytes of the export requests awaiting the destination's answer.",
        this::inFlightBytes);
    metrics.gauge(
        IN_FLIGHT_BYTES_LIMIT,
        "sending_queue.max_in_flight_bytes: the most bytes of requests awaiting the"
            + " destination's answer before others wait (0: no limit).",
        () -> maxInFlightBytes);
    metrics.gauge(
        WAITING_FOR_BYTES,
        "Export requests waiting for in-flight bytes to be answered before they are sent.",
        () -> waitingForBytesCount);
  }

  private long inFlightBytes() {
    synchronized (budget) {
      return inFlightBytes;
    }
  }

  /** Starts building an exporter that sends with {@code sender}. */
  public static Builder builder(ComponentContext context, Sender sender) {
    return new Builder(context, sender);
  }

  @Override
  public void start() throws Exception {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        throw new IllegalStateException("exporter " + id + " was already started");
      }
      sender.start();
      state = State.RUNNING;
    }
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    int spans = batch.spanCount();
    if (spans == 0) {
      return Completions.done();
    }
    QueuedRequest request;
    try {
      request = new QueuedRequest(batch.encode());
    } catch (OutOfMemoryError e) {
      // No room to encode the request: push back, as the memory_limiter would, so that the
      // caller counts it (or its sender retries) instead of losing it without a trace.
      metrics.enqueueFailed(spans);
      return CompletableFuture.failedFuture(
          RefusedException.unavailable(
              "exporter "
                  + id
                  + " has no memory to encode "
                  + Counts.of(spans, "span")
                  + ": "
                  + e.getMessage()));
    }
    if (queue == null) {
      return sendDirectly(request);
    }
    if (state != State.RUNNING) {
      metrics.enqueueFailed(spans);
      return CompletableFuture.failedFuture(notRunning());
    }
    if (!queue.offer(request)) {
      metrics.enqueueFailed(spans);
      if (state != State.RUNNING) {
        return CompletableFuture.failedFuture(notRunning());
      }
      return CompletableFuture.failedFuture(
          RefusedException.throttled(
              "the sending queue of exporter "
                  + id
                  + " is full ("
                  + Counts.of(queue.capacity(), "batch", "batches")
                  + "): its backend is slower than the input or down",
              null));
    }
    dispatch();
    return Completions.done();
  }

  private RefusedException notRunning() {
    return RefusedException.unavailable(
        "exporter " + id + (state == State.NEW ? " has not started" : " is shutting down"));
  }

  private CompletionStage<Void> sendDirectly(QueuedRequest request) {
    // Count first, check second: shutdown sets the state first and counts second, so one of the
    // two always sees the other.
    directPending.incrementAndGet();
    if (state != State.RUNNING) {
      directPending.decrementAndGet();
      checkDrained();
      return CompletableFuture.failedFuture(notRunning());
    }
    Delivery d = new Delivery(request, null, new CompletableFuture<>());
    active.add(d);
    attempt(d);
    return d.caller;
  }

  /** Hands waiting requests to free consumer slots. Safe to call from any thread, any time. */
  private void dispatch() {
    while (state == State.RUNNING || state == State.DRAINING) {
      if (waitingForBytesCount > 0) {
        // The budget is spent: requests stay in the queue (counted in its size, kept by a
        // persistent queue) rather than leaving it to wait here. Releasing bytes calls us again.
        return;
      }
      int busy = busyConsumers.get();
      if (busy >= numConsumers) {
        return; // a finishing consumer calls dispatch again
      }
      if (!busyConsumers.compareAndSet(busy, busy + 1)) {
        continue;
      }
      SendingQueue.Lease lease = queue.poll();
      if (lease == null) {
        busyConsumers.decrementAndGet();
        // A producer may have offered after our poll but seen every slot busy: look again.
        if (queue.size() == 0) {
          checkDrained();
          return;
        }
        continue;
      }
      Delivery d = new Delivery(lease.request(), lease, null);
      active.add(d);
      // Reserved here, not on the worker: the next turn of this loop must see whether it fits.
      if (reserveBytes(d)) {
        runOnWorkers(() -> send(d));
      }
    }
  }

  /** Starts an attempt of {@code d} if its bytes fit in the budget, else queues it for them. */
  private void attempt(Delivery d) {
    if (d.finished.get()) {
      return;
    }
    d.waiting = false;
    if (reserveBytes(d)) {
      send(d);
    }
  }

  /**
   * Takes {@code d}'s bytes from the budget when they fit (or when nothing is in flight) and no
   * older attempt waits; otherwise puts {@code d} at the end of the waiting line.
   *
   * @return whether the caller may send {@code d} now
   */
  private boolean reserveBytes(Delivery d) {
    long size = d.request.traces().size();
    if (size > maxInFlightBytes && maxInFlightBytes > 0 && d.attempts == 0) {
      oversizeLog.warn(
          "Exporter {}: a request of {} ({}) is larger than sending_queue.max_in_flight_bytes"
              + " ({}), so it is sent alone, when nothing else is in flight; lower the batch"
              + " processor's send_batch_max_bytes below the budget, or raise the budget",
          id,
          new ByteSize(size),
          Counts.of(d.request.spanCount(), "span"),
          new ByteSize(maxInFlightBytes));
    }
    synchronized (budget) {
      if (waitingForBytes.isEmpty() && fits(size)) {
        inFlightBytes += size;
        d.heldBytes = size;
        return true;
      }
      waitingForBytes.addLast(d);
      waitingForBytesCount = waitingForBytes.size();
      return false;
    }
  }

  /** Under {@link #budget}. A request larger than the budget goes when nothing else is out. */
  private boolean fits(long size) {
    return maxInFlightBytes == 0
        || inFlightBytes == 0
        || inFlightBytes + size <= maxInFlightBytes;
  }

  /**
   * Gives back what {@code d}'s attempt held and starts the waiting attempts that now fit, oldest
   * first (a large one at the head is not overtaken by smaller ones behind it, so it cannot
   * starve).
   */
  private void releaseBytes(Delivery d) {
    List<Delivery> ready = null;
    synchronized (budget) {
      inFlightBytes -= d.heldBytes;
      d.heldBytes = 0;
      Delivery next;
      while ((next = waitingForBytes.peekFirst()) != null) {
        if (next.finished.get()) {
          waitingForBytes.pollFirst(); // abandoned at the shutdown deadline
          continue;
        }
        long size = next.request.traces().size();
        if (!fits(size)) {
          break;
        }
        waitingForBytes.pollFirst();
        inFlightBytes += size;
        next.heldBytes = size;
        if (ready == null) {
          ready = new ArrayList<>(2);
        }
        ready.add(next);
      }
      waitingForBytesCount = waitingForBytes.size();
    }
    if (ready != null) {
      for (Delivery r : ready) {
        runOnWorkers(() -> send(r));
      }
    }
    if (queue != null && waitingForBytesCount == 0) {
      dispatch(); // consumer slots may be free that the waiting line kept from the queue
    }
  }

  /** One attempt of {@code d}, whose bytes are reserved. */
  private void send(Delivery d) {
    if (d.finished.get()) {
      releaseBytes(d); // abandoned at the shutdown deadline while it waited for bytes
      return;
    }
    if (d.attempts++ == 0) {
      d.firstAttemptNanos = System.nanoTime();
    }
    inFlight.incrementAndGet();
    CompletionStage<SendResult> stage;
    try {
      stage = sender.send(d.request.traces());
    } catch (RuntimeException e) {
      // A sender that throws has a bug or a broken config; trying again would throw again.
      dropLog.warn("Exporter {}: {} failed to send", id, sender, e);
      stage = CompletableFuture.completedFuture(SendResult.permanent("the sender failed: " + e));
    } catch (OutOfMemoryError e) {
      // Usually the transport could not reserve direct memory for a large request while many
      // were in flight. That passes once the others are written, so it is retried (with backoff)
      // rather than escaping: an escaping error would leave this delivery unfinished, and its
      // spans neither sent nor counted.
      dropLog.warn(
          "Exporter {}: out of memory while sending {} ({}) with {} in flight; retrying. If"
              + " this repeats, lower sending_queue.max_in_flight_bytes (now {}) or the"
              + " receiver's admission.request_limit_mib, or give the JVM more direct memory"
              + " (-XX:MaxDirectMemorySize); see the README's \"Sizing direct memory\"",
          id,
          Counts.of(d.request.spanCount(), "span"),
          e.getMessage(),
          new ByteSize(inFlightBytes()),
          maxInFlightBytes == 0 ? "0, no limit" : new ByteSize(maxInFlightBytes));
      stage = CompletableFuture.completedFuture(SendResult.retryable("out of memory: " + e));
    }
    stage.whenComplete(
        (result, error) -> {
          inFlight.decrementAndGet();
          // Before the result is handled: a retry must not keep bytes while it waits.
          releaseBytes(d);
          SendResult r;
          if (error != null) {
            r = SendResult.retryable(String.valueOf(Completions.unwrap(error)));
          } else if (result == null) {
            r = SendResult.permanent("the sender returned no result");
          } else {
            r = result;
          }
          onResult(d, r);
        });
  }

  private void onResult(Delivery d, SendResult r) {
    if (d.finished.get()) {
      return; // abandoned at the shutdown deadline; already counted
    }
    int spans = d.request.spanCount();
    switch (r.kind()) {
      case SUCCESS:
        finish(d, spans, 0, null);
        break;
      case PARTIAL_SUCCESS:
        long rejected = Math.min(r.rejectedSpans(), spans);
        if (rejected > 0 || !r.message().isEmpty()) {
          partialLog.warn(
              "Exporter {}: the backend took the request but rejected {} of its {}: {}",
              id,
              rejected,
              Counts.of(spans, "span"),
              r.message().isEmpty() ? "(no message)" : r.message());
        }
        finish(d, spans - rejected, rejected, null);
        break;
      case PERMANENT:
        dropLog.warn(
            "Exporter {}: dropping {}: {} refused the request and retrying cannot help: {}",
            id,
            Counts.of(spans, "span"),
            sender,
            r.message());
        finish(
            d,
            0,
            spans,
            new PermanentException("exporter " + id + " could not send: " + r.message(), false));
        break;
      default:
        retryLater(d, r);
    }
  }

  private void retryLater(Delivery d, SendResult r) {
    String giveUp;
    boolean deadline = false;
    if (!retry.enabled()) {
      giveUp = "retry_on_failure is disabled";
    } else {
      Duration wait = d.backoff.next();
      if (r.retryAfter().isPresent() && r.retryAfter().get().compareTo(wait) > 0) {
        wait = r.retryAfter().get();
      }
      long at = System.nanoTime() + wait.toNanos();
      long maxElapsed = retry.maxElapsedTime().toNanos();
      if (maxElapsed > 0 && at - d.firstAttemptNanos > maxElapsed) {
        giveUp = "retries ran out (max_elapsed_time " + Durations.format(retry.maxElapsedTime()) + ")";
      } else if (state != State.RUNNING && at - deadlineNanos > 0) {
        giveUp = "the shutdown deadline comes before the next retry";
        deadline = true;
      } else {
        d.retryAtNanos = at;
        d.waiting = true;
        try {
          d.timer =
              scheduler.schedule(
                  () -> runOnWorkers(() -> attempt(d)), wait.toNanos(), TimeUnit.NANOSECONDS);
          log.debug("Exporter {}: attempt {} failed ({}); retrying in {}", id, d.attempts, r, wait);
          // Shutdown may have begun while we scheduled: its sweep may have missed us.
          if (state == State.RUNNING || at - deadlineNanos <= 0) {
            // A backend that is down must be visible before retries run out (minutes later),
            // with the reason; the collector logs every retry, we at most one line per interval.
            retryLog.warn(
                "Exporter {}: sending {} failed (attempt {}): {}; retrying in {}, for up to"
                    + " retry_on_failure.max_elapsed_time ({})",
                id,
                Counts.of(d.request.spanCount(), "span"),
                d.attempts,
                r.message(),
                readable(wait),
                maxElapsed > 0 ? Durations.format(retry.maxElapsedTime()) : "no limit");
            return;
          }
          d.timer.cancel(false);
          giveUp = "the shutdown deadline comes before the next retry";
          deadline = true;
        } catch (RejectedExecutionException e) {
          giveUp = "the timer is stopped";
        }
      }
    }
    giveUp(d, giveUp, r.message(), deadline);
  }

  /** A jittered wait, for people: {@code 4.2s} or {@code 350ms}, not nanoseconds. */
  private static String readable(Duration wait) {
    long millis = wait.toMillis();
    return millis < 1000
        ? millis + "ms"
        : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  private void giveUp(Delivery d, String why, String lastError, boolean becauseOfDeadline) {
    int spans = d.request.spanCount();
    if (becauseOfDeadline) {
      // Claim and count under the lock that shutdown's final tally holds, and before releasing
      // (which may complete the drain): the one-line summary then never misses these spans.
      synchronized (lifecycle) {
        if (!d.finished.compareAndSet(false, true)) {
          return;
        }
        lostDuringDrain.addAndGet(spans);
      }
    } else {
      if (!d.finished.compareAndSet(false, true)) {
        return;
      }
      dropLog.warn(
          "Exporter {}: dropping {} after {}: {}; last error: {}",
          id,
          Counts.of(spans, "span"),
          Counts.of(d.attempts, "attempt"),
          why,
          lastError);
    }
    release(
        d,
        0,
        spans,
        RefusedException.unavailable(
            "exporter "
                + id
                + " could not send after "
                + Counts.of(d.attempts, "attempt")
                + ": "
                + lastError));
  }

  /** Counts and releases a request, unless it was finished already. */
  private void finish(Delivery d, long sent, long failed, RuntimeException error) {
    if (d.finished.compareAndSet(false, true)) {
      release(d, sent, failed, error);
    }
  }

  /** The second half of finishing, after the caller won {@code d.finished}. */
  private void release(Delivery d, long sent, long failed, RuntimeException error) {
    active.remove(d);
    metrics.sent(sent);
    metrics.sendFailed(failed);
    if (d.lease != null) {
      d.lease.complete();
      busyConsumers.decrementAndGet();
      dispatch();
    } else {
      directPending.decrementAndGet();
      if (error == null) {
        d.caller.complete(null);
      } else {
        d.caller.completeExceptionally(error);
      }
    }
    checkDrained();
  }

  private void checkDrained() {
    CompletableFuture<Void> f = drained;
    if (f != null
        && busyConsumers.get() == 0
        && directPending.get() == 0
        && (queue == null || queue.size() == 0)) {
      f.complete(null);
    }
  }

  private void runOnWorkers(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // the workers are stopping; do not lose the request because of it
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    long remaining;
    synchronized (lifecycle) {
      if (state == State.DRAINING || state == State.STOPPED) {
        return;
      }
      if (state == State.NEW) {
        state = State.STOPPED;
        if (queue != null) {
          queue.close();
        }
        sender.shutdown();
        metrics.close();
        return;
      }
      remaining = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
      deadlineNanos = System.nanoTime() + remaining;
      drained = new CompletableFuture<>();
      state = State.DRAINING;
    }
    // A retry that would start after the deadline cannot succeed in time: stop waiting for it.
    for (Delivery d : active) {
      if (d.waiting && d.retryAtNanos - deadlineNanos > 0) {
        ScheduledFuture<?> t = d.timer;
        if (t != null) {
          t.cancel(false);
        }
        giveUp(d, "shutting down", "the shutdown deadline comes before the next retry", true);
      }
    }
    checkDrained();
    try {
      drained.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Deadline reached: what is left is counted below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long abandonedSpans = 0;
    int abandonedRequests = 0;
    long gaveUp;
    List<Delivery> abandoned = new ArrayList<>();
    synchronized (lifecycle) {
      state = State.STOPPED;
      for (Delivery d : active) {
        if (abandon(d)) {
          abandoned.add(d);
          abandonedSpans += d.request.spanCount();
          abandonedRequests++;
        }
      }
      gaveUp = lostDuringDrain.get();
    }
    // Outside the lock: completing a caller's future runs the caller's callbacks.
    for (Delivery d : abandoned) {
      if (d.caller != null) {
        d.caller.completeExceptionally(
            RefusedException.unavailable(
                "exporter " + id + " stopped before the batch could be delivered"));
      }
    }
    long queuedSpans = 0;
    int queuedRequests = 0;
    if (queue != null) {
      for (QueuedRequest r : queue.close()) {
        queuedSpans += r.spanCount();
        queuedRequests++;
      }
    }
    // An in-memory queue hands back what was left; a persistent one keeps it (and the leases
    // that were not completed) for the next start.
    boolean keeps = queue != null && queue.persistent();
    long lost = gaveUp + queuedSpans + (keeps ? 0 : abandonedSpans);
    metrics.sendFailed(queuedSpans + (keeps ? 0 : abandonedSpans));
    if (lost == 0 && (!keeps || abandonedSpans == 0)) {
      log.info("Exporter {} stopped with nothing left to send", id);
    } else if (keeps) {
      log.warn(
          "Exporter {} stopped: {} could not be delivered by the shutdown deadline; {}"
              + " in {} stay in the persistent queue for the next start",
          id,
          Counts.of(lost, "span"),
          Counts.of(abandonedSpans, "span"),
          Counts.of(abandonedRequests, "unfinished request"));
    } else {
      List<String> parts = new ArrayList<>(3);
      if (queuedSpans > 0) {
        parts.add(
            Counts.of(queuedSpans, "span")
                + " in "
                + Counts.of(queuedRequests, "request")
                + " still queued");
      }
      if (abandonedSpans > 0) {
        parts.add(
            Counts.of(abandonedSpans, "span")
                + " in "
                + Counts.of(abandonedRequests, "request")
                + " being sent or waiting to retry");
      }
      if (gaveUp > 0) {
        parts.add(Counts.of(gaveUp, "span") + " whose next retry fell after the deadline");
      }
      log.warn(
          "Exporter {} stopped: {} could not be delivered by the shutdown deadline ({})",
          id,
          Counts.of(lost, "span"),
          String.join(", ", parts));
    }
    try {
      sender.shutdown();
    } finally {
      metrics.close();
    }
  }

  /** Ends a request at the shutdown deadline without counting it as sent. */
  private boolean abandon(Delivery d) {
    if (!d.finished.compareAndSet(false, true)) {
      return false;
    }
    active.remove(d);
    ScheduledFuture<?> t = d.timer;
    if (t != null) {
      t.cancel(false);
    }
    if (d.caller != null) {
      directPending.decrementAndGet(); // its future is failed by shutdown, outside the lock
    }
    // A lease is deliberately not completed: a persistent queue delivers it again after restart.
    return true;
  }

  @Override
  public String toString() {
    return "QueuedRetryExporter{" + id + ", " + sender + "}";
  }

  /** One request on its way: attempts, backoff, and whether it is finished. */
  private final class Delivery {
    final QueuedRequest request;
    final SendingQueue.Lease lease; // null when sent directly
    final CompletableFuture<Void> caller; // non-null when sent directly
    final Backoff backoff;
    final AtomicBoolean finished = new AtomicBoolean();
    int attempts;
    long firstAttemptNanos;
    volatile boolean waiting;
    volatile long retryAtNanos;
    volatile ScheduledFuture<?> timer;
    /** Bytes this delivery's current attempt holds of the budget; guarded by {@code budget}. */
    long heldBytes;

    Delivery(QueuedRequest request, SendingQueue.Lease lease, CompletableFuture<Void> caller) {
      this.request = request;
      this.lease = lease;
      this.caller = caller;
      this.backoff = new Backoff(retry, random);
    }
  }

  /** Builds a {@link QueuedRetryExporter}; every setting is checked in {@link #build()}. */
  public static final class Builder {
    private final ComponentContext context;
    private final Sender sender;
    private QueueSettings queueSettings = QueueSettings.defaults();
    private RetrySettings retry = RetrySettings.defaults();
    private SendingQueue queue;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder(ComponentContext context, Sender sender) {
      this.context = Objects.requireNonNull(context, "context");
      this.sender = Objects.requireNonNull(sender, "sender");
    }

    /** {@code sending_queue}; defaults to {@link QueueSettings#defaults()}. */
    public Builder queue(QueueSettings settings) {
      this.queueSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** {@code retry_on_failure}; defaults to {@link RetrySettings#defaults()}. */
    public Builder retry(RetrySettings settings) {
      this.retry = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Uses {@code queue} (e.g. a persistent one) instead of an in-memory queue of {@code
     * queue_size}. Only when the queue is enabled.
     */
    public Builder sendingQueue(SendingQueue queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    // Visible for testing: pins the jitter.
    Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * @throws IllegalArgumentException listing every invalid setting
     */
    public QueuedRetryExporter build() {
      ConfigIssues issues = new ConfigIssues();
      queueSettings.validate(issues.at("sending_queue"));
      retry.validate(issues.at("retry_on_failure"));
      if (!issues.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid exporter settings for " + context.id() + ": " + issues.issues());
      }
      if (!queueSettings.enabled()) {
        queue = null;
      } else if (queue == null) {
        queue = SendingQueue.inMemory(queueSettings.queueSize());
      }
      return new QueuedRetryExporter(this);
    }
  }
}
