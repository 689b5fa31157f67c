package io.tollgate.processor.redaction.internal;

/**
 * A compiled operator: what replaces one finding.
 *
 * <p>This class is internal and is not intended for public use.
 */
public record Operator(
    Kind kind, String newValue, int maskingCodePoint, int charsToMask, boolean fromEnd) {

  /** The operators, as Presidio names them. */
  public enum Kind {
    REPLACE,
    MASK,
    HASH,
    REDACT,
    KEEP
  }

  public static Operator replace(String newValue) {
    return new Operator(Kind.REPLACE, newValue, '*', 0, false);
  }

  public static Operator of(Kind kind) {
    return new Operator(kind, "", '*', 0, false);
  }

  public static Operator mask(int maskingCodePoint, int charsToMask, boolean fromEnd) {
    return new Operator(Kind.MASK, "", maskingCodePoint, charsToMask, fromEnd);
  }
}
