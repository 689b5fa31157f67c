package io.tollgate.processor.tailsampling;

import static io.tollgate.processor.tailsampling.TestTraces.attr;
import static io.tollgate.processor.tailsampling.TestTraces.chat;
import static io.tollgate.processor.tailsampling.TestTraces.error;
import static io.tollgate.processor.tailsampling.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RecordingConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class TailSamplingProcessorTest {

  private final Random random = new Random(42);
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final RecordingConsumer out = new RecordingConsumer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Workers run inline, so that a tick decides synchronously; the clock is ours. */
  private TailSamplingProcessor processor(String yaml) {
    return processor(yaml, clock::get);
  }

  private TailSamplingProcessor processor(String yaml, LongSupplier clock) {
    TailSamplingConfig config =
        ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "tail_sampling", yaml);
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("tail_sampling"))
            .pipeline("traces")
            .meterRegistry(registry)
            .workers(Runnable::run)
            .build();
    return new TailSamplingProcessor(config, ctx, out, clock);
  }

  private static final String KEEP_ERRORS =
      "policies:\n  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}\n";
  private static final String KEEP_ALL = "policies:\n  - {name: all, type: always_sample}\n";

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  private static void send(TailSamplingProcessor p, Span.Builder... spans) {
    assertThat(p.consume(TestTraces.batch(spans)).toCompletableFuture()).isCompleted();
  }

  private double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void decidesTwoSecondsAfterTheRootArrivesNotThirty() {
    TailSamplingProcessor p = processor(KEEP_ALL);
    ByteString t = TestTraces.traceId(random);
    send(p, chat(t, 2, 1, "gpt-4o", 100, 20, 0.001));
    advance(Duration.ofSeconds(1));
    send(p, span(t, 1, 0, "POST /chat", 0, 1000));
    advance(Duration.ofMillis(1999));
    p.tick();
    assertThat(out.batches()).isEmpty();

    advance(Duration.ofMillis(1));
    p.tick();

    assertThat(out.batches()).hasSize(1);
    assertThat(out.batches().get(0).spanCount()).isEqualTo(2);
    SpanRecord root = rootOf(out.batches().get(0));
    assertThat(root.attributes().getString(SamplingAttributes.TRIGGER)).isEqualTo("root");
    assertThat(p.tracesInMemory()).isZero();
    assertThat(p.bufferedBytes()).isZero();
    var delay =
        registry
            .find("tollgate_processor_tail_sampling_decision_delay")
            .tag("trigger", "root")
            .timer();
    assertThat(delay.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3000);
  }

  @Test
  void withoutARootDecidesAtDecisionWait() {
    TailSamplingProcessor p = processor(KEEP_ALL);
    ByteString t = TestTraces.traceId(random);
    send(p, span(t, 2, 1, "child", 0, 10));
    advance(Duration.ofMillis(29_999));
    p.tick();
    assertThat(out.batches()).isEmpty();
    advance(Duration.ofMillis(1));
    p.tick();
    assertThat(out.spanCount()).isEqualTo(1);
    assertThat(out.spans().get(0).attributes().getString(SamplingAttributes.TRIGGER))
        .isEqualTo("decision_wait");
  }

  @Test
  void aTraceArrivingInPiecesLeavesWholeInOneBatch() {
    TailSamplingProcessor p = processor(KEEP_ERRORS);
    ByteString kept = TestTraces.traceId(random);
    ByteString dropped = TestTraces.traceId(random);
    // Interleaved, out of order: children first, the root of one in the middle.
    send(p, span(kept, 3, 2, "tool", 0, 1), span(dropped, 3, 2, "tool", 0, 1));
    send(p, error(chat(kept, 2, 1, "gpt-4o", 1, 1, 0)));
    send(p, span(kept, 1, 0, "root", 0, 5), span(dropped, 2, 1, "llm", 0, 2));
    send(p, span(dropped, 1, 0, "root", 0, 5));
    advance(Duration.ofSeconds(2));
    p.tick();

    assertThat(out.batches()).hasSize(1);
    TraceBatch b = out.batches().get(0);
    assertThat(b.spans()).allMatch(s -> s.traceId().equals(kept)).hasSize(3);
    assertThat(
            counter(
                "otelcol_processor_tail_sampling_global_count_traces_sampled", "sampled", "true"))
        .isEqualTo(1);
    assertThat(
            counter(
                "otelcol_processor_tail_sampling_global_count_traces_sampled", "sampled", "false"))
        .isEqualTo(1);
    assertThat(
            counter(
                "otelcol_processor_tail_sampling_count_traces_sampled",
                "policy",
                "errors",
                "decision",
                "not_sampled"))
        .isEqualTo(1);
  }

  @Test
  void lateSpansFollowTheDecisionAtOnce() {
    TailSamplingProcessor p = processor(KEEP_ERRORS);
    ByteString kept = TestTraces.traceId(random);
    ByteString dropped = TestTraces.traceId(random);
    send(p, error(span(kept, 2, 1, "llm", 0, 1)), span(dropped, 2, 1, "llm", 0, 1));
    advance(Duration.ofSeconds(30));
    p.tick();
    assertThat(out.spanCount()).isEqualTo(1);

    // The roots come late: the kept one goes straight on (no tick) and says why it was kept.
    send(p, span(kept, 1, 0, "root", 0, 5), span(dropped, 1, 0, "root", 0, 5));
    assertThat(out.batches()).hasSize(2);
    TraceBatch late = out.batches().get(1);
    assertThat(late.spans())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.traceId()).isEqualTo(kept);
              assertThat(s.attributes().getString(SamplingAttributes.POLICY)).isEqualTo("errors");
            });
    assertThat(p.tracesInMemory()).isZero();
    assertThat(counter("tollgate_processor_tail_sampling_late_spans", "sampled", "true"))
        .isEqualTo(1);
    assertThat(counter("tollgate_processor_tail_sampling_late_spans", "sampled", "false"))
        .isEqualTo(1);
  }

  @Test
  void keptTracesCarryThePolicyAndTheirGenAiTotals() {
    TailSamplingProcessor p =
        processor(
            "policies:\n"
                + "  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}\n"
                + "  - {name: pricey, type: genai_cost, genai_cost: {min_cost_usd: 0.05}}\n"
                + "  - {name: all, type: always_sample}\n");
    ByteString t = TestTraces.traceId(random);
    send(
        p,
        chat(t, 2, 1, "gpt-4o", 1200, 300, 0.04),
        chat(t, 3, 1, "gpt-4o-mini", 800, 100, 0.02),
        span(t, 4, 1, "retrieve", 0, 1));
    send(p, span(t, 1, 0, "POST /summarize", 0, 2000));
    advance(Duration.ofSeconds(2));
    p.tick();

    SpanRecord root = rootOf(out.batches().get(0));
    var a = root.attributes();
    // The first policy in config order that voted to keep it.
    assertThat(a.getString(SamplingAttributes.POLICY)).isEqualTo("pricey");
    assertThat(a.getDouble(SamplingAttributes.TRACE_COST))
        .isCloseTo(0.06, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(a.getLong(SamplingAttributes.TRACE_INPUT_TOKENS)).isEqualTo(2000);
    assertThat(a.getLong(SamplingAttributes.TRACE_OUTPUT_TOKENS)).isEqualTo(400);
    assertThat(a.getLong(SamplingAttributes.TRACE_LLM_SPANS)).isEqualTo(2);
    // Only the root is annotated.
    assertThat(out.spans().stream().filter(s -> s.attributes().contains(SamplingAttributes.POLICY)))
        .hasSize(1);
  }

  @Test
  void anyDropWinsOverEverySample() {
    TailSamplingProcessor p =
        processor(
            "policies:\n"
                + "  - {name: all, type: always_sample}\n"
                + "  - name: no-health\n"
                + "    type: drop\n"
                + "    drop:\n"
                + "      drop_sub_policy:\n"
                + "        - {name: h, type: string_attribute,"
                + " string_attribute: {key: url.path, values: [/healthz]}}\n");
    ByteString health = TestTraces.traceId(random);
    ByteString chat = TestTraces.traceId(random);
    send(p, attr(span(health, 1, 0, "GET", 0, 1), "url.path", "/healthz"));
    send(p, attr(span(chat, 1, 0, "POST", 0, 1), "url.path", "/chat"));
    advance(Duration.ofSeconds(2));
    p.tick();
    assertThat(out.spans()).singleElement().satisfies(s -> assertThat(s.traceId()).isEqualTo(chat));
    assertThat(
            counter(
                "otelcol_processor_tail_sampling_count_traces_sampled",
                "policy",
                "no-health",
                "decision",
                "dropped"))
        .isEqualTo(1);
  }

  @Test
  void aTraceOverItsOwnBudgetIsDecidedAtOnceAndStaysWhole() {
    TailSamplingProcessor p =
        processor("max_trace_bytes: 12KiB\nmax_buffered_bytes: 1MiB\n" + KEEP_ALL);
    ByteString huge = TestTraces.traceId(random);
    ByteString small = TestTraces.traceId(random);
    send(p, span(small, 2, 1, "small", 0, 1));
    String prompt = "x".repeat(4100);
    send(p, attr(span(huge, 2, 1, "llm", 0, 1), "gen_ai.input.messages", prompt));
    send(p, attr(span(huge, 3, 1, "llm", 0, 1), "gen_ai.input.messages", prompt));
    assertThat(out.batches()).isEmpty();

    // Each span is accounted at about 4.5 KB (its 4 KB of text as encoded, plus a constant): the
    // third would take the trace over 12 KiB, so it is decided now, the third included, without a
    // tick.
    send(p, attr(span(huge, 4, 1, "llm", 0, 1), "gen_ai.input.messages", prompt));
    assertThat(out.batches()).hasSize(1);
    assertThat(out.batches().get(0).spans()).hasSize(3).allMatch(s -> s.traceId().equals(huge));
    assertThat(out.spans().get(0).attributes().getString(SamplingAttributes.TRIGGER))
        .isEqualTo("max_trace_bytes");
    // Its later spans follow the decision; the small trace is untouched.
    send(p, span(huge, 1, 0, "root", 0, 5));
    assertThat(out.spanCount()).isEqualTo(4);
    assertThat(p.tracesInMemory()).isEqualTo(1);
    assertThat(
            counter(
                "tollgate_processor_tail_sampling_early_decisions", "reason", "max_trace_bytes"))
        .isEqualTo(1);
  }

  @Test
  void aFullBufferDecidesTheOldestTracesEarlyAndNeverExceedsItsBudget() {
    long budget = 32 * 1024;
    TailSamplingProcessor p =
        processor("max_buffered_bytes: 32KiB\nmax_trace_bytes: 16KiB\nnum_shards: 4\n" + KEEP_ALL);
    String text = "y".repeat(1500);
    ByteString first = null;
    int sent = 0;
    for (int i = 0; i < 200; i++) {
      ByteString t = TestTraces.traceId(random);
      if (first == null) {
        first = t;
      }
      send(p, attr(span(t, 2, 1, "llm", 0, 1), "gen_ai.output.messages", text));
      sent++;
      advance(Duration.ofMillis(1));
      assertThat(p.bufferedBytes()).isBetween(0L, budget);
    }
    // Nothing was lost: what left early plus what is still buffered is everything.
    assertThat(out.spanCount() + p.tracesInMemory()).isEqualTo(sent);
    // The oldest went first.
    assertThat(out.batches().get(0).spans().get(0).traceId()).isEqualTo(first);
    assertThat(out.spans().get(0).attributes().getString(SamplingAttributes.TRIGGER))
        .isEqualTo("max_buffered_bytes");
    assertThat(
            counter(
                "tollgate_processor_tail_sampling_early_decisions", "reason", "max_buffered_bytes"))
        .isEqualTo(sent - p.tracesInMemory());
    var gauge = registry.find("tollgate_processor_tail_sampling_buffered_bytes").gauge();
    assertThat(gauge.value()).isEqualTo(p.bufferedBytes());
  }

  @Test
  void aRequestLargerThanTheWholeBufferIsDecidedAtOnce() {
    TailSamplingProcessor p =
        processor("max_buffered_bytes: 4KiB\nmax_trace_bytes: 4KiB\n" + KEEP_ALL);
    ByteString a = TestTraces.traceId(random);
    ByteString b = TestTraces.traceId(random);
    String text = "z".repeat(3000);
    send(
        p,
        attr(span(a, 1, 0, "a", 0, 1), "gen_ai.input.messages", text),
        attr(span(b, 1, 0, "b", 0, 1), "gen_ai.input.messages", text));
    assertThat(out.spanCount()).isEqualTo(2);
    assertThat(p.bufferedBytes()).isZero();
  }

  @Test
  void shutdownDecidesEverythingAndThenRefuses() {
    TailSamplingProcessor p = processor(KEEP_ERRORS);
    ByteString kept = TestTraces.traceId(random);
    ByteString dropped = TestTraces.traceId(random);
    send(p, error(span(kept, 2, 1, "llm", 0, 1)), span(kept, 3, 1, "tool", 0, 1));
    send(p, span(dropped, 2, 1, "llm", 0, 1));
    p.shutdown(Instant.now().plusSeconds(5));

    assertThat(out.spans()).hasSize(2).allMatch(s -> s.traceId().equals(kept));
    assertThat(p.tracesInMemory()).isZero();
    assertThat(p.bufferedBytes()).isZero();
    CompletableFuture<Void> after =
        p.consume(TestTraces.batch(span(kept, 1, 0, "root", 0, 1))).toCompletableFuture();
    assertThatThrownBy(after::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RefusedException.class)
        .satisfies(
            e ->
                assertThat(((RefusedException) e).reason())
                    .isEqualTo(RefusedException.Reason.UNAVAILABLE));
  }

  @Test
  void aDownstreamRefusalIsCountedNotPassedBackUpstream() {
    out.answer(b -> CompletableFuture.failedFuture(RefusedException.throttled("queue full", null)));
    TailSamplingProcessor p = processor(KEEP_ALL);
    ByteString t = TestTraces.traceId(random);
    send(p, span(t, 1, 0, "root", 0, 1), span(t, 2, 1, "child", 0, 1));
    advance(Duration.ofSeconds(2));
    p.tick();
    assertThat(out.spanCount()).isEqualTo(2);
    assertThat(counter("tollgate_processor_downstream_refused_spans")).isEqualTo(2);
  }

  @Test
  void aDownstreamThatThrowsAnErrorIsCountedAndTheShardGoesOn() {
    out.answer(
        b -> {
          throw new OutOfMemoryError("test: the heap ran out downstream");
        });
    TailSamplingProcessor p = processor(KEEP_ALL);
    ByteString t = TestTraces.traceId(random);
    send(p, span(t, 1, 0, "root", 0, 1), span(t, 2, 1, "child", 0, 1));
    advance(Duration.ofSeconds(2));
    p.tick(); // before: the error left the decision task, and nothing counted the spans

    assertThat(counter("tollgate_processor_downstream_refused_spans")).isEqualTo(2);
    assertThat(p.idle()).isTrue();
  }

  @Test
  void aDecisionThatFailsPartWayLosesOnlyItsTraceCountsItAndTheShardGoesOn() {
    // The heap runs out once while a kept trace is being decided (the clock is read there, after
    // the policies voted); the other trace of the same round must still go on.
    AtomicBoolean failOnce = new AtomicBoolean(true);
    LongSupplier failingClock =
        () -> {
          if (failOnce.get() && insideDecide() && failOnce.compareAndSet(true, false)) {
            throw new OutOfMemoryError("test: the heap ran out");
          }
          return clock.get();
        };
    TailSamplingProcessor p = processor(KEEP_ALL, failingClock);
    ByteString a = TestTraces.traceId(random);
    ByteString b = TestTraces.traceId(random);
    send(p, span(a, 1, 0, "root", 0, 1), span(a, 2, 1, "child", 0, 1));
    send(p, span(b, 1, 0, "root", 0, 1), span(b, 2, 1, "child", 0, 1));
    advance(Duration.ofSeconds(2));

    p.tick(); // before: the error left the task, and both traces of the round were lost uncounted

    assertThat(failOnce).isFalse();
    assertThat(out.spanCount()).isEqualTo(2);
    ByteString delivered = out.spans().get(0).traceId();
    assertThat(out.spans()).allMatch(s -> s.traceId().equals(delivered));
    assertThat(counter("tollgate_processor_tail_sampling_decision_failed_spans")).isEqualTo(2);
    // Nothing is left behind: no trace stuck "deciding", every slab region given back.
    assertThat(p.tracesInMemory()).isZero();
    assertThat(p.bufferedBytes()).isZero();
    assertThat(p.idle()).isTrue();

    // A late span of the failed trace starts afresh; the processor goes on deciding.
    ByteString failed = delivered.equals(a) ? b : a;
    send(p, span(failed, 3, 1, "late", 0, 1));
    ByteString c = TestTraces.traceId(random);
    send(p, span(c, 1, 0, "root", 0, 1));
    advance(Duration.ofSeconds(30));
    p.tick();
    assertThat(out.spanCount()).isEqualTo(4);
  }

  private static boolean insideDecide() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames.anyMatch(
                    f ->
                        f.getMethodName().equals("decide")
                            && f.getClassName().equals(TailSamplingProcessor.class.getName())));
  }

  @Test
  void theTickerRunsOnTheSchedulerWithARealClock() {
    TailSamplingConfig config =
        ComponentConfigs.bindValid(
            ComponentKind.PROCESSOR,
            "tail_sampling",
            "decision_wait_after_root: 50ms\n" + KEEP_ALL);
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("tail_sampling")).build();
    TailSamplingProcessor p =
        (TailSamplingProcessor) new TailSamplingProcessorFactory().create(config, ctx, out);
    assertThat(p.tickInterval()).isEqualTo(Duration.ofMillis(10));
    p.start();
    try {
      ByteString t = TestTraces.traceId(random);
      send(p, span(t, 1, 0, "root", 0, 1));
      await().atMost(Duration.ofSeconds(5)).until(() -> out.spanCount() == 1);
    } finally {
      p.shutdown(Instant.now().plusSeconds(1));
    }
  }

  private static SpanRecord rootOf(TraceBatch b) {
    List<SpanRecord> roots = b.spans().stream().filter(SpanRecord::isRoot).toList();
    assertThat(roots).hasSize(1);
    return roots.get(0);
  }
}
