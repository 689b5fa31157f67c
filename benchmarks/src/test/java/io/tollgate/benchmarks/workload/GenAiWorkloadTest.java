package io.tollgate.benchmarks.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.benchmarks.workload.GenAiWorkload.Dialect;
import io.tollgate.benchmarks.workload.GenAiWorkload.GeneratedTrace;
import io.tollgate.benchmarks.workload.GenAiWorkload.TraceInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenAiWorkloadTest {

  private static final int TRACES = 1500;
  private static List<GeneratedTrace> traces;

  @BeforeAll
  static void generate() {
    GenAiWorkload w = GenAiWorkload.withSeed(7);
    traces = new ArrayList<>(TRACES);
    for (int i = 0; i < TRACES; i++) {
      traces.add(w.nextTrace());
    }
  }

  @Test
  void sameSeedGivesSameBytesAndOtherSeedsDoNot() {
    List<byte[]> a = GenAiWorkload.withSeed(123).encodedRequests(5);
    List<byte[]> b = GenAiWorkload.withSeed(123).encodedRequests(5);
    List<byte[]> c = GenAiWorkload.withSeed(124).encodedRequests(5);
    for (int i = 0; i < 5; i++) {
      assertThat(a.get(i)).isEqualTo(b.get(i));
      assertThat(a.get(i)).isNotEqualTo(c.get(i));
    }
  }

  @Test
  void requestsHoldExactlyTheConfiguredSpansOfOneService() throws Exception {
    GenAiWorkload w = GenAiWorkload.builder().seed(1).spansPerRequest(37).build();
    for (int i = 0; i < 20; i++) {
      ExportTraceServiceRequest r =
          ExportTraceServiceRequest.parseFrom(w.nextRequest().toByteArray());
      assertThat(r.getResourceSpansCount()).isEqualTo(1);
      int spans =
          r.getResourceSpans(0).getScopeSpansList().stream().mapToInt(s -> s.getSpansCount()).sum();
      assertThat(spans).isEqualTo(37);
    }
  }

  @Test
  void errorAndTruncatedSharesAreAboutFivePercent() {
    long errors = traces.stream().filter(t -> t.info().error()).count();
    long truncated = traces.stream().filter(t -> t.info().truncated()).count();
    // 5% of 1500 is 75; 3.5 standard deviations is about 29.
    assertThat(errors).isBetween(46L, 104L);
    assertThat(truncated).isBetween(46L, 104L);
    // And the spans say so: an error trace has an ERROR root and an exception event.
    for (GeneratedTrace t : traces) {
      Span root = t.spans().get(t.spans().size() - 1);
      assertThat(root.getParentSpanId().isEmpty()).isTrue();
      boolean rootFailed = root.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
      assertThat(rootFailed).isEqualTo(t.info().error());
      boolean hasException =
          t.spans().stream()
              .anyMatch(
                  s -> s.getEventsList().stream().anyMatch(e -> e.getName().equals("exception")));
      assertThat(hasException).isEqualTo(t.info().error());
    }
  }

  @Test
  void truncatedTracesSayLengthAndUseAllTheirTokens() {
    GeneratedTrace t = traces.stream().filter(x -> x.info().truncated()).findFirst().orElseThrow();
    boolean sawLength =
        t.spans().stream()
            .flatMap(s -> s.getAttributesList().stream())
            .anyMatch(
                kv ->
                    kv.getValue().getStringValue().equals("length")
                        || kv.getValue().getArrayValue().getValuesList().stream()
                            .anyMatch(v -> v.getStringValue().equals("length"))
                        || kv.getValue().getStringValue().contains("\"finish_reason\":\"length\""));
    assertThat(sawLength).isTrue();
  }

  @Test
  void promptsAreOneToThirtyTwoKibWithAMedianNearFour() {
    List<Integer> sizes = new ArrayList<>();
    traces.forEach(t -> sizes.addAll(t.info().promptBytes()));
    Collections.sort(sizes);
    assertThat(sizes.get(0)).isGreaterThanOrEqualTo(1000); // 1 KiB less at most one word
    assertThat(sizes.get(sizes.size() - 1)).isLessThanOrEqualTo(32 * 1024 + 2600);
    int median = sizes.get(sizes.size() / 2);
    assertThat(median).isBetween(3500, 5000);
    // Some prompts are large: the tail matters for the decoder.
    assertThat(sizes.get(sizes.size() * 99 / 100)).isGreaterThan(16 * 1024);
    List<Integer> completions = new ArrayList<>();
    traces.forEach(t -> completions.addAll(t.info().completionBytes()));
    assertThat(completions).allMatch(c -> c >= 190 && c <= 4096);
  }

  @Test
  void oneToThreeLlmCallsAndEveryDialectAppears() {
    Map<Dialect, Integer> byDialect = new EnumMap<>(Dialect.class);
    for (GeneratedTrace t : traces) {
      TraceInfo info = t.info();
      assertThat(info.promptBytes()).hasSizeBetween(1, 3);
      byDialect.merge(info.dialect(), 1, Integer::sum);
    }
    assertThat(byDialect.keySet()).containsExactlyInAnyOrder(Dialect.values());
    assertThat(byDialect.get(Dialect.OTEL)).isBetween(450, 600); // weight 0.35
  }

  @Test
  void systemPromptsRepeatAcrossTraces() {
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (GeneratedTrace t : traces) {
      for (Span s : t.spans()) {
        for (KeyValue kv : s.getAttributesList()) {
          if (kv.getKey().equals("gen_ai.prompt.0.content")
              || kv.getKey().equals("llm.input_messages.0.message.content")) {
            seen.merge(kv.getValue().getStringValue(), 1, Integer::sum);
          }
        }
      }
    }
    assertThat(seen.size()).isLessThanOrEqualTo(8); // 2 per service of these dialects
    assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(500);
  }

  @Test
  void piiShareControlsPersonalData() {
    Pattern email = Pattern.compile("[a-z]+\\.[a-z]+@[a-z.]+");
    GenAiWorkload clean = GenAiWorkload.builder().seed(3).piiShare(0).build();
    GenAiWorkload dirty = GenAiWorkload.builder().seed(3).piiShare(1).build();
    int cleanPii = 0;
    int dirtyPii = 0;
    boolean cleanHasEmail = false;
    for (int i = 0; i < 200; i++) {
      cleanPii += clean.nextTrace().info().piiItems();
      GeneratedTrace d = dirty.nextTrace();
      dirtyPii += d.info().piiItems();
    }
    for (int i = 0; i < 5; i++) {
      String text = clean.nextRequest().toString();
      cleanHasEmail |= email.matcher(text).find();
    }
    assertThat(cleanPii).isZero();
    assertThat(cleanHasEmail).isFalse();
    assertThat(dirtyPii).isGreaterThan(200);
    long defaultPii = traces.stream().filter(t -> t.info().piiItems() > 0).count();
    assertThat(defaultPii).isBetween(TRACES / 5L, TRACES / 2L);
  }
}
