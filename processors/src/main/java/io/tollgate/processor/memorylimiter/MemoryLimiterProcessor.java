package io.tollgate.processor.memorylimiter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.telemetry.MetricNames;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses data while the heap is above its soft limit, so that the collector slows its clients down
 * instead of running out of memory.
 *
 * <p>Every {@code check_interval} it reads heap usage (see {@link JvmHeapUsage} for why after-GC
 * usage). Above the soft limit every batch is refused with a retryable <em>throttled</em> error
 * carrying a retry hint, which receivers answer with HTTP 429 + {@code Retry-After} / gRPC
 * RESOURCE_EXHAUSTED + RetryInfo (the collector answers a plain 503 without a hint). Above the hard
 * limit it also asks for a full collection, at most once per interval; above the soft limit at most
 * once per ten intervals (the collector's defaults), so that a stale reading cannot keep the
 * limiter refusing after memory was freed. These gaps hold for all limiters of the JVM together
 * ({@link ForcedCollections}), not for each one.
 */
final class MemoryLimiterProcessor implements Processor {

  private static final Logger log = LoggerFactory.getLogger(MemoryLimiterProcessor.class);

  static final String ACCEPTED = "otelcol_processor_accepted_spans";
  static final String REFUSED = "otelcol_processor_refused_spans";
  static final String HEAP_USED = "tollgate_processor_memory_limiter_heap_used_bytes";
  static final String FORCED_GC = "tollgate_processor_memory_limiter_forced_gcs";

  private static final long MIB = 1024L * 1024;
  private static final int SOFT_GC_INTERVALS = 10;

  enum State {
    NORMAL,
    SOFT,
    HARD
  }

  private final MemoryLimiterConfig config;
  private final ComponentContext ctx;
  private final TracesConsumer next;
  private final MemoryUsage usage;
  private final LongSupplier clock;
  private final ForcedCollections collections;
  private final G1Marking marking;
  private final long intervalNanos;
  private final Duration retryAfter;
  private final Counter accepted;
  private final Counter refused;
  private final Counter forcedGcs;

  private volatile MemoryLimiterConfig.Limits limits;
  private volatile State state = State.NORMAL;
  private volatile long lastUsed;
  private volatile ScheduledFuture<?> ticker;

  MemoryLimiterProcessor(
      MemoryLimiterConfig config,
      ComponentContext ctx,
      TracesConsumer next,
      MemoryUsage usage,
      LongSupplier clock,
      ForcedCollections collections,
      G1Marking marking) {
    this.config = config;
    this.ctx = ctx;
    this.next = next;
    this.usage = usage;
    this.clock = clock;
    this.collections = collections;
    this.marking = marking;
    this.intervalNanos = config.checkInterval().toNanos();
    // Retry-After is in whole seconds; memory rarely recovers faster than one check.
    this.retryAfter =
        Duration.ofSeconds(Math.max(1, (config.checkInterval().toMillis() + 999) / 1000));
    MeterRegistry r = ctx.meterRegistry();
    Tags tags =
        Tags.of(MetricNames.PROCESSOR, ctx.id().toString(), MetricNames.PIPELINE, ctx.pipeline());
    accepted =
        Counter.builder(ACCEPTED)
            .description("Spans passed on to the next component.")
            .baseUnit("spans")
            .tags(tags)
            .register(r);
    refused =
        Counter.builder(REFUSED)
            .description("Spans refused because memory usage was above the soft limit.")
            .baseUnit("spans")
            .tags(tags)
            .register(r);
    forcedGcs =
        Counter.builder(FORCED_GC)
            .description("Full garbage collections requested by the limiter.")
            .tags(tags)
            .register(r);
    Gauge.builder(HEAP_USED, this, p -> p.lastUsed)
        .description("Heap in use after the last collection, as the limiter judges it.")
        .baseUnit("bytes")
        .tags(tags)
        .register(r);
  }

  /**
   * Resolves the limits against this JVM's heap and starts checking.
   *
   * @throws IllegalStateException when the limits cannot work with this heap
   */
  @Override
  public void start() {
    limits = config.resolve(usage.maxBytes());
    log.info(
        "{}: soft limit {} MiB, hard limit {} MiB (max heap {} MiB), checked every" + " {}",
        ctx.id(),
        limits.softBytes() / MIB,
        limits.hardBytes() / MIB,
        usage.maxBytes() == Long.MAX_VALUE ? "unbounded" : usage.maxBytes() / MIB,
        io.tollgate.core.component.Durations.format(config.checkInterval()));
    if (usage.maxBytes() != Long.MAX_VALUE) {
      int softPercent = (int) Math.round(limits.softBytes() * 100.0 / usage.maxBytes());
      marking.advice(softPercent).ifPresent(advice -> log.warn("{}: {}", ctx.id(), advice));
    }
    check();
    ticker =
        ctx.scheduler()
            .scheduleAtFixedRate(
                this::safeCheck, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
  }

  private void safeCheck() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("memory_limiter {}: memory check failed", ctx.id(), e);
    }
  }

  /** Measures, updates the state and collects when over a limit. Called on the scheduler. */
  void check() {
    MemoryLimiterConfig.Limits l = limits;
    if (l == null) {
      l = limits = config.resolve(usage.maxBytes());
    }
    long used = usage.usedBytes();
    State s = stateOf(used, l);
    if (s != State.NORMAL) {
      long minGap = s == State.HARD ? intervalNanos : SOFT_GC_INTERVALS * intervalNanos;
      if (collections.collectIfDue(clock.getAsLong(), minGap)) {
        forcedGcs.increment();
      }
      // Read again either way: a collection another limiter forced lowers it too.
      used = usage.usedBytes();
      s = stateOf(used, l);
    }
    lastUsed = used;
    State before = state;
    state = s;
    // Each pipeline that lists this limiter has its own instance, and each refuses on its own:
    // the line says which pipeline, or two identical lines would stand for two pipelines.
    if (before == State.NORMAL && s != State.NORMAL) {
      log.warn(
          "memory_limiter {} in pipeline {}: heap use {} MiB is above the soft limit {} MiB;"
              + " refusing data until it drops",
          ctx.id(),
          ctx.pipeline(),
          used / MIB,
          l.softBytes() / MIB);
    } else if (before != State.NORMAL && s == State.NORMAL) {
      log.info(
          "memory_limiter {} in pipeline {}: heap use {} MiB is below the soft limit again;"
              + " accepting data",
          ctx.id(),
          ctx.pipeline(),
          used / MIB);
    }
  }

  private static State stateOf(long used, MemoryLimiterConfig.Limits l) {
    if (used >= l.hardBytes()) {
      return State.HARD;
    }
    return used >= l.softBytes() ? State.SOFT : State.NORMAL;
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    if (state != State.NORMAL) {
      int n = batch.spanCount();
      refused.increment(n);
      return CompletableFuture.failedFuture(
          RefusedException.throttled(
              "memory_limiter "
                  + ctx.id()
                  + ": heap use "
                  + lastUsed / MIB
                  + " MiB is above the soft limit "
                  + limits.softBytes() / MIB
                  + " MiB",
              retryAfter));
    }
    accepted.increment(batch.spanCount());
    return next.consume(batch);
  }

  @Override
  public boolean readsSpans() {
    // It looks at the heap, never at a span.
    return false;
  }

  @Override
  public boolean mutatesData() {
    return next.mutatesData();
  }

  @Override
  public void shutdown(Instant deadline) {
    ScheduledFuture<?> t = ticker;
    if (t != null) {
      t.cancel(false);
    }
    usage.close();
  }

  // Visible for testing
  State state() {
    return state;
  }
}
