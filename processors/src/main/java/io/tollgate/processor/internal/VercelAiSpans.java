package io.tollgate.processor.internal;

/**
 * How the Vercel AI SDK's spans are told apart, shared by the processors that must agree on it
 * ({@code genai_normalize} maps usage only from model calls, {@code tail_sampling} counts only
 * model calls in a trace's totals).
 */
public final class VercelAiSpans {

  /** The attribute that names the SDK operation, e.g. {@code ai.generateText.doGenerate}. */
  public static final String OPERATION_ID = "ai.operationId";

  private VercelAiSpans() {}

  /**
   * Whether {@code operationId} is a call of the model ({@code ai.*.doGenerate}, {@code
   * .doStream}, {@code .doEmbed}) rather than a wrapper ({@code ai.generateText}, {@code
   * ai.streamText}, ...) that repeats its steps' usage and output.
   */
  public static boolean isModelCall(String operationId) {
    return operationId.endsWith(".doGenerate")
        || operationId.endsWith(".doStream")
        || operationId.endsWith(".doEmbed");
  }
}
