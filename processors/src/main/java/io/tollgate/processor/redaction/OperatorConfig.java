package io.tollgate.processor.redaction;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.core.component.ConfigIssues;

/**
 * How one entity type is rewritten, with Presidio's operator names and parameters.
 *
 * @param type what to do with a finding
 * @param newValue {@code replace}: the replacement; empty means {@code <ENTITY_TYPE>}
 * @param maskingChar {@code mask}: the character written over the value
 * @param charsToMask {@code mask}: how many characters to mask; 0 masks all of them
 * @param fromEnd {@code mask}: mask the last characters instead of the first
 */
public record OperatorConfig(
    Type type, String newValue, String maskingChar, Integer charsToMask, Boolean fromEnd) {

  /** Presidio's anonymizer operators (without {@code encrypt}, which needs a reversible key). */
  public enum Type {
    /** The value becomes {@code new_value}, by default {@code <ENTITY_TYPE>}. */
    REPLACE,
    /** Characters of the value are overwritten with {@code masking_char}. */
    MASK,
    /** {@code <ENTITY_TYPE:hex>}: HMAC-SHA256 of the value under {@code hash_key}. */
    HASH,
    /** The value is removed. */
    REDACT,
    /** The value stays; it is still counted. */
    KEEP;

    @JsonValue
    public String configName() {
      return ConfigEnums.configName(this);
    }

    @JsonCreator
    public static Type parse(String text) {
      return ConfigEnums.parse(Type.class, "operator type", text);
    }
  }

  public OperatorConfig {
    if (type == null) {
      type = Type.REPLACE;
    }
    if (newValue == null) {
      newValue = "";
    }
    if (maskingChar == null) {
      maskingChar = "*";
    }
    if (charsToMask == null) {
      charsToMask = 0;
    }
    if (fromEnd == null) {
      fromEnd = false;
    }
  }

  public static OperatorConfig replace() {
    return new OperatorConfig(Type.REPLACE, "", "*", 0, false);
  }

  public static OperatorConfig of(Type type) {
    return new OperatorConfig(type, null, null, null, null);
  }

  public static OperatorConfig mask(String maskingChar, int charsToMask, boolean fromEnd) {
    return new OperatorConfig(Type.MASK, "", maskingChar, charsToMask, fromEnd);
  }

  void validate(ConfigIssues issues) {
    if (type == Type.MASK) {
      issues.require(
          maskingChar.codePointCount(0, maskingChar.length()) == 1,
          "masking_char",
          "must be exactly one character; got \"" + maskingChar + "\"");
      issues.require(
          charsToMask >= 0,
          "chars_to_mask",
          "must be 0 (mask everything) or a positive count; got " + charsToMask);
    }
  }
}
