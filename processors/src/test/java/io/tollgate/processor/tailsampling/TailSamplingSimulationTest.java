package io.tollgate.processor.tailsampling;

import static io.tollgate.processor.tailsampling.TestTraces.attr;
import static io.tollgate.processor.tailsampling.TestTraces.chat;
import static io.tollgate.processor.tailsampling.TestTraces.error;
import static io.tollgate.processor.tailsampling.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Completions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of interleaved traces, spans out of order and late, ingested by several threads while
 * decisions run on a worker pool: the README's default policy must keep every error, truncated and
 * premium trace whole, keep the hash-chosen 10% of the rest, and never split a trace; and a flood
 * of huge traces must never take the buffer over its budget.
 */
class TailSamplingSimulationTest {

  private final ExecutorService ingest = Executors.newFixedThreadPool(4);
  private final ExecutorService workers = Executors.newFixedThreadPool(3);

  @AfterEach
  void stopThreads() {
    ingest.shutdownNow();
    workers.shutdownNow();
  }

  /** Remembers which span ids of which trace left the processor, and how often. */
  static final class SpanLedger implements TracesConsumer {
    final Map<ByteString, List<ByteString>> byTrace = new ConcurrentHashMap<>();
    final AtomicInteger spans = new AtomicInteger();

    @Override
    public CompletionStage<Void> consume(TraceBatch batch) {
      batch.forEachSpan(
          s -> {
            byTrace
                .computeIfAbsent(s.traceId(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(s.spanId());
            spans.incrementAndGet();
          });
      return Completions.done();
    }

    @Override
    public boolean mutatesData() {
      return false;
    }
  }

  enum Kind {
    ERROR,
    LLM_ERROR,
    TRUNCATED,
    PREMIUM,
    OTHER
  }

  /** One generated trace: its spans, when each arrives (ms), and what the policy should do. */
  static final class SimTrace {
    final ByteString id;
    final Kind kind;
    final List<Span.Builder> spans = new ArrayList<>();
    final List<Long> arrivals = new ArrayList<>();

    SimTrace(ByteString id, Kind kind) {
      this.id = id;
      this.kind = kind;
    }

    void add(Span.Builder s, long arrivalMs) {
      spans.add(s);
      arrivals.add(arrivalMs);
    }
  }

  private TailSamplingProcessor processor(
      String yaml, AtomicLong clock, TracesConsumer next, SimpleMeterRegistry registry) {
    TailSamplingConfig config =
        ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "tail_sampling", yaml);
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("tail_sampling"))
            .meterRegistry(registry)
            .workers(workers)
            .build();
    return new TailSamplingProcessor(config, ctx, next, clock::get);
  }

  private static String readmeDefaultBlock() throws Exception {
    String doc = Files.readString(Path.of("../README.md"));
    Matcher m =
        Pattern.compile("```yaml\n(processors:\n  tail_sampling:.*?)```", Pattern.DOTALL)
            .matcher(doc);
    assertThat(m.find()).isTrue();
    // The block as written, under its two heading lines.
    String header = "processors:\n  tail_sampling:\n";
    assertThat(m.group(1)).startsWith(header).doesNotContain("num_shards");
    // Four shards whatever the machine, so that shards are exercised on a 2-core runner.
    return m.group(1).substring(header.length()).stripTrailing().stripIndent()
        + "\nnum_shards: 4\n";
  }

  @Test
  void theDefaultPolicyKeepsWhatItPromisesAndNeverSplitsATrace() throws Exception {
    Random random = new Random(2024);
    AtomicLong clock = new AtomicLong();
    SpanLedger ledger = new SpanLedger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TailSamplingProcessor p = processor(readmeDefaultBlock(), clock, ledger, registry);

    int traces = 3000;
    List<SimTrace> all = new ArrayList<>();
    int lateSpans = 0;
    for (int i = 0; i < traces; i++) {
      double r = random.nextDouble();
      Kind kind =
          r < 0.03
              ? Kind.ERROR
              : r < 0.06
                  ? Kind.LLM_ERROR
                  : r < 0.10 ? Kind.TRUNCATED : r < 0.18 ? Kind.PREMIUM : Kind.OTHER;
      SimTrace t = new SimTrace(TestTraces.traceId(random), kind);
      long start = i * 5L;
      long rootAt = start + 500 + random.nextInt(1000);
      // The tier is only on the root span, so a premium trace always has one here.
      boolean hasRoot = kind == Kind.PREMIUM || random.nextDouble() > 0.02;
      Span.Builder root = span(t.id, 1, 0, "POST /v1/answer", 0, 2000);
      attr(
          root,
          "user.tier",
          kind == Kind.PREMIUM ? (random.nextBoolean() ? "enterprise" : "premium") : "free");
      if (hasRoot) {
        t.add(root, rootAt);
      }
      int chats = 1 + random.nextInt(3);
      for (int c = 0; c < chats; c++) {
        String reason =
            kind == Kind.TRUNCATED && c == chats - 1
                ? (random.nextBoolean() ? "length" : "max_tokens")
                : "stop";
        Span.Builder chat = chat(t.id, 10 + c, 1, "gpt-4o", 500, 200, 0.003, reason);
        if (kind == Kind.LLM_ERROR && c == 0) {
          attr(error(chat), "error.type", "rate_limit_exceeded");
        }
        t.add(chat, start + random.nextInt(1500));
      }
      int tools = random.nextInt(3);
      for (int k = 0; k < tools; k++) {
        Span.Builder tool = span(t.id, 20 + k, 1, "execute_tool search", 0, 100);
        if (kind == Kind.ERROR && k == 0) {
          error(tool);
        }
        t.add(tool, start + random.nextInt(1500));
      }
      if (kind == Kind.ERROR && tools == 0) {
        t.add(error(span(t.id, 30, 1, "db query", 0, 10)), start + random.nextInt(1500));
      }
      if (random.nextDouble() < 0.10) {
        // A straggler, well after the trace was decided.
        t.add(span(t.id, 40, 1, "async eval", 0, 10), rootAt + 2500 + random.nextInt(5000));
        lateSpans++;
      }
      all.add(t);
    }

    // Every span, in arrival order: a stream where traces interleave and arrive out of order.
    List<long[]> events = new ArrayList<>();
    for (int ti = 0; ti < all.size(); ti++) {
      for (int si = 0; si < all.get(ti).spans.size(); si++) {
        events.add(new long[] {all.get(ti).arrivals.get(si), ti, si});
      }
    }
    events.sort(Comparator.comparingLong(e -> e[0]));

    long stepMs = 50;
    int e = 0;
    int sent = 0;
    for (long now = 0; now < 60_000; now += stepMs) {
      clock.set(TimeUnit.MILLISECONDS.toNanos(now));
      List<List<Span.Builder>> batches = new ArrayList<>();
      List<Span.Builder> current = new ArrayList<>();
      int size = 1 + random.nextInt(40);
      while (e < events.size() && events.get(e)[0] < now + stepMs) {
        long[] ev = events.get(e++);
        current.add(all.get((int) ev[1]).spans.get((int) ev[2]).clone());
        sent++;
        if (current.size() == size) {
          batches.add(current);
          current = new ArrayList<>();
          size = 1 + random.nextInt(40);
        }
      }
      if (!current.isEmpty()) {
        batches.add(current);
      }
      List<Callable<Void>> calls = new ArrayList<>();
      for (List<Span.Builder> b : batches) {
        String service = random.nextBoolean() ? "answer-api" : "retriever";
        calls.add(
            () -> {
              p.consume(TestTraces.batch(service, b)).toCompletableFuture().join();
              return null;
            });
      }
      for (Future<Void> f : ingest.invokeAll(calls)) {
        f.get();
      }
      p.tick();
      if (now % 1000 == 0) {
        // Decisions overlap ingestion, but may not fall more than a second of (fake) time behind,
        // so that stragglers are really late.
        await()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .atMost(Duration.ofSeconds(10))
            .until(p::idle);
      }
    }
    assertThat(e).isEqualTo(events.size());
    // The fake clock runs far ahead of the workers: let them catch up.
    await()
        .pollInterval(Duration.ofMillis(5))
        .atMost(Duration.ofSeconds(10))
        .until(() -> p.tracesInMemory() == 0);
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.tracesInMemory()).isZero();
    assertThat(p.bufferedBytes()).isZero();

    Policies.ProbabilisticPolicy tenPercent = new Policies.ProbabilisticPolicy(10, "");
    int others = 0;
    int othersKept = 0;
    int emitted = 0;
    for (SimTrace t : all) {
      List<ByteString> out = ledger.byTrace.getOrDefault(t.id, List.of());
      emitted += out.size();
      // Whole or nothing, each span exactly once, late spans included.
      if (!out.isEmpty()) {
        assertThat(out)
            .as("trace %s (%s) left whole", io.tollgate.core.model.Ids.toHex(t.id), t.kind)
            .hasSize(t.spans.size())
            .doesNotHaveDuplicates();
      }
      boolean kept = !out.isEmpty();
      if (t.kind == Kind.OTHER) {
        others++;
        boolean chosen =
            tenPercent.evaluate(TraceData.of(t.id, List.of())) == Policies.Decision.SAMPLED;
        assertThat(kept).as("an ordinary trace is kept iff its hash chose it").isEqualTo(chosen);
        if (kept) {
          othersKept++;
        }
      } else {
        assertThat(kept).as("a %s trace is always kept", t.kind).isTrue();
      }
    }
    // 10% of the ordinary traces, within 5 standard deviations of a binomial.
    double expected = others * 0.10;
    double sd = Math.sqrt(others * 0.10 * 0.90);
    assertThat((double) othersKept).isBetween(expected - 5 * sd, expected + 5 * sd);
    assertThat(ledger.spans.get()).isEqualTo(emitted);
    // Stragglers were seen and followed the decision.
    double late =
        registry.find("tollgate_processor_tail_sampling_late_spans").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
    assertThat(late).isPositive().isLessThanOrEqualTo(lateSpans);
    assertThat(sent).isEqualTo(events.size());
  }

  @Test
  void aFloodOfHugeTracesNeverTakesTheBufferOverItsBudget() throws Exception {
    AtomicLong clock = new AtomicLong();
    SpanLedger ledger = new SpanLedger();
    long budget = 1024L * 1024;
    TailSamplingProcessor p =
        processor(
            "max_buffered_bytes: 1MiB\nmax_trace_bytes: 96KiB\nnum_shards: 4\n"
                + "policies:\n  - {name: all, type: always_sample}\n",
            clock,
            ledger,
            new SimpleMeterRegistry());

    AtomicBoolean done = new AtomicBoolean();
    AtomicLong highest = new AtomicLong();
    Thread watcher =
        new Thread(
            () -> {
              while (!done.get()) {
                highest.accumulateAndGet(p.bufferedBytes(), Math::max);
                LockSupport.parkNanos(20_000);
              }
            });
    watcher.start();

    int threads = 4;
    int tracesPerThread = 60;
    Map<Integer, Integer> spansSent = new ConcurrentHashMap<>();
    List<Callable<Void>> producers = new ArrayList<>();
    for (int th = 0; th < threads; th++) {
      int seed = th;
      producers.add(
          () -> {
            Random random = new Random(seed);
            // Each thread interleaves a few traces at a time, spans of 2–20 KB.
            int n = 0;
            List<ByteString> open = new ArrayList<>();
            for (int i = 0; i < tracesPerThread; i++) {
              open.add(TestTraces.traceId(random));
              if (open.size() < 4 && i < tracesPerThread - 1) {
                continue;
              }
              for (int round = 0; round < 6; round++) {
                List<Span.Builder> batch = new ArrayList<>();
                for (ByteString t : open) {
                  String body = "p".repeat(2_000 + random.nextInt(18_000));
                  batch.add(
                      attr(
                          span(t, 2 + round, round == 0 ? 0 : 1, "llm", 0, 1),
                          "gen_ai.input.messages",
                          body));
                  n++;
                }
                p.consume(TestTraces.batch("flood", batch)).toCompletableFuture().join();
                highest.accumulateAndGet(p.bufferedBytes(), Math::max);
                clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
              }
              open.clear();
            }
            spansSent.put(seed, n);
            return null;
          });
    }
    for (Future<Void> f : ingest.invokeAll(producers)) {
      f.get();
    }
    done.set(true);
    watcher.join();
    p.shutdown(Instant.now().plusSeconds(10));
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(highest.get()).isPositive().isLessThanOrEqualTo(budget);
    int total = spansSent.values().stream().mapToInt(Integer::intValue).sum();
    // Nothing was dropped without a decision, and no trace lost a span.
    assertThat(ledger.spans.get()).isEqualTo(total);
    Set<Integer> sizes = new java.util.HashSet<>();
    for (List<ByteString> spans : ledger.byTrace.values()) {
      sizes.add(spans.size());
    }
    assertThat(sizes).containsExactly(6);
    assertThat(p.bufferedBytes()).isZero();
  }
}
