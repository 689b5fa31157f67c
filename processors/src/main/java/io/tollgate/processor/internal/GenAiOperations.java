package io.tollgate.processor.internal;

import java.util.Set;

/**
 * The {@code gen_ai.operation.name} values of a call to a model, shared by the processors that must
 * agree on which spans are model calls ({@code genai_normalize} names them {@code {operation}
 * {model}}, {@code tail_sampling} counts them in a trace's totals).
 */
public final class GenAiOperations {

  /** Inference and embeddings: the operations of the GenAI conventions that call a model. */
  public static final Set<String> MODEL_CALLS =
      Set.of("chat", "text_completion", "generate_content", "embeddings");

  private GenAiOperations() {}
}
