package io.tollgate.processor.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ProcessorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TailSamplingConfigTest {

  /** Binds {@code yaml} as the {@code tail_sampling} section, through the real config loader. */
  private static TailSamplingConfig bind(String yaml) {
    return ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "tail_sampling", yaml);
  }

  /** What the loader reports for the section, with paths relative to it. */
  private static List<String> problems(String yaml) {
    return ComponentConfigs.problems(ComponentKind.PROCESSOR, "tail_sampling", yaml);
  }

  @Test
  void defaultsAreCompleteAndFixTheCollectorsZeroCaches() {
    TailSamplingConfig d = new TailSamplingProcessorFactory().defaultConfig();
    assertThat(d.decisionWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.decisionWaitAfterRoot()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.maxBufferedBytes()).isEqualTo(ByteSize.ofMiB(128));
    assertThat(d.maxTraceBytes()).isEqualTo(ByteSize.ofMiB(8));
    assertThat(d.numShards()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(d.decisionCache().sampledCacheSize()).isPositive();
    assertThat(d.decisionCache().nonSampledCacheSize()).isPositive();
    // Without policies nothing would ever be kept: the user must write them.
    assertThat(problems(""))
        .singleElement()
        .asString()
        .startsWith("policies: list at least one policy");
    // Round trip through the loader's tree: nothing but the policies the user wrote changes.
    TailSamplingConfig bound = bind("policies: [{name: all, type: always_sample}]");
    assertThat(bound.policies()).singleElement().extracting(PolicyConfig::name).isEqualTo("all");
    assertThat(
            new TailSamplingConfig(
                bound.decisionWait(),
                bound.decisionWaitAfterRoot(),
                bound.maxBufferedBytes(),
                bound.maxTraceBytes(),
                bound.numShards(),
                bound.decisionCache(),
                d.policies()))
        .isEqualTo(d);
  }

  @Test
  void theReadmeDefaultBlockLoadsAndValidates() throws Exception {
    String doc = Files.readString(Path.of("../README.md"));
    Matcher m =
        Pattern.compile("```yaml\n(processors:\n  tail_sampling:.*?)```", Pattern.DOTALL)
            .matcher(doc);
    assertThat(m.find()).as("the default tail_sampling block in README.md").isTrue();
    // The block as written in the docs, under its two heading lines.
    String header = "processors:\n  tail_sampling:\n";
    assertThat(m.group(1)).startsWith(header);
    TailSamplingConfig config =
        bind(m.group(1).substring(header.length()).stripTrailing().stripIndent());
    assertThat(config.policies())
        .extracting(PolicyConfig::type)
        .containsExactly(
            "status_code", "genai_error", "genai_truncated", "string_attribute", "probabilistic");
    assertThat(config.policies().get(3).stringAttribute().key()).isEqualTo("user.tier");
    assertThat(config.policies().get(4).probabilistic().samplingPercentage()).isEqualTo(10.0);
  }

  @Test
  void bindsCollectorStyleYaml() {
    TailSamplingConfig c =
        bind(
            "decision_wait: 10s\n"
                + "decision_wait_after_root: 500ms\n"
                + "max_buffered_bytes: 64MiB\n"
                + "max_trace_bytes: 1MiB\n"
                + "num_shards: 4\n"
                + "decision_cache: {sampled_cache_size: 500}\n"
                + "policies:\n"
                + "  - name: slow\n"
                + "    type: latency\n"
                + "    latency: {threshold_ms: 5000}\n"
                + "  - name: svc\n"
                + "    type: string_attribute\n"
                + "    string_attribute:\n"
                + "      key: service.name\n"
                + "      values: [checkout]\n"
                + "      cache_max_size: 128\n");
    assertThat(c.decisionWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.decisionWaitAfterRoot()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.maxBufferedBytes()).isEqualTo(ByteSize.ofMiB(64));
    assertThat(c.numShards()).isEqualTo(4);
    // Deep-merged: the other cache keeps its default.
    assertThat(c.decisionCache()).isEqualTo(new TailSamplingConfig.DecisionCache(500, 100_000));
    assertThat(c.policies().get(0).latency().thresholdMs()).isEqualTo(5000);
  }

  @Test
  void unknownKeysAreRejectedByTheBinder() {
    assertThat(problems("num_traces: 50000\npolicies: []"))
        .singleElement()
        .asString()
        .startsWith("num_traces: unknown key");
    assertThat(
            problems(
                "policies:\n"
                    + "  - {name: p, type: probabilistic,"
                    + " probabilistic: {sampling_percentag: 10}}"))
        .singleElement()
        .asString()
        .startsWith("policies[0].probabilistic.sampling_percentag: unknown key");
  }

  @Test
  void eachPolicyNeedsItsOwnBlockAndNoOther() {
    List<String> problems =
        problems(
            "policies:\n"
                + "  - {name: a, type: probabilistic}\n"
                + "  - {name: b, type: status_code, probabilistic: {sampling_percentage: 5},"
                + " status_code: {status_codes: [ERROR]}}\n"
                + "  - {name: c, type: sometimes}\n"
                + "  - {name: c, type: always_sample}\n"
                + "  - {type: genai_error}\n");
    assertThat(problems)
        .containsExactly(
            "policies[0].probabilistic: type \"probabilistic\" needs its options in a"
                + " \"probabilistic\" block",
            "policies[1].probabilistic: this block belongs to type \"probabilistic\" but the"
                + " policy's type is \"status_code\"; remove it or change the type",
            "policies[2].type: unknown policy type \"sometimes\"; use one of: "
                + PolicyType.allIds(),
            "policies[3].name: \"c\" is used by another policy; names must be unique",
            "policies[4].name: every policy needs a name (it labels the metrics and the kept"
                + " traces)");
  }

  @Test
  void valuesAreCheckedWithTheirPath() {
    List<String> issues =
        problems(
            "decision_wait: 1s\n"
                + "decision_wait_after_root: 2s\n"
                + "max_buffered_bytes: 1MiB\n"
                + "max_trace_bytes: 2MiB\n"
                + "num_shards: 0\n"
                + "policies:\n"
                + "  - {name: p, type: probabilistic, probabilistic: {sampling_percentage: -1}}\n"
                + "  - {name: s, type: status_code, status_code: {status_codes: [FAILED]}}\n"
                + "  - {name: r, type: string_attribute, string_attribute: {key: k, values:"
                + " ['(unclosed'], enabled_regex_matching: true}}\n"
                + "  - {name: n, type: numeric_attribute, numeric_attribute: {key: k}}\n"
                + "  - {name: l, type: latency, latency: {threshold_ms: 100, upper_threshold_ms:"
                + " 50}}\n"
                + "  - {name: rl, type: rate_limiting, rate_limiting: {spans_per_second: 0}}\n"
                + "  - {name: cost, type: genai_cost, genai_cost: {}}\n"
                + "  - name: nested\n"
                + "    type: and\n"
                + "    and:\n"
                + "      and_sub_policy:\n"
                + "        - {name: inner, type: drop, drop: {drop_sub_policy: []}}\n");
    assertThat(issues)
        .anySatisfy(i -> assertThat(i).startsWith("decision_wait_after_root: must not be longer"))
        .anySatisfy(i -> assertThat(i).startsWith("max_trace_bytes: must not be larger"))
        .anySatisfy(i -> assertThat(i).startsWith("num_shards: must be between 1 and 1024"))
        .anySatisfy(i -> assertThat(i).startsWith("policies[0].probabilistic.sampling_percentage"))
        .anySatisfy(i -> assertThat(i).contains("unknown status code \"FAILED\""))
        .anySatisfy(i -> assertThat(i).contains("\"(unclosed\" is not a valid regular expression"))
        .anySatisfy(
            i ->
                assertThat(i)
                    .isEqualTo(
                        "policies[3].numeric_attribute: set min_value, max_value or both (the range"
                            + " is inclusive)"))
        .anySatisfy(i -> assertThat(i).startsWith("policies[4].latency.upper_threshold_ms"))
        .anySatisfy(i -> assertThat(i).startsWith("policies[5].rate_limiting.spans_per_second"))
        .anySatisfy(i -> assertThat(i).startsWith("policies[6].genai_cost.min_cost_usd"))
        .anySatisfy(
            i ->
                assertThat(i)
                    .startsWith(
                        "policies[7].and.and_sub_policy[0].type: \"drop\" cannot be a sub-policy"));
  }

  @Test
  @SuppressWarnings("rawtypes")
  void theFactoryIsFoundByTheServiceLoader() {
    ServiceLoader<ProcessorFactory> loader = ServiceLoader.load(ProcessorFactory.class);
    assertThat(loader.stream().map(p -> p.get().type()))
        .contains("tail_sampling", "batch", "memory_limiter");
  }
}
