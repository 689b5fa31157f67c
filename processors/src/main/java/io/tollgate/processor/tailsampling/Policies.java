package io.tollgate.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Builds the evaluators of validated {@link PolicyConfig}s. */
final class Policies {

  private Policies() {}

  /** What one policy says about one trace. */
  enum Decision {
    SAMPLED,
    NOT_SAMPLED,
    /** Only {@code drop} says this; it overrides every {@link #SAMPLED}. */
    DROPPED
  }

  /** Evaluates one policy over a whole trace. Implementations are thread-safe. */
  interface Policy {
    Decision evaluate(TraceData trace);
  }

  /**
   * A question a policy asks of every span ("does any span have this status, this attribute?"). The
   * processor tests each span as it arrives and keeps only the answer per trace ({@link
   * TraceData#anySpan}), so that buffered spans can stay encoded. Tests must be pure: the same span
   * gives the same answer whenever it is asked.
   */
  abstract static class SpanCondition {
    /** Position in the processor's list of conditions; -1 until registered. */
    int index = -1;

    abstract boolean test(SpanRecord span);
  }

  /**
   * A policy whose span conditions are not registered anywhere: it can only evaluate {@link
   * TraceData} that holds its spans ({@link TraceData#of}).
   */
  static Policy build(PolicyConfig c, LongSupplier nanoClock) {
    return build(c, nanoClock, new ArrayList<>());
  }

  /**
   * @param nanoClock for {@code rate_limiting}'s token bucket
   * @param conditions receives the span conditions of the policy (and of its sub-policies), each
   *     with its index in the list, in the order they are built
   */
  static Policy build(PolicyConfig c, LongSupplier nanoClock, List<SpanCondition> conditions) {
    PolicyType type = c.policyType();
    switch (type) {
      case ALWAYS_SAMPLE:
        return t -> Decision.SAMPLED;
      case PROBABILISTIC:
        return new ProbabilisticPolicy(
            c.probabilistic().samplingPercentage(), c.probabilistic().hashSalt());
      case STATUS_CODE:
        return statusCode(c.statusCode().statusCodes(), conditions);
      case LATENCY:
        return latency(c.latency());
      case NUMERIC_ATTRIBUTE:
        return numeric(c.numericAttribute(), conditions);
      case STRING_ATTRIBUTE:
        {
          PolicyConfig.StringAttribute s = c.stringAttribute();
          Predicate<String> matcher = matcher(s.values(), s.enabledRegexMatching());
          return attribute(
              s.key(),
              v -> {
                for (String str : Values.asStrings(v)) {
                  if (!str.isEmpty() && matcher.test(str)) {
                    return true;
                  }
                }
                return false;
              },
              s.invertMatch(),
              conditions);
        }
      case BOOLEAN_ATTRIBUTE:
        {
          PolicyConfig.BooleanAttribute b = c.booleanAttribute();
          boolean wanted = b.value();
          return attribute(
              b.key(),
              v -> Boolean.valueOf(wanted).equals(Values.asBoolean(v)),
              b.invertMatch(),
              conditions);
        }
      case SPAN_COUNT:
        {
          int min = c.spanCount().minSpans();
          Integer maxOrNull = c.spanCount().maxSpans();
          int max = maxOrNull == null || maxOrNull == 0 ? Integer.MAX_VALUE : maxOrNull;
          return t -> decide(t.spanCount() >= min && t.spanCount() <= max);
        }
      case RATE_LIMITING:
        return new RateLimitingPolicy(c.rateLimiting().spansPerSecond(), nanoClock);
      case GENAI_ERROR:
        return t -> decide(t.llmErrors > 0);
      case GENAI_TRUNCATED:
        {
          List<String> configured =
              c.genaiTruncated() == null || c.genaiTruncated().finishReasons() == null
                  ? PolicyConfig.DEFAULT_TRUNCATION_REASONS
                  : c.genaiTruncated().finishReasons();
          Set<String> reasons = new HashSet<>();
          for (String r : configured) {
            reasons.add(r.trim().toLowerCase(Locale.ROOT));
          }
          return t -> {
            for (String r : t.finishReasons) {
              if (reasons.contains(r)) {
                return Decision.SAMPLED;
              }
            }
            return Decision.NOT_SAMPLED;
          };
        }
      case GENAI_COST:
        {
          double min = c.genaiCost().minCostUsd();
          return t -> decide(t.hasCost && t.costUsd >= min);
        }
      case GENAI_TOKENS:
        {
          long min = c.genaiTokens().minTokens();
          return t -> decide(t.llmSpans > 0 && t.totalTokens() >= min);
        }
      case GENAI_MODEL:
        {
          PolicyConfig.GenAiModel m = c.genaiModel();
          Predicate<String> matcher = matcher(m.models(), m.enabledRegexMatching());
          boolean invert = m.invertMatch();
          return t -> {
            boolean any = false;
            for (String model : t.models) {
              if (matcher.test(model)) {
                any = true;
                break;
              }
            }
            return decide(any != invert);
          };
        }
      case AND:
        {
          List<Policy> subs = buildAll(c.subPolicies(), nanoClock, conditions);
          return t -> {
            // In order, stopping at the first "no": a rate_limiting written last only spends its
            // budget on traces that every other sub-policy matched.
            for (Policy p : subs) {
              if (p.evaluate(t) != Decision.SAMPLED) {
                return Decision.NOT_SAMPLED;
              }
            }
            return Decision.SAMPLED;
          };
        }
      case DROP:
        {
          List<Policy> subs = buildAll(c.subPolicies(), nanoClock, conditions);
          return t -> {
            for (Policy p : subs) {
              if (p.evaluate(t) != Decision.SAMPLED) {
                return Decision.NOT_SAMPLED;
              }
            }
            return Decision.DROPPED;
          };
        }
      default:
        throw new IllegalArgumentException("unknown policy type " + c.type());
    }
  }

  private static List<Policy> buildAll(
      List<PolicyConfig> configs, LongSupplier nanoClock, List<SpanCondition> conditions) {
    List<Policy> out = new ArrayList<>(configs.size());
    for (PolicyConfig sub : configs) {
      out.add(build(sub, nanoClock, conditions));
    }
    return out;
  }

  private static SpanCondition register(SpanCondition c, List<SpanCondition> conditions) {
    c.index = conditions.size();
    conditions.add(c);
    return c;
  }

  private static Decision decide(boolean sample) {
    return sample ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }

  private static Policy statusCode(List<String> codes, List<SpanCondition> conditions) {
    Set<Status.StatusCode> wanted = EnumSet.noneOf(Status.StatusCode.class);
    for (String code : codes) {
      wanted.add(Status.StatusCode.valueOf("STATUS_CODE_" + code.trim().toUpperCase(Locale.ROOT)));
    }
    SpanCondition any =
        register(
            new SpanCondition() {
              @Override
              boolean test(SpanRecord s) {
                return wanted.contains(s.statusCode());
              }
            },
            conditions);
    return t -> decide(t.anySpan(any));
  }

  /** The collector's rule: [threshold, ∞) without an upper bound, else (threshold, upper]. */
  private static Policy latency(PolicyConfig.Latency l) {
    long lower = l.thresholdMs();
    long upper = l.upperThresholdMs() == null ? 0 : l.upperThresholdMs();
    return t -> {
      long d = t.durationMillis();
      return decide(upper == 0 ? d >= lower : d > lower && d <= upper);
    };
  }

  private static Policy numeric(PolicyConfig.NumericAttribute n, List<SpanCondition> conditions) {
    double min = n.minValue() == null ? Double.NEGATIVE_INFINITY : n.minValue();
    double max = n.maxValue() == null ? Double.POSITIVE_INFINITY : n.maxValue();
    return attribute(
        n.key(),
        v -> {
          Double d = Values.asDouble(v);
          return d != null && d >= min && d <= max;
        },
        n.invertMatch(),
        conditions);
  }

  /**
   * Samples when a span or the resource of a span has {@code key} with a value that matches; with
   * {@code invert}, samples when none does (a trace without the key is then sampled).
   */
  private static Policy attribute(
      String key, Predicate<AnyValue> matches, boolean invert, List<SpanCondition> conditions) {
    SpanCondition has =
        register(
            new SpanCondition() {
              @Override
              boolean test(SpanRecord s) {
                AnyValue v = s.attributes().get(key);
                if (v != null && matches.test(v)) {
                  return true;
                }
                AnyValue r = s.resourceAttributes().get(key);
                return r != null && matches.test(r);
              }
            },
            conditions);
    return t -> decide(t.anySpan(has) != invert);
  }

  /**
   * Exact values, or regular expressions that match anywhere in the value as the collector's Go
   * regexps do (anchor them with {@code ^…$} to match the whole value).
   */
  private static Predicate<String> matcher(List<String> values, boolean regex) {
    if (regex) {
      List<Pattern> patterns = new ArrayList<>(values.size());
      for (String v : values) {
        patterns.add(Pattern.compile(v));
      }
      return s -> {
        for (Pattern p : patterns) {
          if (p.matcher(s).find()) {
            return true;
          }
        }
        return false;
      };
    }
    Set<String> exact = new HashSet<>(values);
    return exact::contains;
  }

  /**
   * Keeps a fixed share of traces by hashing the trace id, so that every replica and every restart
   * makes the same choice. The hash is the collector's (FNV-1a 64 over the salt, then the trace id
   * bytes, compared with percentage × 2^64): with the same salt, Tollgate and the OpenTelemetry
   * Collector keep the same traces, which makes mixed fleets and migrations safe.
   */
  static final class ProbabilisticPolicy implements Policy {
    /** The collector's salt when none is configured. */
    static final String DEFAULT_SALT = "default-hash-seed";

    private static final BigInteger MAX_UINT64 =
        BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final byte[] salt;
    private final long threshold;
    private final boolean all;
    private final boolean none;

    ProbabilisticPolicy(double percentage, String salt) {
      this.salt =
          (salt == null || salt.isEmpty() ? DEFAULT_SALT : salt).getBytes(StandardCharsets.UTF_8);
      this.all = percentage >= 100;
      this.none = percentage <= 0;
      // Unsigned threshold, computed exactly (a double cannot hold 2^64 - 1).
      this.threshold =
          new BigDecimal(MAX_UINT64)
              .multiply(BigDecimal.valueOf(Math.min(Math.max(percentage, 0), 100) / 100))
              .toBigInteger()
              .longValue();
    }

    @Override
    public Decision evaluate(TraceData t) {
      if (all) {
        return Decision.SAMPLED;
      }
      if (none) {
        return Decision.NOT_SAMPLED;
      }
      return decide(Long.compareUnsigned(hash(salt, t.traceId), threshold) <= 0);
    }

    static long hash(byte[] salt, ByteString traceId) {
      long h = 0xcbf29ce484222325L;
      for (byte b : salt) {
        h = (h ^ (b & 0xff)) * 0x100000001b3L;
      }
      for (int i = 0; i < traceId.size(); i++) {
        h = (h ^ (traceId.byteAt(i) & 0xff)) * 0x100000001b3L;
      }
      return h;
    }
  }

  /**
   * A token bucket over spans: refills at {@code spans_per_second}, holds at most twice that (the
   * collector's burst), and a trace passes only if all its spans fit.
   */
  static final class RateLimitingPolicy implements Policy {
    private final double perNano;
    private final double capacity;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private double tokens;
    private long last;

    RateLimitingPolicy(long spansPerSecond, LongSupplier clock) {
      this.perNano = spansPerSecond / 1e9;
      this.capacity = 2.0 * spansPerSecond;
      this.clock = clock;
      this.tokens = capacity;
      this.last = clock.getAsLong();
    }

    @Override
    public Decision evaluate(TraceData t) {
      int n = t.spanCount();
      synchronized (lock) {
        long now = clock.getAsLong();
        tokens = Math.min(capacity, tokens + Math.max(0, now - last) * perNano);
        last = now;
        if (tokens >= n) {
          tokens -= n;
          return Decision.SAMPLED;
        }
        return Decision.NOT_SAMPLED;
      }
    }
  }
}
