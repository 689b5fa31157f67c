package io.tollgate.core.component;

/**
 * The batch can never be accepted (for example a processor configured with
 * {@code on_error: reject} that cannot make the data safe). Receivers answer HTTP 400 / gRPC
 * {@code INVALID_ARGUMENT} when {@link #isBadData()} and 500 / {@code INTERNAL} otherwise; senders
 * must not retry either.
 */
public final class PermanentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean badData;

  public PermanentException(String message, boolean badData) {
    super(message, null, false, false);
    this.badData = badData;
  }

  public boolean isBadData() {
    return badData;
  }
}
