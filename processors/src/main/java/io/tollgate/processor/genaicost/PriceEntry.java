package io.tollgate.processor.genaicost;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/**
 * One model's price, in USD per one million tokens: the format of the bundled table, of a
 * {@code price_file} and of the inline {@code prices} list.
 *
 * @param model the model's name; a span whose model equals it (ignoring case) matches exactly
 * @param provider when set, the entry applies only to spans whose {@code gen_ai.provider.name} is
 *     this value or absent (a negotiated Azure price must not reprice OpenAI calls)
 * @param match a regular expression (case-insensitive, whole name) for the name variants; when
 *     absent only the exact {@code model} name matches
 * @param input price of input tokens not read from or written to a cache
 * @param output price of output tokens, reasoning tokens included
 * @param cacheRead price of tokens read from the prompt cache; absent: the input price
 * @param cacheWrite price of tokens written to the prompt cache; absent: the input price
 * @param tiers long-context prices, each applying to the whole call when its prompt (cached tokens
 *     included) is above the tier's threshold
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PriceEntry(
    String model,
    String provider,
    String match,
    BigDecimal input,
    BigDecimal output,
    BigDecimal cacheRead,
    BigDecimal cacheWrite,
    List<Tier> tiers) {

  public PriceEntry {
    tiers = tiers == null ? List.of() : List.copyOf(tiers);
  }

  /** A plain entry without cache prices or tiers (tests, programmatic use). */
  public static PriceEntry of(String model, String input, String output) {
    return new PriceEntry(
        model, null, null, new BigDecimal(input), new BigDecimal(output), null, null, List.of());
  }

  /**
   * Prices that replace the entry's own when the prompt has more than {@code aboveInputTokens}
   * tokens. A price left out keeps the entry's base price.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tier(
      long aboveInputTokens,
      BigDecimal input,
      BigDecimal output,
      BigDecimal cacheRead,
      BigDecimal cacheWrite) {}
}
