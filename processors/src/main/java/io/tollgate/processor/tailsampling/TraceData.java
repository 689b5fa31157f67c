package io.tollgate.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Status;
import io.tollgate.core.model.AttributeView;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything the policies see of one buffered trace: its spans and the trace-level facts computed
 * once, in one pass, so that no policy walks the spans for them again (duration, LLM errors, finish
 * reasons, total cost and tokens, models).
 *
 * <p>Only <em>LLM spans</em> count towards the GenAI totals: a span whose {@code
 * gen_ai.operation.name} is an inference or embeddings operation, or that has no operation name but
 * names a model. Agent and workflow spans that repeat their children's usage are left out, so
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

  private static final Set<String> LLM_OPERATIONS =
      Set.of("chat", "text_completion", "generate_content", "embeddings");

  final ByteString traceId;
  final List<SpanRecord> spans;
  final long minStartNanos;
  final long maxEndNanos;
  final int llmSpans;
  final int llmErrors;
  final boolean hasCost;
  final double costUsd;
  final long inputTokens;
  final long outputTokens;

  /** Lower-cased finish reasons seen on any span. */
  final Set<String> finishReasons;

  /** Request and response models of the LLM spans. */
  final Set<String> models;

  private TraceData(ByteString traceId, List<SpanRecord> spans) {
    this.traceId = traceId;
    this.spans = spans;
    long minStart = Long.MAX_VALUE;
    long maxEnd = Long.MIN_VALUE;
    int llm = 0;
    int errors = 0;
    boolean anyCost = false;
    double cost = 0;
    long in = 0;
    long out = 0;
    Set<String> reasons = null;
    Set<String> seenModels = null;
    for (SpanRecord s : spans) {
      minStart = Math.min(minStart, s.startEpochNanos());
      maxEnd = Math.max(maxEnd, s.endEpochNanos());
      AttributeView a = s.attributes();
      AnyValue fr = a.get(FINISH_REASONS);
      if (fr != null) {
        for (String r : Values.asStrings(fr)) {
          if (reasons == null) {
            reasons = new HashSet<>(4);
          }
          reasons.add(r.trim().toLowerCase(Locale.ROOT));
        }
      }
      String op = a.getString(OPERATION);
      String requestModel = a.getString(REQUEST_MODEL);
      String responseModel = a.getString(RESPONSE_MODEL);
      boolean isLlm =
          op != null ? LLM_OPERATIONS.contains(op) : requestModel != null || responseModel != null;
      if (!isLlm) {
        continue;
      }
      llm++;
      if (s.statusCode() == Status.StatusCode.STATUS_CODE_ERROR || a.contains(ERROR_TYPE)) {
        errors++;
      }
      Double c = a.getDouble(COST);
      if (c != null && c >= 0) {
        anyCost = true;
        cost += c;
      }
      Long i = a.getLong(INPUT_TOKENS);
      if (i != null && i > 0) {
        in += i;
      }
      Long o = a.getLong(OUTPUT_TOKENS);
      if (o != null && o > 0) {
        out += o;
      }
      if (requestModel != null || responseModel != null) {
        if (seenModels == null) {
          seenModels = new HashSet<>(4);
        }
        if (requestModel != null) {
          seenModels.add(requestModel);
        }
        if (responseModel != null) {
          seenModels.add(responseModel);
        }
      }
    }
    this.minStartNanos = spans.isEmpty() ? 0 : minStart;
    this.maxEndNanos = spans.isEmpty() ? 0 : maxEnd;
    this.llmSpans = llm;
    this.llmErrors = errors;
    this.hasCost = anyCost;
    this.costUsd = cost;
    this.inputTokens = in;
    this.outputTokens = out;
    this.finishReasons = reasons == null ? Collections.emptySet() : reasons;
    this.models = seenModels == null ? Collections.emptySet() : seenModels;
  }

  static TraceData of(ByteString traceId, List<TraceBatch> batches) {
    List<SpanRecord> spans = new ArrayList<>();
    for (TraceBatch b : batches) {
      b.forEachSpan(spans::add);
    }
    return new TraceData(traceId, spans);
  }

  int spanCount() {
    return spans.size();
  }

  /** Latest end minus earliest start, in milliseconds (0 for an empty or odd trace). */
  long durationMillis() {
    long d = maxEndNanos - minStartNanos;
    return d > 0 ? d / 1_000_000 : 0;
  }

  long totalTokens() {
    return inputTokens + outputTokens;
  }
}
