package io.tollgate.processor.redaction.internal;

/**
 * Why a Presidio request failed, with a bounded outcome label for metrics. The message never holds
 * analysed text.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class PresidioException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Metric label values of {@code tollgate_redaction_presidio_requests{outcome}}. */
  public enum Outcome {
    SUCCESS("success"),
    HTTP_ERROR("http_error"),
    TIMEOUT("timeout"),
    UNREACHABLE("unreachable"),
    INVALID_RESPONSE("invalid_response"),
    CIRCUIT_OPEN("circuit_open"),
    QUEUE_FULL("queue_full");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Outcome outcome;

  public PresidioException(Outcome outcome, String message) {
    super(message, null, false, false);
    this.outcome = outcome;
  }

  public Outcome outcome() {
    return outcome;
  }
}
