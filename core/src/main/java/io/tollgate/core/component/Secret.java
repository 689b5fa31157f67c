package io.tollgate.core.component;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A config value that must never reach a log line or {@code print-config}: API keys, passwords,
 * header values. {@link #toString()} masks it; only {@link #reveal()} gives the value, and only
 * the code that sends it should call that.
 */
public final class Secret {

  /** What {@code print-config} and logs show instead of the value. */
  public static final String MASK = "[REDACTED]";

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  @JsonCreator
  public static Secret of(String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** Serialises masked, so that printing a config can never leak it. */
  @JsonValue
  public String masked() {
    return value.isEmpty() ? "" : MASK;
  }

  @Override
  public String toString() {
    return masked();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret && ((Secret) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
