package io.tollgate.processor.tailsampling;

import static io.tollgate.processor.tailsampling.TestTraces.attr;
import static io.tollgate.processor.tailsampling.TestTraces.chat;
import static io.tollgate.processor.tailsampling.TestTraces.error;
import static io.tollgate.processor.tailsampling.TestTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.processor.tailsampling.Policies.Decision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PoliciesTest {

  private final Random random = new Random(7);
  private final ByteString trace = TestTraces.traceId(random);
  private final AtomicLong clock = new AtomicLong();

  private Decision eval(String yamlPolicy, Span.Builder... spans) {
    TailSamplingConfig config =
        ComponentConfigs.bindValid(
            ComponentKind.PROCESSOR, "tail_sampling", "policies:\n" + yamlPolicy.indent(2));
    Policies.Policy p = Policies.build(config.policies().get(0), clock::get);
    return p.evaluate(TraceData.of(trace, List.of(TestTraces.batch(spans))));
  }

  private Span.Builder root() {
    return span(trace, 1, 0, "POST /summarize", 0, 1200);
  }

  @Test
  void statusCodeLooksAtEverySpan() {
    String policy = "- {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}";
    assertThat(eval(policy, root(), span(trace, 2, 1, "db", 5, 10)))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(policy, root(), error(span(trace, 2, 1, "db", 5, 10))))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void latencyIsTheWholeTraceDuration() {
    String lower = "- {name: slow, type: latency, latency: {threshold_ms: 1000}}";
    String band =
        "- {name: band, type: latency, latency: {threshold_ms: 1000, upper_threshold_ms: 1100}}";
    // 0..1200 ms in total, though no single span lasts a second.
    Span.Builder a = span(trace, 2, 1, "a", 0, 600);
    Span.Builder b = span(trace, 3, 1, "b", 600, 1200);
    assertThat(eval(lower, a.clone(), b.clone())).isEqualTo(Decision.SAMPLED);
    assertThat(eval(band, a.clone(), b.clone())).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(lower, span(trace, 2, 1, "a", 0, 999))).isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void stringAttributeMatchesSpansAndResourcesExactlyOrByRegex() {
    String exact =
        "- {name: vip, type: string_attribute,"
            + " string_attribute: {key: user.tier, values: [enterprise, premium]}}";
    String regex =
        "- {name: vip, type: string_attribute, string_attribute: {key: user.tier,"
            + " values: ['^ent'], enabled_regex_matching: true}}";
    String inverted =
        "- {name: not-free, type: string_attribute,"
            + " string_attribute: {key: user.tier, values: [free], invert_match: true}}";
    assertThat(eval(exact, attr(root(), "user.tier", "enterprise"))).isEqualTo(Decision.SAMPLED);
    assertThat(eval(exact, attr(root(), "user.tier", "free"))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(exact, attr(root(), "user.tier", "enterprise-trial")))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(regex, attr(root(), "user.tier", "enterprise-trial")))
        .isEqualTo(Decision.SAMPLED);
    assertThat(eval(inverted, attr(root(), "user.tier", "free"))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(inverted, attr(root(), "user.tier", "premium"))).isEqualTo(Decision.SAMPLED);
    // The collector's rule: with invert_match a trace without the key is sampled.
    assertThat(eval(inverted, root())).isEqualTo(Decision.SAMPLED);

    // Resource attributes count too.
    TailSamplingConfig config =
        ComponentConfigs.bindValid(
            ComponentKind.PROCESSOR,
            "tail_sampling",
            "policies:\n"
                + "  - {name: svc, type: string_attribute,"
                + " string_attribute: {key: service.name, values: [billing]}}");
    Policies.Policy p = Policies.build(config.policies().get(0), clock::get);
    TraceBatch billing = TestTraces.batch("billing", List.of(root()));
    assertThat(p.evaluate(TraceData.of(trace, List.of(billing)))).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void numericAndBooleanAttributes() {
    String numeric =
        "- {name: big, type: numeric_attribute, numeric_attribute: {key: http.response.status_code,"
            + " min_value: 500, max_value: 599}}";
    assertThat(eval(numeric, attr(root(), "http.response.status_code", 503)))
        .isEqualTo(Decision.SAMPLED);
    // Lenient: a number sent as a string still compares.
    assertThat(eval(numeric, attr(root(), "http.response.status_code", "502")))
        .isEqualTo(Decision.SAMPLED);
    assertThat(eval(numeric, attr(root(), "http.response.status_code", 200)))
        .isEqualTo(Decision.NOT_SAMPLED);
    String minOnly =
        "- {name: long-prompt, type: numeric_attribute,"
            + " numeric_attribute: {key: gen_ai.usage.input_tokens, min_value: 10000}}";
    assertThat(eval(minOnly, chat(trace, 2, 1, "gpt-4o", 12000, 10, 0.01)))
        .isEqualTo(Decision.SAMPLED);

    String bool =
        "- {name: flagged, type: boolean_attribute,"
            + " boolean_attribute: {key: app.flagged, value: true}}";
    assertThat(eval(bool, attr(root(), "app.flagged", true))).isEqualTo(Decision.SAMPLED);
    assertThat(eval(bool, attr(root(), "app.flagged", false))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(bool, root())).isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void spanCount() {
    String p = "- {name: chatty, type: span_count, span_count: {min_spans: 3, max_spans: 4}}";
    assertThat(eval(p, root(), span(trace, 2, 1, "a", 0, 1))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(p, root(), span(trace, 2, 1, "a", 0, 1), span(trace, 3, 1, "b", 0, 1)))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void genaiErrorOnlyCountsLlmSpans() {
    String p = "- {name: llm-errors, type: genai_error}";
    assertThat(eval(p, root(), error(span(trace, 2, 1, "db", 0, 1))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(p, root(), error(chat(trace, 2, 1, "gpt-4o", 10, 0, 0))))
        .isEqualTo(Decision.SAMPLED);
    // error.type without an ERROR status (some instrumentations) counts too.
    assertThat(
            eval(p, root(), attr(chat(trace, 2, 1, "gpt-4o", 10, 0, 0), "error.type", "timeout")))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void genaiTruncatedReadsFinishReasons() {
    String defaults = "- {name: truncated, type: genai_truncated}";
    String custom =
        "- {name: filtered, type: genai_truncated,"
            + " genai_truncated: {finish_reasons: [content_filter]}}";
    assertThat(eval(defaults, root(), chat(trace, 2, 1, "gpt-4o", 10, 4096, 0.1, "length")))
        .isEqualTo(Decision.SAMPLED);
    assertThat(eval(defaults, root(), chat(trace, 2, 1, "claude", 10, 4096, 0.1, "max_tokens")))
        .isEqualTo(Decision.SAMPLED);
    assertThat(eval(defaults, root(), chat(trace, 2, 1, "gpt-4o", 10, 40, 0.1, "stop")))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(custom, root(), chat(trace, 2, 1, "gpt-4o", 10, 4, 0.1, "content_filter")))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void genaiCostAndTokensSumTheTraceButNotAgentSpans() {
    String cost = "- {name: pricey, type: genai_cost, genai_cost: {min_cost_usd: 0.10}}";
    String tokens = "- {name: big, type: genai_tokens, genai_tokens: {min_tokens: 10000}}";
    Span.Builder c1 = chat(trace, 2, 1, "gpt-4o", 4000, 1000, 0.06);
    Span.Builder c2 = chat(trace, 3, 1, "gpt-4o", 4000, 1000, 0.06);
    // An agent span that repeats its children's usage must not be counted twice.
    Span.Builder agent = span(trace, 4, 1, "invoke_agent planner", 0, 1000);
    attr(agent, "gen_ai.operation.name", "invoke_agent");
    attr(agent, "gen_ai.request.model", "gpt-4o");
    attr(agent, "gen_ai.usage.input_tokens", 8000);
    attr(agent, "gen_ai.usage.cost", 0.12);
    assertThat(eval(cost, root(), c1.clone())).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(eval(cost, root(), c1.clone(), c2.clone())).isEqualTo(Decision.SAMPLED);
    assertThat(eval(tokens, root(), c1.clone(), c2.clone(), agent.clone()))
        .isEqualTo(Decision.SAMPLED);
    TraceData data =
        TraceData.of(trace, List.of(TestTraces.batch(root(), c1.clone(), c2.clone(), agent)));
    assertThat(data.llmSpans).isEqualTo(2);
    assertThat(data.costUsd).isEqualTo(0.12, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(data.inputTokens).isEqualTo(8000);
    assertThat(data.outputTokens).isEqualTo(2000);
  }

  @Test
  void genaiModelMatchesRequestOrResponseModel() {
    String p =
        "- {name: gpt5, type: genai_model,"
            + " genai_model: {models: ['^gpt-5'], enabled_regex_matching: true}}";
    assertThat(eval(p, root(), chat(trace, 2, 1, "gpt-5-mini", 1, 1, 0)))
        .isEqualTo(Decision.SAMPLED);
    assertThat(eval(p, root(), chat(trace, 2, 1, "gpt-4o", 1, 1, 0)))
        .isEqualTo(Decision.NOT_SAMPLED);
    String exact = "- {name: exact, type: genai_model, genai_model: {models: [gpt-4o-2024-08-06]}}";
    assertThat(eval(exact, root(), chat(trace, 2, 1, "gpt-4o", 1, 1, 0)))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void andNeedsEveryOneAndDropVetoes() {
    String and =
        "- name: enterprise-errors\n"
            + "  type: and\n"
            + "  and:\n"
            + "    and_sub_policy:\n"
            + "      - {name: e, type: status_code, status_code: {status_codes: [ERROR]}}\n"
            + "      - {name: t, type: string_attribute,"
            + " string_attribute: {key: user.tier, values: [enterprise]}}\n";
    assertThat(eval(and, error(attr(root(), "user.tier", "enterprise"))))
        .isEqualTo(Decision.SAMPLED);
    assertThat(eval(and, attr(root(), "user.tier", "enterprise"))).isEqualTo(Decision.NOT_SAMPLED);

    String drop =
        "- name: no-health\n"
            + "  type: drop\n"
            + "  drop:\n"
            + "    drop_sub_policy:\n"
            + "      - {name: h, type: string_attribute,"
            + " string_attribute: {key: url.path, values: [/healthz]}}\n";
    assertThat(eval(drop, attr(root(), "url.path", "/healthz"))).isEqualTo(Decision.DROPPED);
    assertThat(eval(drop, attr(root(), "url.path", "/chat"))).isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void rateLimitingRefillsWithTheClock() {
    String p = "- {name: cap, type: rate_limiting, rate_limiting: {spans_per_second: 2}}";
    TailSamplingConfig config =
        ComponentConfigs.bindValid(
            ComponentKind.PROCESSOR, "tail_sampling", "policies:\n" + p.indent(2));
    Policies.Policy policy = Policies.build(config.policies().get(0), clock::get);
    TraceData twoSpans =
        TraceData.of(trace, List.of(TestTraces.batch(root(), span(trace, 2, 1, "a", 0, 1))));
    // The bucket starts full with a burst of 2 × 2 spans.
    assertThat(policy.evaluate(twoSpans)).isEqualTo(Decision.SAMPLED);
    assertThat(policy.evaluate(twoSpans)).isEqualTo(Decision.SAMPLED);
    assertThat(policy.evaluate(twoSpans)).isEqualTo(Decision.NOT_SAMPLED);
    clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(policy.evaluate(twoSpans)).isEqualTo(Decision.SAMPLED);
    assertThat(policy.evaluate(twoSpans)).isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void probabilisticUsesTheCollectorsFnv1aHash() {
    // FNV-1a 64 test vectors: "" and "a".
    assertThat(Policies.ProbabilisticPolicy.hash(new byte[0], ByteString.EMPTY))
        .isEqualTo(0xcbf29ce484222325L);
    assertThat(
            Policies.ProbabilisticPolicy.hash(
                "a".getBytes(StandardCharsets.UTF_8), ByteString.EMPTY))
        .isEqualTo(0xaf63dc4c8601ec8cL);
    // Salt then trace id, as one stream.
    assertThat(
            Policies.ProbabilisticPolicy.hash(
                "a".getBytes(StandardCharsets.UTF_8), ByteString.copyFromUtf8("b")))
        .isEqualTo(Policies.ProbabilisticPolicy.hash(new byte[0], ByteString.copyFromUtf8("ab")));
  }

  @Test
  void probabilisticKeepsItsShareAndAgreesAcrossInstances() {
    Policies.ProbabilisticPolicy a = new Policies.ProbabilisticPolicy(10, "");
    Policies.ProbabilisticPolicy b = new Policies.ProbabilisticPolicy(10, "");
    Policies.ProbabilisticPolicy salted = new Policies.ProbabilisticPolicy(10, "other");
    int n = 20_000;
    int kept = 0;
    int disagreeWithSalted = 0;
    for (int i = 0; i < n; i++) {
      TraceData t = TraceData.of(TestTraces.traceId(random), List.of());
      Decision d = a.evaluate(t);
      // Another replica (or a restart) decides the same.
      assertThat(b.evaluate(t)).isEqualTo(d);
      if (d == Decision.SAMPLED) {
        kept++;
      }
      if (salted.evaluate(t) != d) {
        disagreeWithSalted++;
      }
    }
    // Binomial(20000, 0.1): sd = 42; allow 5 sd.
    assertThat(kept).isBetween(2000 - 212, 2000 + 212);
    // A different salt picks a different 10%.
    assertThat(disagreeWithSalted).isGreaterThan(n / 10);
    assertThat(new Policies.ProbabilisticPolicy(100, "").evaluate(TraceData.of(trace, List.of())))
        .isEqualTo(Decision.SAMPLED);
    assertThat(new Policies.ProbabilisticPolicy(0, "").evaluate(TraceData.of(trace, List.of())))
        .isEqualTo(Decision.NOT_SAMPLED);
  }
}
