package io.tollgate.processor.tailsampling;

/**
 * Attributes that {@code tail_sampling} writes on the root span of every trace it keeps (or, when
 * the root has not arrived, on the trace's earliest span), so that a backend can show why a trace
 * was kept and what it cost without summing its spans.
 */
public final class SamplingAttributes {

  private SamplingAttributes() {}

  /** Name of the first policy (in config order) that voted to keep the trace. */
  public static final String POLICY = "tollgate.sampling.policy";

  /**
   * What made the decision: {@code root}, {@code decision_wait}, {@code max_trace_bytes}, {@code
   * max_buffered_bytes} or {@code shutdown}. Anything but {@code root} means spans still on their
   * way when the trace was decided follow as late spans.
   */
  public static final String TRIGGER = "tollgate.sampling.trigger";

  /** Number of LLM spans in the trace (only written when there is at least one). */
  public static final String TRACE_LLM_SPANS = "tollgate.trace.llm_span_count";

  /** Total {@code gen_ai.usage.cost} of the trace's LLM spans, in USD (when any had a cost). */
  public static final String TRACE_COST = "tollgate.trace.usage.cost";

  /** Total {@code gen_ai.usage.input_tokens} of the trace's LLM spans. */
  public static final String TRACE_INPUT_TOKENS = "tollgate.trace.usage.input_tokens";

  /** Total {@code gen_ai.usage.output_tokens} of the trace's LLM spans. */
  public static final String TRACE_OUTPUT_TOKENS = "tollgate.trace.usage.output_tokens";
}
