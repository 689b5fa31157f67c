package io.tollgate.processor.tailsampling;

import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the {@code tail_sampling} processor. Keys shared with the OpenTelemetry
 * Collector's processor keep its names ({@code decision_wait}, {@code num_shards}, {@code
 * decision_cache}, {@code policies}); the byte budgets replace its {@code num_traces}.
 *
 * @param decisionWait the longest a trace waits for its decision, counted from its first span
 * @param decisionWaitAfterRoot how long after the root span arrives the trace is decided (late
 *     children of a finished root are rare after a second or two)
 * @param maxBufferedBytes heap that all spans waiting for a decision may take (they are held
 *     encoded: their encoded size plus a small constant per arrival); when full, the oldest traces
 *     are decided early
 * @param maxTraceBytes heap one trace may take while buffered; a trace that would exceed it is
 *     decided at once
 * @param numShards independent partitions of the buffer, by trace id
 * @param decisionCache how many decided trace ids are remembered, so that late spans follow the
 *     decision
 * @param policies evaluated over the whole trace; any {@code drop} wins, else any sample keeps it
 */
public record TailSamplingConfig(
    Duration decisionWait,
    Duration decisionWaitAfterRoot,
    ByteSize maxBufferedBytes,
    ByteSize maxTraceBytes,
    int numShards,
    DecisionCache decisionCache,
    List<PolicyConfig> policies)
    implements ComponentConfig {

  public static final Duration DEFAULT_DECISION_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_DECISION_WAIT_AFTER_ROOT = Duration.ofSeconds(2);
  public static final ByteSize DEFAULT_MAX_BUFFERED_BYTES = ByteSize.ofMiB(128);
  public static final ByteSize DEFAULT_MAX_TRACE_BYTES = ByteSize.ofMiB(8);
  private static final int MAX_SHARDS = 1024;

  /**
   * Sizes of the decision caches, in trace ids. An entry costs about 100 bytes of heap; the
   * defaults hold about 12 MiB when full and cover the late spans of roughly 100 s of traffic at
   * 1000 traces/s. 0 turns a cache off (late spans are then buffered and decided again).
   */
  public record DecisionCache(int sampledCacheSize, int nonSampledCacheSize) {
    public static final DecisionCache DEFAULT = new DecisionCache(20_000, 100_000);
  }

  public TailSamplingConfig {
    policies =
        policies == null
            ? Collections.emptyList()
            : Collections.unmodifiableList(new ArrayList<>(policies));
    if (decisionCache == null) {
      decisionCache = DecisionCache.DEFAULT;
    }
  }

  /** The defaults: every key set except {@code policies}, which the user must write. */
  public static TailSamplingConfig defaults() {
    return new TailSamplingConfig(
        DEFAULT_DECISION_WAIT,
        DEFAULT_DECISION_WAIT_AFTER_ROOT,
        DEFAULT_MAX_BUFFERED_BYTES,
        DEFAULT_MAX_TRACE_BYTES,
        Runtime.getRuntime().availableProcessors(),
        DecisionCache.DEFAULT,
        List.of());
  }

  /** A copy with other policies (for tests and programmatic use). */
  public TailSamplingConfig withPolicies(List<PolicyConfig> newPolicies) {
    return new TailSamplingConfig(
        decisionWait,
        decisionWaitAfterRoot,
        maxBufferedBytes,
        maxTraceBytes,
        numShards,
        decisionCache,
        newPolicies);
  }

  @Override
  public void validate(ConfigIssues issues) {
    if (decisionWait == null || decisionWait.isNegative() || decisionWait.isZero()) {
      issues.add("decision_wait", "must be a positive duration such as 30s; got " + decisionWait);
    }
    if (decisionWaitAfterRoot == null || decisionWaitAfterRoot.isNegative()) {
      issues.add(
          "decision_wait_after_root",
          "must be a duration of 0s or more (e.g. 2s); got " + decisionWaitAfterRoot);
    } else if (decisionWait != null && decisionWaitAfterRoot.compareTo(decisionWait) > 0) {
      issues.add(
          "decision_wait_after_root",
          "must not be longer than decision_wait ("
              + decisionWait
              + "); set them equal to always wait decision_wait");
    }
    if (maxBufferedBytes == null || maxBufferedBytes.bytes() == 0) {
      issues.add("max_buffered_bytes", "must be a positive size such as 128MiB");
    }
    if (maxTraceBytes == null || maxTraceBytes.bytes() == 0) {
      issues.add("max_trace_bytes", "must be a positive size such as 8MiB");
    } else if (maxBufferedBytes != null && maxTraceBytes.compareTo(maxBufferedBytes) > 0) {
      issues.add(
          "max_trace_bytes",
          "must not be larger than max_buffered_bytes ("
              + maxBufferedBytes
              + "); got "
              + maxTraceBytes);
    }
    if (numShards < 1 || numShards > MAX_SHARDS) {
      issues.add(
          "num_shards",
          "must be between 1 and "
              + MAX_SHARDS
              + " (the number of cores is a good value); got "
              + numShards);
    }
    if (decisionCache.sampledCacheSize() < 0) {
      issues.at("decision_cache").add("sampled_cache_size", "must be 0 (off) or more");
    }
    if (decisionCache.nonSampledCacheSize() < 0) {
      issues.at("decision_cache").add("non_sampled_cache_size", "must be 0 (off) or more");
    }
    if (policies.isEmpty()) {
      issues.add(
          "policies",
          "list at least one policy; without one no trace would be kept (use type always_sample"
              + " to keep everything)");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < policies.size(); i++) {
      PolicyConfig p = policies.get(i);
      ConfigIssues at = issues.at("policies[" + i + "]");
      if (p == null) {
        at.add("empty policy; remove it");
        continue;
      }
      p.validate(at, true);
      if (p.name() != null && !names.add(p.name())) {
        at.add("name", "\"" + p.name() + "\" is used by another policy; names must be unique");
      }
    }
  }
}
