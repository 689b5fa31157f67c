package io.tollgate.processor.tailsampling;

import static io.tollgate.processor.tailsampling.TestTraces.attr;
import static io.tollgate.processor.tailsampling.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Buffered spans are held encoded and their policy facts folded as they arrive; this compares what
 * comes out with the reference: every policy evaluated over all decoded spans of the trace at
 * decision time ({@link TraceData#of}, conditions tested on the spans), and the sampling attributes
 * written on the root (else earliest) span of the decoded trace, as before. Random traces arrive in
 * pieces, several traces per request, several resources per request; values hold 2-, 3- and 4-byte
 * UTF-8 characters; costs are chosen so that adding them in another order or grouping rounds
 * differently.
 */
class TailSamplingEncodedEquivalenceTest {

  private static final String POLICIES =
      "decision_wait: 10s\n"
          + "decision_wait_after_root: 1s\n"
          + "policies:\n"
          + "  - name: drop-dev-free\n"
          + "    type: drop\n"
          + "    drop:\n"
          + "      drop_sub_policy:\n"
          + "        - {name: dev, type: string_attribute, string_attribute: {key:"
          + " deployment.environment, values: [dev]}}\n"
          + "        - {name: free, type: string_attribute, string_attribute: {key: customer.tier,"
          + " values: ['^fr'], enabled_regex_matching: true}}\n"
          + "  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}\n"
          + "  - name: pricey-gpt4\n"
          + "    type: and\n"
          + "    and:\n"
          + "      and_sub_policy:\n"
          + "        - {name: cost, type: genai_cost, genai_cost: {min_cost_usd: 0.6}}\n"
          + "        - {name: gpt4, type: genai_model, genai_model: {models: ['^gpt-4'],"
          + " enabled_regex_matching: true}}\n"
          + "  - {name: vip, type: string_attribute, string_attribute: {key: customer.tier, values:"
          + " [gold, 'пла́тина', '日本🙂']}}\n"
          + "  - {name: server-errors, type: numeric_attribute, numeric_attribute: {key:"
          + " http.status_code, min_value: 500, max_value: 599}}\n"
          + "  - {name: cached, type: boolean_attribute, boolean_attribute: {key: cache.hit, value:"
          + " true}}\n"
          + "  - {name: truncated, type: genai_truncated}\n"
          + "  - {name: llm-errors, type: genai_error}\n"
          + "  - {name: tokens, type: genai_tokens, genai_tokens: {min_tokens: 9000}}\n"
          + "  - {name: slow, type: latency, latency: {threshold_ms: 900}}\n"
          + "  - name: chatty\n"
          + "    type: and\n"
          + "    and:\n"
          + "      and_sub_policy:\n"
          + "        - {name: many, type: span_count, span_count: {min_spans: 7}}\n"
          + "        - {name: budget, type: rate_limiting, rate_limiting: {spans_per_second:"
          + " 1000000}}\n"
          + "  - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 15}}\n";

  private static final String[] TIERS = {
    "gold", "free", "frugal", "silver", "пла́тина", "日本🙂", "bronze ü", "🙂"
  };
  private static final String[] MODELS = {"gpt-4o", "gpt-4.1-mini", "claude-3-5-sonnet", "gpt-5"};
  private static final double[] COSTS = {0.1, 0.2, 0.3, 0.7, 1e-17, 0.33, 1.0 / 3};
  private static final String[] REASONS = {"stop", "length", " LENGTH ", "tool_calls"};

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void keptTracesAndTheirContentAreWhatTheDecodedPathMakes(long seed) {
    Random random = new Random(seed);
    TailSamplingConfig config = bind(POLICIES);
    RecordingConsumer out = new RecordingConsumer();
    TailSamplingProcessor p = processor(config, out);

    // Traces, each cut into 1-3 arrivals; requests mix the arrivals of several traces.
    int traces = 150;
    List<List<List<Span.Builder>>> pieces = new ArrayList<>();
    List<ByteString> ids = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      ByteString id = TestTraces.traceId(random);
      ids.add(id);
      List<Span.Builder> spans = randomTrace(random, id);
      int cuts = 1 + random.nextInt(Math.min(3, spans.size()));
      List<List<Span.Builder>> arrivals = new ArrayList<>();
      for (int c = 0; c < cuts; c++) {
        arrivals.add(new ArrayList<>());
      }
      for (int i = 0; i < spans.size(); i++) {
        arrivals.get(i < cuts ? i : random.nextInt(cuts)).add(spans.get(i));
      }
      pieces.add(arrivals);
    }
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    int[] next = new int[traces];
    while (true) {
      List<Span.Builder> a = new ArrayList<>();
      List<Span.Builder> b = new ArrayList<>();
      for (int t = 0; t < traces; t++) {
        if (next[t] < pieces.get(t).size() && random.nextInt(4) == 0) {
          (random.nextBoolean() ? a : b).addAll(pieces.get(t).get(next[t]++));
        }
      }
      if (a.isEmpty() && b.isEmpty()) {
        boolean left = false;
        for (int t = 0; t < traces; t++) {
          left |= next[t] < pieces.get(t).size();
        }
        if (!left) {
          break;
        }
        continue;
      }
      ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
      if (!a.isEmpty()) {
        r.addAllResourceSpans(
            withEnv(Spans.request("svc-a", a.toArray(new Span.Builder[0])), "prod")
                .getResourceSpansList());
      }
      if (!b.isEmpty()) {
        r.addAllResourceSpans(
            withEnv(Spans.request("svc-b", b.toArray(new Span.Builder[0])), "dev")
                .getResourceSpansList());
      }
      requests.add(r.build());
    }

    // What the processor holds per trace: the arrivals as consume() groups them, in order.
    Map<ByteString, List<TraceBatch>> arrivals = new LinkedHashMap<>();
    for (ExportTraceServiceRequest r : requests) {
      for (Map.Entry<ByteString, TraceBatch> e : TraceBatch.of(r).groupByTrace().entrySet()) {
        arrivals.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
      }
      assertThat(p.consume(TraceBatch.of(r)).toCompletableFuture()).isCompleted();
    }
    clock.addAndGet(Duration.ofSeconds(11).toNanos());
    p.tick();
    assertThat(p.tracesInMemory()).isZero();
    assertThat(p.bufferedBytes()).isZero();

    // The reference decisions, over decoded spans.
    List<Policies.Policy> reference = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (PolicyConfig c : config.policies()) {
      reference.add(Policies.build(c, clock::get));
      names.add(c.name());
    }
    Map<ByteString, ExportTraceServiceRequest> expected = new HashMap<>();
    Map<String, Integer> keptBy = new HashMap<>();
    for (Map.Entry<ByteString, List<TraceBatch>> e : arrivals.entrySet()) {
      List<TraceBatch> copies = new ArrayList<>();
      for (TraceBatch b : e.getValue()) {
        copies.add(b.copy());
      }
      TraceData data = TraceData.of(e.getKey(), copies);
      String kept = null;
      boolean dropped = false;
      for (int i = 0; i < reference.size(); i++) {
        Policies.Decision d = reference.get(i).evaluate(data);
        if (d == Policies.Decision.DROPPED) {
          dropped = true;
        } else if (d == Policies.Decision.SAMPLED && kept == null) {
          kept = names.get(i);
        }
      }
      if (dropped || kept == null) {
        keptBy.merge(dropped ? "(dropped)" : "(not kept)", 1, Integer::sum);
        continue;
      }
      keptBy.merge(kept, 1, Integer::sum);
      boolean hasRoot = data.spans.stream().anyMatch(SpanRecord::isRoot);
      annotateAsBefore(data, kept, hasRoot ? "root" : "decision_wait");
      TraceBatch all = TraceBatch.empty();
      for (TraceBatch b : copies) {
        all.addAll(b);
      }
      expected.put(e.getKey(), all.toRequest());
    }
    // The random traces reach many policies, drops and traces no policy keeps.
    assertThat(keptBy.keySet()).contains("(dropped)", "(not kept)", "errors", "vip");
    assertThat(keptBy.size()).isGreaterThanOrEqualTo(8);

    // Kept spans leave as the bytes they were held in: batch and the exporters forward them.
    assertThat(out.batches()).isNotEmpty().noneMatch(TraceBatch::isDecoded);
    TraceBatch delivered = TraceBatch.empty();
    for (TraceBatch b : out.batches()) {
      delivered.addAll(b);
    }
    Map<ByteString, TraceBatch> actual = delivered.groupByTrace();
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<ByteString, ExportTraceServiceRequest> e : expected.entrySet()) {
      assertThat(actual.get(e.getKey()).toRequest())
          .as("trace %s", e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(ids).isNotEmpty();
  }

  @org.junit.jupiter.api.Test
  void aTraceDecidedAtOnceMixesHeldBytesWithTheSpansThatForcedIt() {
    RecordingConsumer out = new RecordingConsumer();
    TailSamplingProcessor p =
        processor(
            bind(
                "max_trace_bytes: 12KiB\nmax_buffered_bytes: 1MiB\n"
                    + "policies:\n  - {name: all, type: always_sample}\n"),
            out);
    ByteString id = TestTraces.traceId(new Random(9));
    String prompt = "ü日本🙂 ".repeat(400);
    List<TraceBatch> arrivals = new ArrayList<>();
    // Two arrivals buffered (encoded), then one with the root that takes the trace over its
    // budget: decided at once, that arrival as it came, the root in it annotated.
    arrivals.add(
        TestTraces.batch(attr(span(id, 2, 1, "llm", 5, 10), "gen_ai.input.messages", prompt)));
    arrivals.add(
        TestTraces.batch(attr(span(id, 3, 1, "llm", 0, 10), "gen_ai.input.messages", prompt)));
    arrivals.add(
        TestTraces.batch(
            attr(span(id, 4, 1, "llm", 0, 10), "gen_ai.input.messages", prompt),
            span(id, 1, 0, "root", 1, 20)));
    for (TraceBatch b : arrivals) {
      assertThat(p.consume(b.copy()).toCompletableFuture()).isCompleted();
    }
    assertThat(out.batches()).hasSize(1);
    assertThat(out.batches().get(0).isDecoded()).isFalse();

    TraceData data = TraceData.of(id, arrivals);
    annotateAsBefore(data, "all", "max_trace_bytes");
    TraceBatch expected = TraceBatch.empty();
    for (TraceBatch b : arrivals) {
      expected.addAll(b);
    }
    assertThat(out.batches().get(0).toRequest()).isEqualTo(expected.toRequest());
  }

  /** What the processor wrote before its spans were held encoded, over the decoded spans. */
  private static void annotateAsBefore(TraceData data, String keptBy, String trigger) {
    SpanRecord target = null;
    for (SpanRecord s : data.spans) {
      if (s.isRoot()) {
        target = s;
        break;
      }
      if (target == null || s.startEpochNanos() < target.startEpochNanos()) {
        target = s;
      }
    }
    target.attributes().put(SamplingAttributes.POLICY, keptBy);
    target.attributes().put(SamplingAttributes.TRIGGER, trigger);
    if (data.llmSpans > 0) {
      target.attributes().put(SamplingAttributes.TRACE_LLM_SPANS, (long) data.llmSpans);
      target.attributes().put(SamplingAttributes.TRACE_INPUT_TOKENS, data.inputTokens);
      target.attributes().put(SamplingAttributes.TRACE_OUTPUT_TOKENS, data.outputTokens);
      if (data.hasCost) {
        target.attributes().put(SamplingAttributes.TRACE_COST, data.costUsd);
      }
    }
  }

  private static ExportTraceServiceRequest withEnv(ExportTraceServiceRequest r, String env) {
    ExportTraceServiceRequest.Builder b = r.toBuilder();
    b.getResourceSpansBuilder(0)
        .getResourceBuilder()
        .addAttributes(Spans.kv("deployment.environment", env));
    return b.build();
  }

  private static List<Span.Builder> randomTrace(Random random, ByteString id) {
    int n = 1 + random.nextInt(9);
    List<Span.Builder> spans = new ArrayList<>();
    // Most traces have one root, some none (it never came), a few two (broken instrumentation).
    int roots = random.nextInt(10) < 7 ? 1 : random.nextInt(10) < 8 ? 0 : 2;
    for (int i = 0; i < n; i++) {
      boolean root = i < roots;
      // Starts collide often, so that "the first of the earliest" matters.
      long start = random.nextInt(4) * 100L;
      long end = start + random.nextInt(1200);
      Span.Builder s = span(id, i + 1, root ? 0 : 1, "span " + i, start, end);
      if (random.nextInt(8) == 0) {
        s.setStatus(
            Status.newBuilder()
                .setCode(
                    random.nextBoolean()
                        ? Status.StatusCode.STATUS_CODE_ERROR
                        : Status.StatusCode.STATUS_CODE_OK));
      }
      if (random.nextInt(3) == 0) {
        attr(s, "customer.tier", TIERS[random.nextInt(TIERS.length)]);
      }
      if (random.nextInt(8) == 0) {
        int code = 200 + 100 * random.nextInt(4);
        attr(s, "http.status_code", random.nextBoolean() ? (Object) code : String.valueOf(code));
      }
      if (random.nextInt(12) == 0) {
        attr(s, "cache.hit", random.nextBoolean() ? (Object) true : "true");
      }
      if (random.nextInt(15) == 0) {
        // Already there: the processor's put replaces it in place.
        attr(s, SamplingAttributes.POLICY, "upstream");
      }
      if (random.nextInt(2) == 0) {
        String model = MODELS[random.nextInt(MODELS.length)];
        switch (random.nextInt(3)) {
          case 0:
            attr(s, "gen_ai.operation.name", "chat");
            break;
          case 1:
            attr(s, "gen_ai.operation.name", "invoke_agent");
            break;
          default:
            break;
        }
        attr(s, "gen_ai.request.model", model);
        if (random.nextBoolean()) {
          attr(s, "gen_ai.response.model", model + "-2024");
        }
        attr(s, "gen_ai.usage.input_tokens", (long) random.nextInt(5000));
        attr(s, "gen_ai.usage.output_tokens", String.valueOf(random.nextInt(2000)));
        if (random.nextInt(4) != 0) {
          attr(s, "gen_ai.usage.cost", COSTS[random.nextInt(COSTS.length)]);
        }
        if (random.nextInt(3) == 0) {
          attr(
              s,
              "gen_ai.response.finish_reasons",
              List.of(REASONS[random.nextInt(REASONS.length)]));
        }
        if (random.nextInt(20) == 0) {
          attr(s, "error.type", "rate_limited");
        }
        attr(s, "gen_ai.input.messages", "prompt — ü 日本 🙂 \"quoted\\\" \n" + i);
      }
      spans.add(s);
    }
    Collections.shuffle(spans, random);
    return spans;
  }

  private static TailSamplingConfig bind(String yaml) {
    return ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "tail_sampling", yaml);
  }

  /** A processor that decides on the calling thread, on the test's clock. */
  private TailSamplingProcessor processor(TailSamplingConfig config, RecordingConsumer out) {
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("tail_sampling"))
            .workers(Runnable::run)
            .build();
    return new TailSamplingProcessor(config, ctx, out, clock::get);
  }
}
