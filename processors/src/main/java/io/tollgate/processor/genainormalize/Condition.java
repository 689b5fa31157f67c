package io.tollgate.processor.genainormalize;

import java.util.Locale;

/** Limits a mapping to spans of one kind ({@code when:} in the mapping table). */
enum Condition {
  ALWAYS,
  /**
   * A Vercel AI SDK call of the model ({@code ai.*.doGenerate}, {@code doStream}, {@code doEmbed}),
   * or a span that does not say ({@code ai.operationId} absent). The wrapping spans ({@code
   * ai.generateText}, ...) repeat their steps' usage and output.
   */
  VERCEL_MODEL_CALL,
  /** A Vercel AI SDK {@code ai.embed.doEmbed} or {@code ai.embedMany.doEmbed} span. */
  VERCEL_EMBEDDING_CALL,
  /** {@code openinference.span.kind = LLM}. */
  OI_LLM,
  /** {@code openinference.span.kind = TOOL}. */
  OI_TOOL,
  /** An OpenInference span of a completions (not chat) API: it has llm.prompts.N.prompt.text. */
  OI_COMPLETIONS_API,
  /** {@code traceloop.span.kind = tool}. */
  TRACELOOP_TOOL,
  /** {@code traceloop.span.kind = agent}. */
  TRACELOOP_AGENT;

  static Condition fromLabel(String label) {
    try {
      return valueOf(label.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown condition \"" + label + "\"", e);
    }
  }
}
