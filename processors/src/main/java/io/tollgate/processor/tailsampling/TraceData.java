package io.tollgate.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import io.tollgate.processor.internal.GenAiOperations;
import io.tollgate.processor.internal.VercelAiSpans;
import io.tollgate.processor.tailsampling.Policies.SpanCondition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything the policies see of one trace: facts over its spans, computed once so that no policy
 * walks the spans for them again (duration, LLM errors, finish reasons, total cost and tokens,
 * models, and whether any span meets each policy's {@link SpanCondition}).
 *
 * <p><b>Folded as spans arrive.</b> A buffered trace keeps its spans encoded, so its facts are
 * gathered when each arrival comes in ({@link #ofArrival}, outside any lock) and merged into the
 * trace's ({@link #merge}, under the shard's lock, in arrival order). Every fact is an aggregate
 * that merging reproduces exactly as one pass over all spans in arrival order would: counts, sums
 * of longs, min and max, set unions; the cost, a sum of doubles, is added span by span in that
 * order (per-arrival subtotals would round differently); a condition's outcome is the first event
 * in span order, a match or an exception, as the short-circuiting loop over the spans had it.
 *
 * <p>{@link #of} makes the same facts in one pass over decoded spans and keeps them, so that a
 * policy can also be evaluated over the spans themselves (the reference the tests compare with).
 *
 * <p>Only <em>LLM spans</em> count towards the GenAI totals: a span whose {@code
 * gen_ai.operation.name} is an inference or embeddings operation, or that has no operation name but
 * names a model and is not a Vercel AI SDK wrapper span. Agent and workflow spans, and Vercel's
 * {@code ai.generateText}-style wrappers, repeat their children's usage: they are left out, so
 * totals are not counted twice.
 */
final class TraceData {

  static final String OPERATION = "gen_ai.operation.name";
  static final String REQUEST_MODEL = "gen_ai.request.model";
  static final String RESPONSE_MODEL = "gen_ai.response.model";
  static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  static final String COST = "gen_ai.usage.cost";
  static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
  static final String ERROR_TYPE = "error.type";

  /** A condition's outcome: no span met it (yet). */
  static final byte NO_MATCH = 0;

  /** A span met the condition. */
  static final byte MATCH = 1;

  /** Testing a span threw before any span met the condition (see {@link #failures}). */
  static final byte FAILED = 2;

  private static final double[] NO_COSTS = new double[0];

  final ByteString traceId;

  /** The spans, only when made by {@link #of} (decoded, for reference); else null. */
  final List<SpanRecord> spans;

  int spanCount;
  private long minStart = Long.MAX_VALUE;
  private long maxEnd = Long.MIN_VALUE;
  int llmSpans;
  int llmErrors;
  boolean hasCost;
  double costUsd;
  long inputTokens;
  long outputTokens;

  /** Lower-cased finish reasons seen on any span. */
  Set<String> finishReasons = Collections.emptySet();

  /** Request and response models of the LLM spans. */
  Set<String> models = Collections.emptySet();

  /** Per {@link SpanCondition#index}: {@link #NO_MATCH}, {@link #MATCH} or {@link #FAILED}. */
  private byte[] outcomes;

  /** Per condition that {@link #FAILED}: what the span test threw. */
  private RuntimeException[] failures;

  /** An arrival's LLM span costs in span order, for an exact merge; null in a trace's facts. */
  private double[] costs;

  private int costCount;

  /**
   * The span that gets the sampling attributes when the trace is kept: the first root span, else
   * the first of the earliest-starting spans (in arrival order). {@link #targetArrival} is the
   * index of its arrival in the trace (always 0 in one arrival's facts), {@link #targetSpan} its
   * index in the arrival's span order; -1 when there are no spans.
   */
  int targetArrival = -1;

  int targetSpan = -1;
  boolean targetIsRoot;
  private long targetStart;

  private TraceData(ByteString traceId, List<SpanRecord> spans, int conditions) {
    this.traceId = traceId;
    this.spans = spans;
    this.outcomes = conditions == 0 ? null : new byte[conditions];
  }

  /** Empty facts of a trace, to {@link #merge} arrivals into. */
  static TraceData forTrace(ByteString traceId, int conditions) {
    return new TraceData(traceId, null, conditions);
  }

  /** The facts of one arrival (one trace's spans from one request), in one pass over its spans. */
  static TraceData ofArrival(ByteString traceId, TraceBatch arrival, SpanCondition[] conditions) {
    TraceData d = new TraceData(traceId, null, conditions.length);
    d.costs = NO_COSTS;
    int[] index = {0};
    arrival.forEachSpan(s -> d.accept(s, index[0]++, conditions));
    if (d.targetSpan >= 0) {
      d.targetArrival = 0;
    }
    return d;
  }

  /**
   * The facts of a decoded trace in one pass, keeping its spans, so that policies can also be
   * evaluated over the spans (conditions are then tested on the spans, not looked up).
   */
  static TraceData of(ByteString traceId, List<TraceBatch> batches) {
    List<SpanRecord> spans = new ArrayList<>();
    for (TraceBatch b : batches) {
      b.forEachSpan(spans::add);
    }
    TraceData d = new TraceData(traceId, spans, 0);
    int index = 0;
    for (SpanRecord s : spans) {
      d.accept(s, index++, new SpanCondition[0]);
    }
    if (d.targetSpan >= 0) {
      d.targetArrival = 0;
    }
    return d;
  }

  /** Folds one span (the {@code index}-th of its arrival) into these facts. */
  private void accept(SpanRecord s, int index, SpanCondition[] conditions) {
    spanCount++;
    long start = s.startEpochNanos();
    minStart = Math.min(minStart, start);
    maxEnd = Math.max(maxEnd, s.endEpochNanos());
    if (!targetIsRoot) {
      if (s.isRoot()) {
        targetSpan = index;
        targetIsRoot = true;
      } else if (targetSpan < 0 || start < targetStart) {
        targetSpan = index;
        targetStart = start;
      }
    }
    for (int c = 0; c < conditions.length; c++) {
      if (outcomes[c] != NO_MATCH) {
        continue;
      }
      try {
        if (conditions[c].test(s)) {
          outcomes[c] = MATCH;
        }
      } catch (RuntimeException e) {
        outcomes[c] = FAILED;
        if (failures == null) {
          failures = new RuntimeException[conditions.length];
        }
        failures[c] = e;
      }
    }
    AttributeView a = s.attributes();
    AnyValue fr = a.get(FINISH_REASONS);
    if (fr != null) {
      for (String r : Values.asStrings(fr)) {
        if (finishReasons.isEmpty()) {
          finishReasons = new HashSet<>(4);
        }
        finishReasons.add(r.trim().toLowerCase(Locale.ROOT));
      }
    }
    String op = a.getString(OPERATION);
    String requestModel = a.getString(REQUEST_MODEL);
    String responseModel = a.getString(RESPONSE_MODEL);
    boolean isLlm =
        op != null
            ? GenAiOperations.MODEL_CALLS.contains(op)
            : (requestModel != null || responseModel != null) && !isVercelWrapper(a);
    if (!isLlm) {
      return;
    }
    llmSpans++;
    if (s.statusCode() == Status.StatusCode.STATUS_CODE_ERROR || a.contains(ERROR_TYPE)) {
      llmErrors++;
    }
    Double c = a.getDouble(COST);
    if (c != null && c >= 0) {
      hasCost = true;
      costUsd += c;
      if (costs != null) {
        if (costCount == costs.length) {
          costs = Arrays.copyOf(costs, Math.max(4, costCount * 2));
        }
        costs[costCount++] = c;
      }
    }
    Long i = a.getLong(INPUT_TOKENS);
    if (i != null && i > 0) {
      inputTokens += i;
    }
    Long o = a.getLong(OUTPUT_TOKENS);
    if (o != null && o > 0) {
      outputTokens += o;
    }
    if (requestModel != null || responseModel != null) {
      if (models.isEmpty()) {
        models = new HashSet<>(4);
      }
      if (requestModel != null) {
        models.add(requestModel);
      }
      if (responseModel != null) {
        models.add(responseModel);
      }
    }
  }

  /**
   * Whether the span is a Vercel AI SDK wrapper ({@code ai.generateText}, {@code ai.streamText},
   * {@code ai.embed}, ...) rather than one of its model calls ({@code ai.*.doGenerate}, {@code
   * .doStream}, {@code .doEmbed}). A wrapper names the model (so {@code genai_normalize} gives it
   * {@code gen_ai.request.model}) and repeats its steps' usage: counting it would count each call
   * twice.
   */
  private static boolean isVercelWrapper(AttributeView a) {
    String id = a.getString(VercelAiSpans.OPERATION_ID);
    return id != null && !VercelAiSpans.isModelCall(id);
  }

  /**
   * Adds the facts of the trace's next arrival, the {@code arrivalIndex}-th, as if its spans had
   * been folded here one by one. {@code arrival} is not used afterwards (its sets may be adopted).
   */
  void merge(TraceData arrival, int arrivalIndex) {
    spanCount += arrival.spanCount;
    minStart = Math.min(minStart, arrival.minStart);
    maxEnd = Math.max(maxEnd, arrival.maxEnd);
    if (!targetIsRoot && arrival.targetSpan >= 0) {
      if (arrival.targetIsRoot) {
        targetArrival = arrivalIndex;
        targetSpan = arrival.targetSpan;
        targetIsRoot = true;
      } else if (targetSpan < 0 || arrival.targetStart < targetStart) {
        targetArrival = arrivalIndex;
        targetSpan = arrival.targetSpan;
        targetStart = arrival.targetStart;
      }
    }
    if (outcomes != null) {
      for (int c = 0; c < outcomes.length; c++) {
        if (outcomes[c] == NO_MATCH && arrival.outcomes[c] != NO_MATCH) {
          outcomes[c] = arrival.outcomes[c];
          if (arrival.outcomes[c] == FAILED) {
            if (failures == null) {
              failures = new RuntimeException[outcomes.length];
            }
            failures[c] = arrival.failures[c];
          }
        }
      }
    }
    finishReasons = union(finishReasons, arrival.finishReasons);
    models = union(models, arrival.models);
    llmSpans += arrival.llmSpans;
    llmErrors += arrival.llmErrors;
    hasCost |= arrival.hasCost;
    for (int c = 0; c < arrival.costCount; c++) {
      costUsd += arrival.costs[c];
    }
    inputTokens += arrival.inputTokens;
    outputTokens += arrival.outputTokens;
  }

  private static Set<String> union(Set<String> mine, Set<String> theirs) {
    if (theirs.isEmpty()) {
      return mine;
    }
    if (mine.isEmpty()) {
      return theirs;
    }
    mine.addAll(theirs);
    return mine;
  }

  /**
   * Whether any span meets {@code condition}: tested on the spans when this holds them, else looked
   * up in what the arrivals found. Throws what the test threw, as a test over the spans would have.
   */
  boolean anySpan(SpanCondition condition) {
    if (spans != null) {
      for (SpanRecord s : spans) {
        if (condition.test(s)) {
          return true;
        }
      }
      return false;
    }
    byte outcome = outcomes[condition.index];
    if (outcome == FAILED) {
      throw failures[condition.index];
    }
    return outcome == MATCH;
  }

  int spanCount() {
    return spanCount;
  }

  long minStartNanos() {
    return spanCount == 0 ? 0 : minStart;
  }

  long maxEndNanos() {
    return spanCount == 0 ? 0 : maxEnd;
  }

  /** Latest end minus earliest start, in milliseconds (0 for an empty or odd trace). */
  long durationMillis() {
    long d = maxEndNanos() - minStartNanos();
    return d > 0 ? d / 1_000_000 : 0;
  }

  long totalTokens() {
    return inputTokens + outputTokens;
  }
}
