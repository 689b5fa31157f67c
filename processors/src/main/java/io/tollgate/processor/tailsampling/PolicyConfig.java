package io.tollgate.processor.tailsampling;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.core.component.ConfigIssues;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One sampling policy, written as the OpenTelemetry Collector writes it: a {@code name}, a {@code
 * type}, and the options in a block named after the type:
 *
 * <pre>
 * - name: ten-percent
 *   type: probabilistic
 *   probabilistic: {sampling_percentage: 10}
 * </pre>
 *
 * <p>All blocks are optional fields of this one record so that plain Jackson binds it; {@link
 * #validate} checks that the block matching {@code type} is there and that no other block is.
 * Within a block, a key the user leaves out is {@code null} (or {@code false}), so that validation
 * can tell "missing" from "zero".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyConfig(
    String name,
    String type,
    Probabilistic probabilistic,
    StatusCode statusCode,
    Latency latency,
    NumericAttribute numericAttribute,
    StringAttribute stringAttribute,
    BooleanAttribute booleanAttribute,
    SpanCount spanCount,
    RateLimiting rateLimiting,
    GenAiTruncated genaiTruncated,
    GenAiCost genaiCost,
    GenAiTokens genaiTokens,
    GenAiModel genaiModel,
    And and,
    Drop drop) {

  /** Samples a fixed share of traces, decided by a hash of the trace id. */
  public record Probabilistic(Double samplingPercentage, String hashSalt) {}

  /** Samples traces with a span whose status is one of {@code OK}, {@code ERROR}, {@code UNSET}. */
  public record StatusCode(List<String> statusCodes) {}

  /** Samples traces whose duration (latest end − earliest start) is in a range. */
  public record Latency(Long thresholdMs, Long upperThresholdMs) {}

  /** Samples traces with a span or resource whose numeric attribute is in [min, max]. */
  public record NumericAttribute(
      String key, Double minValue, Double maxValue, boolean invertMatch) {}

  /**
   * Samples traces with a span or resource whose string attribute is one of {@code values} (or
   * matches one of them as a regular expression). {@code cache_max_size} is accepted so that
   * collector configs load; it has no effect here.
   */
  public record StringAttribute(
      String key,
      List<String> values,
      boolean enabledRegexMatching,
      Integer cacheMaxSize,
      boolean invertMatch) {}

  /** Samples traces with a span or resource whose boolean attribute has {@code value}. */
  public record BooleanAttribute(String key, Boolean value, boolean invertMatch) {}

  /** Samples traces with between {@code min_spans} and {@code max_spans} (0: no maximum) spans. */
  public record SpanCount(Integer minSpans, Integer maxSpans) {}

  /** Samples traces while fewer than {@code spans_per_second} spans per second were sampled. */
  public record RateLimiting(Long spansPerSecond) {}

  /** Samples traces with an LLM answer cut off by its token limit. */
  public record GenAiTruncated(List<String> finishReasons) {}

  /** Samples traces whose LLM calls cost at least {@code min_cost_usd} in total. */
  public record GenAiCost(Double minCostUsd) {}

  /** Samples traces whose LLM calls used at least {@code min_tokens} tokens (input + output). */
  public record GenAiTokens(Long minTokens) {}

  /** Samples traces with an LLM call to one of {@code models} (request or response model). */
  public record GenAiModel(
      List<String> models, boolean enabledRegexMatching, boolean invertMatch) {}

  /** Samples when every sub-policy samples. */
  public record And(List<PolicyConfig> andSubPolicy) {}

  /** Drops the trace, whatever other policies say, when every sub-policy samples it. */
  public record Drop(List<PolicyConfig> dropSubPolicy) {}

  /** The finish reasons that mean "cut at the token limit" (OpenAI and Anthropic spellings). */
  static final List<String> DEFAULT_TRUNCATION_REASONS = List.of("length", "max_tokens");

  private static final Set<String> STATUS_CODES = Set.of("OK", "ERROR", "UNSET");

  /** Shorthand for tests and programmatic configs: a policy with only its name and type. */
  public static PolicyConfig of(String name, String type) {
    return new PolicyConfig(
        name, type, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  /** The option block of {@code t}, or null when absent. */
  Object block(PolicyType t) {
    switch (t) {
      case PROBABILISTIC:
        return probabilistic;
      case STATUS_CODE:
        return statusCode;
      case LATENCY:
        return latency;
      case NUMERIC_ATTRIBUTE:
        return numericAttribute;
      case STRING_ATTRIBUTE:
        return stringAttribute;
      case BOOLEAN_ATTRIBUTE:
        return booleanAttribute;
      case SPAN_COUNT:
        return spanCount;
      case RATE_LIMITING:
        return rateLimiting;
      case GENAI_TRUNCATED:
        return genaiTruncated;
      case GENAI_COST:
        return genaiCost;
      case GENAI_TOKENS:
        return genaiTokens;
      case GENAI_MODEL:
        return genaiModel;
      case AND:
        return and;
      case DROP:
        return drop;
      default:
        return null;
    }
  }

  PolicyType policyType() {
    return type == null ? null : PolicyType.byId(type.trim());
  }

  /**
   * Checks this policy. {@code topLevel} is false for the sub-policies of {@code and} and {@code
   * drop}, which may not be combinators themselves (as in the collector).
   */
  void validate(ConfigIssues issues, boolean topLevel) {
    if (name == null || name.isBlank()) {
      issues.add("name", "every policy needs a name (it labels the metrics and the kept traces)");
    }
    PolicyType t = policyType();
    if (t == null) {
      issues.add(
          "type",
          (type == null ? "missing" : "unknown policy type \"" + type + "\"")
              + "; use one of: "
              + PolicyType.allIds());
      return;
    }
    if (!topLevel && t.isCombinator()) {
      issues.add(
          "type",
          "\"" + t.id() + "\" cannot be a sub-policy; write it as a top-level policy instead");
    }
    for (PolicyType other : PolicyType.values()) {
      if (other != t && block(other) != null) {
        issues.add(
            other.id(),
            "this block belongs to type \""
                + other.id()
                + "\" but the policy's type is \""
                + t.id()
                + "\"; remove it or change the type");
      }
    }
    Object block = block(t);
    if (block == null) {
      if (t.block() == PolicyType.Block.REQUIRED) {
        issues.add(
            t.id(), "type \"" + t.id() + "\" needs its options in a \"" + t.id() + "\" block");
      }
      return;
    }
    ConfigIssues at = issues.at(t.id());
    switch (t) {
      case PROBABILISTIC:
        validateProbabilistic(at);
        break;
      case STATUS_CODE:
        validateStatusCode(at);
        break;
      case LATENCY:
        validateLatency(at);
        break;
      case NUMERIC_ATTRIBUTE:
        validateNumeric(at);
        break;
      case STRING_ATTRIBUTE:
        requireKey(at, stringAttribute.key());
        validateValues(
            at, "values", stringAttribute.values(), stringAttribute.enabledRegexMatching());
        break;
      case BOOLEAN_ATTRIBUTE:
        requireKey(at, booleanAttribute.key());
        at.require(booleanAttribute.value() != null, "value", "set value: true or false");
        break;
      case SPAN_COUNT:
        validateSpanCount(at);
        break;
      case RATE_LIMITING:
        at.require(
            rateLimiting.spansPerSecond() != null && rateLimiting.spansPerSecond() > 0,
            "spans_per_second",
            "must be a positive number of spans per second; got " + rateLimiting.spansPerSecond());
        break;
      case GENAI_TRUNCATED:
        if (genaiTruncated.finishReasons() != null && genaiTruncated.finishReasons().isEmpty()) {
          at.add(
              "finish_reasons",
              "list at least one finish reason (or leave the key out for "
                  + DEFAULT_TRUNCATION_REASONS
                  + ")");
        }
        break;
      case GENAI_COST:
        at.require(
            genaiCost.minCostUsd() != null && genaiCost.minCostUsd() >= 0,
            "min_cost_usd",
            "set the trace cost in USD from which traces are kept (e.g. 0.50); got "
                + genaiCost.minCostUsd());
        break;
      case GENAI_TOKENS:
        at.require(
            genaiTokens.minTokens() != null && genaiTokens.minTokens() >= 0,
            "min_tokens",
            "set the trace token total from which traces are kept (e.g. 100000); got "
                + genaiTokens.minTokens());
        break;
      case GENAI_MODEL:
        validateValues(at, "models", genaiModel.models(), genaiModel.enabledRegexMatching());
        break;
      case AND:
        validateSubPolicies(at, "and_sub_policy", and.andSubPolicy());
        break;
      case DROP:
        validateSubPolicies(at, "drop_sub_policy", drop.dropSubPolicy());
        break;
      default:
        break;
    }
  }

  private void validateProbabilistic(ConfigIssues at) {
    Double p = probabilistic.samplingPercentage();
    if (p == null || p.isNaN() || p < 0) {
      at.add(
          "sampling_percentage",
          "set the share of traces to keep, in percent (e.g. 10 for 10%); got " + p);
    }
  }

  private void validateStatusCode(ConfigIssues at) {
    List<String> codes = statusCode.statusCodes();
    if (codes == null || codes.isEmpty()) {
      at.add("status_codes", "list at least one of OK, ERROR, UNSET");
      return;
    }
    for (String c : codes) {
      if (c == null || !STATUS_CODES.contains(c.trim().toUpperCase(Locale.ROOT))) {
        at.add("status_codes", "unknown status code \"" + c + "\"; use OK, ERROR or UNSET");
      }
    }
  }

  private void validateLatency(ConfigIssues at) {
    Long lower = latency.thresholdMs();
    Long upper = latency.upperThresholdMs();
    if (lower == null || lower < 0) {
      at.add("threshold_ms", "set the trace duration in milliseconds from which traces are kept");
    }
    if (upper != null && upper != 0 && (upper < 0 || (lower != null && upper <= lower))) {
      at.add(
          "upper_threshold_ms",
          "must be greater than threshold_ms ("
              + lower
              + "), or 0 for no upper bound; got "
              + upper);
    }
  }

  private void validateNumeric(ConfigIssues at) {
    requireKey(at, numericAttribute.key());
    Double min = numericAttribute.minValue();
    Double max = numericAttribute.maxValue();
    if (min == null && max == null) {
      at.add("set min_value, max_value or both (the range is inclusive)");
    } else if (min != null && max != null && min > max) {
      at.add("max_value", "must not be less than min_value (" + min + "); got " + max);
    }
  }

  private void validateSpanCount(ConfigIssues at) {
    Integer min = spanCount.minSpans();
    Integer max = spanCount.maxSpans();
    if (min == null || min < 0) {
      at.add("min_spans", "set the smallest number of spans a kept trace has; got " + min);
    }
    if (max != null && max != 0 && (max < 0 || (min != null && max < min))) {
      at.add(
          "max_spans", "must be at least min_spans (" + min + "), or 0 for no maximum; got " + max);
    }
  }

  private static void requireKey(ConfigIssues at, String key) {
    at.require(key != null && !key.isBlank(), "key", "set the attribute key to look at");
  }

  private static void validateValues(
      ConfigIssues at, String field, List<String> values, boolean regex) {
    if (values == null || values.isEmpty()) {
      at.add(field, "list at least one value");
      return;
    }
    if (regex) {
      for (String v : values) {
        try {
          Pattern.compile(v == null ? "" : v);
        } catch (PatternSyntaxException e) {
          at.add(field, "\"" + v + "\" is not a valid regular expression: " + e.getDescription());
        }
      }
    }
  }

  private static void validateSubPolicies(ConfigIssues at, String field, List<PolicyConfig> subs) {
    if (subs == null || subs.isEmpty()) {
      at.add(field, "list at least one sub-policy");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < subs.size(); i++) {
      PolicyConfig sub = subs.get(i);
      ConfigIssues subAt = at.at(field + "[" + i + "]");
      if (sub == null) {
        subAt.add("empty sub-policy; remove it");
        continue;
      }
      sub.validate(subAt, false);
      if (sub.name() != null && !names.add(sub.name())) {
        subAt.add("name", "\"" + sub.name() + "\" is used twice in " + field);
      }
    }
  }

  /** The sub-policies of a combinator, never null. */
  List<PolicyConfig> subPolicies() {
    if (and != null && and.andSubPolicy() != null) {
      return and.andSubPolicy();
    }
    if (drop != null && drop.dropSubPolicy() != null) {
      return drop.dropSubPolicy();
    }
    return Collections.emptyList();
  }
}
