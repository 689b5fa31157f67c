package io.tollgate.processor.tailsampling;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The policy types {@code tail_sampling} understands, with how their option block is used. */
enum PolicyType {
  ALWAYS_SAMPLE(Block.NONE),
  PROBABILISTIC(Block.REQUIRED),
  STATUS_CODE(Block.REQUIRED),
  LATENCY(Block.REQUIRED),
  NUMERIC_ATTRIBUTE(Block.REQUIRED),
  STRING_ATTRIBUTE(Block.REQUIRED),
  BOOLEAN_ATTRIBUTE(Block.REQUIRED),
  SPAN_COUNT(Block.REQUIRED),
  RATE_LIMITING(Block.REQUIRED),
  GENAI_ERROR(Block.NONE),
  GENAI_TRUNCATED(Block.OPTIONAL),
  GENAI_COST(Block.REQUIRED),
  GENAI_TOKENS(Block.REQUIRED),
  GENAI_MODEL(Block.REQUIRED),
  AND(Block.REQUIRED),
  DROP(Block.REQUIRED);

  /** Whether the block named after the type must, may or must not be present. */
  enum Block {
    NONE,
    OPTIONAL,
    REQUIRED
  }

  private final Block block;

  PolicyType(Block block) {
    this.block = block;
  }

  /** The name used in config, e.g. {@code string_attribute}; also the option block's key. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  Block block() {
    return block;
  }

  boolean isCombinator() {
    return this == AND || this == DROP;
  }

  /** The type with this config name, or null. */
  static PolicyType byId(String id) {
    for (PolicyType t : values()) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    return null;
  }

  static String allIds() {
    return Arrays.stream(values()).map(PolicyType::id).collect(Collectors.joining(", "));
  }
}
