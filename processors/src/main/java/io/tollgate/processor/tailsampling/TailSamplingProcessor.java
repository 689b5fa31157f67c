package io.tollgate.processor.tailsampling;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.EncodedTraces;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Completions;
import io.tollgate.core.telemetry.CountSinceReport;
import io.tollgate.core.telemetry.Counts;
import io.tollgate.processor.tailsampling.Policies.Decision;
import io.tollgate.processor.tailsampling.Policies.Policy;
import io.tollgate.processor.tailsampling.Policies.SpanCondition;
import io.tollgate.processor.tailsampling.SamplingMetrics.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers spans per trace and, once the trace is complete enough, keeps or drops it whole.
 *
 * <p><b>When a trace is decided.</b> {@code decision_wait_after_root} after its root span arrives,
 * or at the latest {@code decision_wait} after its first span; earlier when memory asks for it: a
 * trace that would outgrow {@code max_trace_bytes} is decided at once, and when the buffer would
 * outgrow {@code max_buffered_bytes} the oldest traces are decided until the new spans fit. Nothing
 * is ever dropped without a decision, and the buffer never holds more than its budget.
 *
 * <p><b>Late spans.</b> Decided trace ids are remembered in two Caffeine caches (kept, not kept); a
 * span of a remembered trace follows the decision at once. Spans that arrive while their trace is
 * being evaluated join it. So a trace is never split, as long as its id stays in the cache.
 *
 * <p><b>Why the buffer is not a cache.</b> Caffeine holds the decision caches, where evicting an
 * old entry is harmless. The pending traces live in plain per-shard maps instead: a cache evicts by
 * its own policy and schedule, and an evicted pending trace would be a trace dropped without a
 * decision, the collector's {@code num_traces} failure. Here the processor itself decides which
 * traces leave early (the oldest) and decides them before they go, against its own byte account.
 *
 * <p><b>Buffered spans stay encoded.</b> When spans arrive, what the policies need of them is
 * folded into their trace's {@link TraceData} at once (every policy is an aggregate over spans: any
 * span matches, counts, earliest start, latest end, sums), and the spans are kept as the bytes of
 * {@link TraceBatch#encodeInto}: packed into large reused arrays ({@link SlabArena}) instead of a
 * protobuf object per attribute, or even an array per arrival, which young collections would copy
 * for as long as the trace waits. A kept trace is copied out of its slab and leaves as those bytes
 * ({@link TraceBatch#ofEncoded}), so {@code batch} and the OTLP exporters forward them without
 * decoding; only the one span that gets the sampling attributes is decoded again, and spliced back
 * ({@link EncodedSpanEdit}). Spans decided at once (memory) are never encoded here.
 *
 * <p><b>Threads.</b> The buffer is split into shards by trace id, each with its own lock, held only
 * to move spans in and out. A ticker on {@code ctx.scheduler()} finds shards with traces due and
 * runs their decisions on {@code ctx.workers()}; policies are evaluated outside any lock. Early
 * decisions for memory run on the thread that brought the spans, which slows exactly the producer
 * that fills the buffer.
 */
final class TailSamplingProcessor implements Processor {

  private static final Logger log = LoggerFactory.getLogger(TailSamplingProcessor.class);

  /** Traces decided per task before the task gives its worker back. */
  private static final int MAX_DECISIONS_PER_TASK = 512;

  private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  private final ComponentContext ctx;
  private final TracesConsumer next;
  private final LongSupplier clock;
  private final long decisionWaitNanos;
  private final long afterRootNanos;
  private final long maxBufferedBytes;
  private final long maxTraceBytes;
  private final long tickNanos;
  private final Shard[] shards;
  private final Policy[] policies;
  private final SpanCondition[] conditions;
  private final String[] policyNames;
  private final Cache<TraceKey, String> sampledCache;
  private final Cache<TraceKey, Boolean> notSampledCache;
  private final SamplingMetrics metrics;
  private final AtomicLong bufferedBytes = new AtomicLong();

  /**
   * Where buffered arrivals are encoded (see {@link SlabArena}): one arena for arrivals that bring
   * their trace's root, decided {@code decision_wait_after_root} later, and one for the others,
   * which may wait up to {@code decision_wait}, so that slabs hold arrivals of similar lifetimes.
   */
  private final SlabArena withRoot;

  private final SlabArena withoutRoot;
  private final AtomicInteger tracesInMemory = new AtomicInteger();
  private final CountSinceReport refusedSinceReport = new CountSinceReport(LOG_INTERVAL);
  private final CountSinceReport failedSinceReport = new CountSinceReport(LOG_INTERVAL);
  private final CountSinceReport failedUnkeptSinceReport = new CountSinceReport(LOG_INTERVAL);
  private volatile ScheduledFuture<?> ticker;
  private volatile boolean closed;

  TailSamplingProcessor(
      TailSamplingConfig config, ComponentContext ctx, TracesConsumer next, LongSupplier clock) {
    this.ctx = ctx;
    this.next = next;
    this.clock = clock;
    this.decisionWaitNanos = config.decisionWait().toNanos();
    this.afterRootNanos = config.decisionWaitAfterRoot().toNanos();
    this.maxBufferedBytes = config.maxBufferedBytes().bytes();
    this.maxTraceBytes = config.maxTraceBytes().bytes();
    // A twentieth of the wait after the root (100ms for the default 2s), within [10ms, 1s]:
    // decisions come at most that much later than their deadline.
    long base =
        afterRootNanos > 0
            ? Math.min(afterRootNanos, decisionWaitNanos)
            : Math.min(decisionWaitNanos, TimeUnit.SECONDS.toNanos(2));
    this.tickNanos =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), base / 20));
    int slabBytes = SlabArena.slabBytesForThisJvm();
    // Idle slabs of both arenas together: at most a sixteenth of the heap (see SlabArena).
    int maxIdle = (int) Math.min(1024, Runtime.getRuntime().maxMemory() / 16 / slabBytes / 2);
    this.withRoot = new SlabArena(slabBytes, maxIdle);
    this.withoutRoot = new SlabArena(slabBytes, maxIdle);
    this.shards = new Shard[config.numShards()];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Shard();
    }
    List<PolicyConfig> configs = config.policies();
    this.policies = new Policy[configs.size()];
    this.policyNames = new String[configs.size()];
    List<String> names = new ArrayList<>();
    List<SpanCondition> spanConditions = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      policies[i] = Policies.build(configs.get(i), clock, spanConditions);
      policyNames[i] = configs.get(i).name();
      names.add(policyNames[i]);
    }
    this.conditions = spanConditions.toArray(new SpanCondition[0]);
    // Maintenance on the calling thread: the caches stay within their size without a pool task.
    int sampledSize = config.decisionCache().sampledCacheSize();
    int notSampledSize = config.decisionCache().nonSampledCacheSize();
    this.sampledCache =
        sampledSize == 0
            ? null
            : Caffeine.newBuilder().maximumSize(sampledSize).executor(Runnable::run).build();
    this.notSampledCache =
        notSampledSize == 0
            ? null
            : Caffeine.newBuilder().maximumSize(notSampledSize).executor(Runnable::run).build();
    this.metrics =
        new SamplingMetrics(
            ctx,
            names,
            tracesInMemory::get,
            bufferedBytes::get,
            () -> withRoot.heldBytes() + withoutRoot.heldBytes());
  }

  @Override
  public void start() {
    ticker =
        ctx.scheduler().scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    if (closed) {
      return CompletableFuture.failedFuture(
          RefusedException.unavailable("tail_sampling " + ctx.id() + " is shutting down"));
    }
    Map<ByteString, TraceBatch> byTrace = batch.groupByTrace();
    if (byTrace.isEmpty()) {
      return Completions.done();
    }
    List<Arrival> arrivals = new ArrayList<>(byTrace.size());
    long total = 0;
    for (Map.Entry<ByteString, TraceBatch> e : byTrace.entrySet()) {
      Arrival a = new Arrival(e.getKey(), e.getValue());
      arrivals.add(a);
      total += a.bytes;
    }
    Emission emission = new Emission();
    // Reserve room for all of it first, so that the buffer never exceeds its budget, not even
    // for a moment; if there is no room even after deciding what is buffered, decide the new
    // spans at once instead of buffering them.
    boolean reserved = reserve(total, emission);
    long now = clock.getAsLong();
    for (Arrival a : arrivals) {
      try {
        route(a, now, reserved, !reserved, emission);
      } finally {
        a.releaseIfNotHeld();
      }
    }
    emit(emission);
    return Completions.done();
  }

  /** Whether the trace is in a decision cache (its spans follow the decision, unbuffered). */
  private boolean decided(TraceKey key) {
    return (sampledCache != null && sampledCache.getIfPresent(key) != null)
        || (notSampledCache != null && notSampledCache.getIfPresent(key) != null);
  }

  /** The spans of one trace in one incoming batch. */
  private final class Arrival {
    final ByteString traceId;
    final TraceKey key;
    final TraceBatch batch;
    final long bytes;
    final int spans;
    private TraceData facts;
    private EncodedTraces encoded;

    /** The region of a slab {@link #encoded} is in; null when it has an array of its own. */
    private SlabArena.Lease lease;

    /** Whether a buffered trace holds {@link #encoded} (and so owns {@link #lease}). */
    private boolean held;

    Arrival(ByteString traceId, TraceBatch batch) {
      this.traceId = traceId;
      this.key = TraceKey.of(traceId);
      this.batch = batch;
      this.spans = batch.spanCount();
      // Fold and encode here, outside the shard locks, what will most likely be buffered (the
      // encoding also gives the size to reserve); spans of a trace already decided follow the
      // decision as they are. A decision can still come or go before the lock is taken: route()
      // then does what is missing, under the lock. Spans decided at once because the buffer is
      // full are not held, so their encoding is wasted; that only happens under memory pressure.
      if (decided(key)) {
        this.bytes = HeapEstimate.ofEncoded(batch.serializedSize());
      } else {
        facts();
        this.bytes = HeapEstimate.ofEncoded(encoded().size());
      }
    }

    /** What the policies need of these spans, folded once. */
    TraceData facts() {
      if (facts == null) {
        facts = TraceData.ofArrival(traceId, batch, conditions);
      }
      return facts;
    }

    /** The spans as bytes, to buffer. */
    EncodedTraces encoded() {
      if (encoded == null) {
        SlabArena arena = hasRoot() ? withRoot : withoutRoot;
        encoded = batch.encodeInto(size -> lease = arena.lease(size));
        if (lease != null) {
          lease.encoded(encoded);
        }
      }
      return encoded;
    }

    /** The spans as a buffered trace holds them: their lease of a slab, or their own array. */
    Object hold() {
      EncodedTraces e = encoded();
      held = true;
      return lease != null ? lease : e;
    }

    /** Gives back the slab region of spans that were encoded but not buffered after all. */
    void releaseIfNotHeld() {
      if (lease != null && !held) {
        lease.release();
        lease = null;
      }
    }

    boolean hasRoot() {
      return facts().targetIsRoot;
    }
  }

  /**
   * Puts the spans of one trace where they belong: into its buffered trace, into a trace being
   * decided, downstream or nowhere when the trace is already decided, or into a new buffered trace.
   * {@code force} decides the trace now instead of buffering.
   */
  private void route(Arrival a, long now, boolean reserved, boolean force, Emission emission) {
    Shard s = shards[a.key.shard(shards.length)];
    PendingTrace decideNow = null;
    Trigger trigger = null;
    long release = reserved ? a.bytes : 0;
    s.lock.lock();
    try {
      PendingTrace t = s.pending.get(a.key);
      if (t != null) {
        if (force || t.bytes + a.bytes > maxTraceBytes) {
          s.pending.remove(a.key);
          s.markDeciding(t);
          tracesInMemory.decrementAndGet();
          release += t.bytes;
          t.bytes = 0;
          t.add(a.batch, a.facts(), 0, a.spans);
          decideNow = t;
          trigger = force ? Trigger.MAX_BUFFERED_BYTES : Trigger.MAX_TRACE_BYTES;
        } else {
          t.add(a.hold(), a.facts(), a.bytes, a.spans);
          release -= a.bytes;
          if (a.hasRoot() && t.rootSeenNanos < 0) {
            t.rootSeenNanos = now;
            s.roots.addLast(t);
          }
        }
      } else if ((t = s.deciding.get(a.key)) != null) {
        t.addLate(a.batch);
      } else {
        String keptBy = sampledCache == null ? null : sampledCache.getIfPresent(a.key);
        if (keptBy != null) {
          metrics.late(true, a.spans);
          markRootsLate(a.batch, keptBy);
          emission.add(a.batch, a.spans);
        } else if (notSampledCache != null && notSampledCache.getIfPresent(a.key) != null) {
          metrics.late(false, a.spans);
        } else {
          t = new PendingTrace(a.key, a.traceId, s, now, conditions.length);
          if (force || a.bytes > maxTraceBytes) {
            t.add(a.batch, a.facts(), 0, a.spans);
            s.markDeciding(t);
            decideNow = t;
            trigger = force ? Trigger.MAX_BUFFERED_BYTES : Trigger.MAX_TRACE_BYTES;
          } else {
            t.add(a.hold(), a.facts(), a.bytes, a.spans);
            release -= a.bytes;
            s.pending.put(a.key, t);
            tracesInMemory.incrementAndGet();
            if (a.hasRoot()) {
              t.rootSeenNanos = now;
              s.roots.addLast(t);
            }
          }
        }
      }
    } finally {
      s.lock.unlock();
    }
    if (release != 0) {
      bufferedBytes.addAndGet(-release);
    }
    if (decideNow != null) {
      decide(decideNow, trigger, emission);
    }
  }

  /**
   * Adds {@code bytes} to the buffer's account, first deciding the oldest buffered traces until
   * they fit. False when they cannot fit (more than the whole budget, or the room is held by other
   * threads' spans on their way in).
   */
  private boolean reserve(long bytes, Emission emission) {
    if (bytes > maxBufferedBytes) {
      return false;
    }
    int idle = 0;
    while (true) {
      long current = bufferedBytes.get();
      if (current + bytes <= maxBufferedBytes) {
        if (bufferedBytes.compareAndSet(current, current + bytes)) {
          return true;
        }
        continue;
      }
      PendingTrace oldest = takeOldest();
      if (oldest != null) {
        decide(oldest, Trigger.MAX_BUFFERED_BYTES, emission);
        idle = 0;
      } else if (++idle > 1000) {
        return false;
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /** Takes the oldest buffered trace of all shards out for a decision, or null. */
  private PendingTrace takeOldest() {
    Shard best = null;
    long bestSeen = 0;
    for (Shard s : shards) {
      s.lock.lock();
      try {
        PendingTrace t = s.oldest();
        if (t != null && (best == null || t.firstSeenNanos - bestSeen < 0)) {
          best = s;
          bestSeen = t.firstSeenNanos;
        }
      } finally {
        s.lock.unlock();
      }
    }
    if (best == null) {
      return null;
    }
    best.lock.lock();
    try {
      // Another thread may have taken that one; its successor is as old as anything left here.
      PendingTrace t = best.oldest();
      if (t == null) {
        return null;
      }
      best.pending.remove(t.key);
      best.markDeciding(t);
      tracesInMemory.decrementAndGet();
      bufferedBytes.addAndGet(-t.bytes);
      t.bytes = 0;
      return t;
    } finally {
      best.lock.unlock();
    }
  }

  /** Runs from the scheduler: hands every shard with a trace due to the workers. */
  void tick() {
    for (Shard s : shards) {
      scheduleIfDue(s);
    }
  }

  /** Starts a decision task for {@code s} if a trace is due and no task is queued or running. */
  private void scheduleIfDue(Shard s) {
    boolean due;
    s.lock.lock();
    try {
      due = s.hasDue(clock.getAsLong(), decisionWaitNanos, afterRootNanos);
    } finally {
      s.lock.unlock();
    }
    if (due && s.scheduled.compareAndSet(false, true)) {
      try {
        ctx.workers().execute(() -> decideDue(s));
      } catch (RejectedExecutionException e) {
        s.scheduled.set(false);
      }
    }
  }

  /** Decides the due traces of one shard, in rounds, emitting each round as one batch. */
  private void decideDue(Shard s) {
    try {
      List<PendingTrace> rootDue = new ArrayList<>();
      List<PendingTrace> waitDue = new ArrayList<>();
      while (true) {
        rootDue.clear();
        waitDue.clear();
        long now = clock.getAsLong();
        s.lock.lock();
        try {
          s.takeDue(
              now, decisionWaitNanos, afterRootNanos, MAX_DECISIONS_PER_TASK, rootDue, waitDue);
        } finally {
          s.lock.unlock();
        }
        int taken = rootDue.size() + waitDue.size();
        if (taken == 0) {
          return;
        }
        tracesInMemory.addAndGet(-taken);
        long released = 0;
        for (PendingTrace t : rootDue) {
          released += t.bytes;
          t.bytes = 0;
        }
        for (PendingTrace t : waitDue) {
          released += t.bytes;
          t.bytes = 0;
        }
        bufferedBytes.addAndGet(-released);
        Emission emission = new Emission();
        for (PendingTrace t : rootDue) {
          decide(t, Trigger.ROOT, emission);
        }
        for (PendingTrace t : waitDue) {
          decide(t, Trigger.DECISION_WAIT, emission);
        }
        emit(emission);
        if (taken < MAX_DECISIONS_PER_TASK) {
          return;
        }
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      // Each trace's failure is handled in decide(); this is taking traces out of the shard or
      // sending a round on. Logged; the next tick tries again.
      log.error("tail_sampling {}: deciding traces failed", ctx.id(), e);
    } finally {
      s.scheduled.set(false);
      // A tick that came while this task was running found the shard busy and moved on; look
      // again, or a trace that came due meanwhile would wait for the next tick.
      if (!closed) {
        scheduleIfDue(s);
      }
    }
  }

  /**
   * Evaluates the policies over a trace already taken out of the buffer (state DECIDING, bytes
   * released), records the decision, and adds the trace to {@code emission} when kept.
   *
   * <p>Never throws. A decision that fails part way (an {@code OutOfMemoryError} while a kept trace
   * is copied out of its slab is the one expected cause; anything else is a bug) must not take the
   * other traces of its round with it, nor leave this trace "deciding" for ever (its late spans
   * would pile up in it): the trace is closed, its slab regions are given back, and the spans that
   * did not reach {@code emission} are counted and logged as lost.
   */
  private void decide(PendingTrace t, Trigger trigger, Emission emission) {
    List<Object> arrivals = t.arrivals;
    t.arrivals = null;
    int added = 0; // arrivals already in the emission
    List<TraceBatch> late = null;
    int lateAdded = 0; // late batches already in the emission
    boolean dropped = false; // decided not to keep: nothing of it would have gone on
    try {
      TraceData data = t.data;
      long evalStart = System.nanoTime();
      String keptBy = evaluate(data);
      long evalNanos = System.nanoTime() - evalStart;
      boolean sampled = keptBy != null;
      dropped = !sampled;
      Shard s = t.shard;
      s.lock.lock();
      try {
        // Cache first, then leave "deciding": a span arriving in between finds one or the other.
        if (sampled) {
          if (sampledCache != null) {
            sampledCache.put(t.key, keptBy);
          }
        } else if (notSampledCache != null) {
          notSampledCache.put(t.key, Boolean.TRUE);
        }
        late = s.markDone(t);
      } finally {
        s.lock.unlock();
      }
      metrics.decided(
          sampled, data.spanCount(), trigger, clock.getAsLong() - t.firstSeenNanos, evalNanos);
      int lateSpans = 0;
      if (late != null) {
        for (TraceBatch b : late) {
          lateSpans += b.spanCount();
        }
        metrics.joined(sampled, lateSpans);
      }
      if (!sampled) {
        return; // the finally gives the regions back
      }
      for (; added < arrivals.size(); added++) {
        Object held = arrivals.get(added);
        int n = spanCount(held); // read before keptArrival gives the region back
        emission.add(keptArrival(held, added, data, keptBy, trigger), n);
      }
      for (; late != null && lateAdded < late.size(); lateAdded++) {
        TraceBatch b = late.get(lateAdded);
        emission.add(b, b.spanCount());
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      decisionFailed(t, arrivals, added, late, lateAdded, dropped, e);
    } finally {
      // Every region not read is given back, also after a failure, so that the arena's count of
      // slabs in use stays true.
      for (Object held : arrivals) {
        if (held instanceof SlabArena.Lease && !((SlabArena.Lease) held).released()) {
          ((SlabArena.Lease) held).release();
        }
      }
    }
  }

  /** The policy that keeps the trace, or null when none keeps it or one drops it. */
  private String evaluate(TraceData data) {
    String keptBy = null;
    boolean dropped = false;
    for (int i = 0; i < policies.length; i++) {
      Decision d;
      try {
        d = policies[i].evaluate(data);
      } catch (RuntimeException e) {
        metrics.evaluationError();
        log.debug("tail_sampling {}: policy {} failed", ctx.id(), policyNames[i], e);
        d = Decision.NOT_SAMPLED;
      }
      metrics.policyVote(i, d, data.spanCount());
      if (d == Decision.DROPPED) {
        dropped = true;
      } else if (d == Decision.SAMPLED && keptBy == null) {
        keptBy = policyNames[i];
      }
    }
    return dropped ? null : keptBy;
  }

  /**
   * Arrival {@code i} of a kept trace as a batch to send on, the decision written on its target
   * span. A slab's region is read out before it is given back: the spans go on in an array of their
   * own, so that nothing downstream ever reads a slab.
   */
  private TraceBatch keptArrival(
      Object held, int i, TraceData data, String keptBy, Trigger trigger) {
    if (held instanceof SlabArena.Lease) {
      SlabArena.Lease lease = (SlabArena.Lease) held;
      EncodedTraces encoded;
      if (i == data.targetArrival) {
        encoded =
            EncodedSpanEdit.edit(
                lease.array(),
                lease.offset(),
                lease.length(),
                lease.spanCount(),
                data.targetSpan,
                span -> annotate(span, data, keptBy, trigger));
      } else {
        encoded = lease.copyOut();
      }
      lease.release();
      return TraceBatch.ofEncoded(encoded);
    }
    if (held instanceof EncodedTraces) {
      EncodedTraces encoded = (EncodedTraces) held;
      if (i == data.targetArrival) {
        encoded =
            EncodedSpanEdit.edit(
                encoded, data.targetSpan, span -> annotate(span, data, keptBy, trigger));
      }
      return TraceBatch.ofEncoded(encoded);
    }
    TraceBatch b = (TraceBatch) held;
    if (i == data.targetArrival) {
      annotate(b.spans().get(data.targetSpan), data, keptBy, trigger);
    }
    return b;
  }

  /**
   * Closes a trace whose decision failed part way, and counts and logs the spans that did not reach
   * the emission (which counts those that did): arrivals from {@code added} on, and late batches
   * from {@code lateAdded} on; none when the trace was {@code dropped}, as nothing of it would go
   * on.
   */
  private void decisionFailed(
      PendingTrace t,
      List<Object> arrivals,
      int added,
      List<TraceBatch> late,
      int lateAdded,
      boolean dropped,
      Throwable e) {
    int lost = 0;
    try {
      Shard s = t.shard;
      s.lock.lock();
      try {
        if (t.state != PendingTrace.State.DONE) {
          late = s.markDone(t);
        }
      } finally {
        s.lock.unlock();
      }
      if (!dropped) {
        for (int i = added; i < arrivals.size(); i++) {
          lost += spanCount(arrivals.get(i));
        }
        for (int i = lateAdded; late != null && i < late.size(); i++) {
          lost += late.get(i).spanCount();
        }
      }
    } catch (RuntimeException | OutOfMemoryError again) {
      e.addSuppressed(again);
    }
    if (lost > 0) {
      metrics.decisionFailed(lost);
      long n = failedSinceReport.add(lost);
      if (n > 0) {
        log.error(
            "tail_sampling {}: deciding traces failed part way for {} since the last report; they"
                + " are lost ({}). An OutOfMemoryError means the heap is too small for the spans"
                + " tail_sampling waits for: lower max_buffered_bytes or give the JVM more heap"
                + " (-Xmx), and keep memory_limiter first in the pipeline. Anything else is a bug:"
                + " please report it with this stack trace.",
            ctx.id(),
            Counts.of(n, "span"),
            e.toString(),
            e);
      }
    } else {
      // Nothing was lost (the trace was not kept): still a bug, which nobody reads at debug.
      long n = failedUnkeptSinceReport.add(1);
      if (n > 0) {
        log.warn(
            "tail_sampling {}: deciding {} that were not kept failed since the last report;"
                + " nothing was lost, but this is a bug: please report it with this stack trace",
            ctx.id(),
            Counts.of(n, "trace"),
            e);
      }
    }
  }

  private static int spanCount(Object held) {
    if (held instanceof SlabArena.Lease) {
      return ((SlabArena.Lease) held).spanCount();
    }
    if (held instanceof EncodedTraces) {
      return ((EncodedTraces) held).spanCount();
    }
    return ((TraceBatch) held).spanCount();
  }

  /**
   * Writes why the trace was kept and its GenAI totals on {@code target}, the trace's root (else
   * earliest) span ({@link TraceData#targetSpan}).
   */
  private static void annotate(SpanRecord target, TraceData data, String keptBy, Trigger trigger) {
    target.attributes().put(SamplingAttributes.POLICY, keptBy);
    target.attributes().put(SamplingAttributes.TRIGGER, trigger.label());
    if (data.llmSpans > 0) {
      target.attributes().put(SamplingAttributes.TRACE_LLM_SPANS, (long) data.llmSpans);
      target.attributes().put(SamplingAttributes.TRACE_INPUT_TOKENS, data.inputTokens);
      target.attributes().put(SamplingAttributes.TRACE_OUTPUT_TOKENS, data.outputTokens);
      if (data.hasCost) {
        target.attributes().put(SamplingAttributes.TRACE_COST, data.costUsd);
      }
    }
  }

  /** A root span that arrives after its trace was kept still says which policy kept it. */
  private static void markRootsLate(TraceBatch batch, String keptBy) {
    batch.forEachSpan(
        s -> {
          if (s.isRoot()) {
            s.attributes().put(SamplingAttributes.POLICY, keptBy);
          }
        });
  }

  /** Kept spans gathered during one call, sent downstream as one batch. */
  private static final class Emission {
    TraceBatch batch;
    int spans;

    void add(TraceBatch b, int n) {
      if (batch == null) {
        batch = b;
      } else {
        batch.addAll(b);
      }
      spans += n;
    }
  }

  /**
   * Sends kept spans on. The spans were accepted from upstream long ago, so a refusal cannot be
   * passed back: it is counted and logged, and the spans are lost.
   */
  private void emit(Emission emission) {
    if (emission.batch == null) {
      return;
    }
    int spans = emission.spans;
    CompletionStage<Void> stage;
    try {
      stage = next.consume(emission.batch);
    } catch (RuntimeException | OutOfMemoryError e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (ok, err) -> {
          if (err != null) {
            downstreamRefused(spans, Completions.unwrap(err));
          }
        });
  }

  private void downstreamRefused(int spans, Throwable cause) {
    metrics.downstreamRefused(spans);
    long n = refusedSinceReport.add(spans);
    if (n > 0) {
      log.warn(
          "tail_sampling {}: the next component refused {} of kept traces since the last report;"
              + " they are lost ({})",
          ctx.id(),
          Counts.of(n, "span"),
          cause.toString());
    }
  }

  /**
   * Decides every buffered trace now, with what it has, and sends the kept ones on, so that a
   * restart loses nothing that was accepted.
   */
  @Override
  public void shutdown(Instant deadline) {
    closed = true;
    ScheduledFuture<?> t = ticker;
    if (t != null) {
      t.cancel(false);
    }
    int undecided = 0;
    Emission emission = new Emission();
    for (Shard s : shards) {
      List<PendingTrace> all;
      s.lock.lock();
      try {
        all = new ArrayList<>(s.pending.values());
        s.pending.clear();
        s.roots.clear();
        for (PendingTrace p : all) {
          s.markDeciding(p);
        }
      } finally {
        s.lock.unlock();
      }
      tracesInMemory.addAndGet(-all.size());
      for (PendingTrace p : all) {
        bufferedBytes.addAndGet(-p.bytes);
        p.bytes = 0;
        if (Instant.now().isBefore(deadline)) {
          decide(p, Trigger.SHUTDOWN, emission);
        } else {
          undecided++;
        }
      }
    }
    emit(emission);
    if (undecided > 0) {
      log.warn(
          "tail_sampling {}: shutdown deadline reached; {} buffered traces were not decided and"
              + " are lost",
          ctx.id(),
          undecided);
    }
    // Decision tasks already running finish on their own; wait for them up to the deadline.
    for (Shard s : shards) {
      while (s.scheduled.get() && Instant.now().isBefore(deadline)) {
        Thread.onSpinWait();
        Thread.yield();
      }
    }
  }

  // Visible for testing: no decision task queued or running.
  boolean idle() {
    for (Shard s : shards) {
      if (s.scheduled.get()) {
        return false;
      }
    }
    return true;
  }

  // Visible for testing
  long bufferedBytes() {
    return bufferedBytes.get();
  }

  // Visible for testing: heap the slabs take beyond the buffered bytes they hold.
  long slabUnusedBytes() {
    return withRoot.unusedBytes() + withoutRoot.unusedBytes();
  }

  // Visible for testing
  int tracesInMemory() {
    return tracesInMemory.get();
  }

  // Visible for testing
  Duration tickInterval() {
    return Duration.ofNanos(tickNanos);
  }
}
