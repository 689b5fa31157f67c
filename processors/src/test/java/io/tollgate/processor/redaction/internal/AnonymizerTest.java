package io.tollgate.processor.redaction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnonymizerTest {

  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final String TEXT = "mail jane@example.com, card 4111 1111 1111 1111.";
  private static final List<Finding> FOUND =
      List.of(new Finding(5, 21, "EMAIL_ADDRESS", 1.0), new Finding(28, 47, "CREDIT_CARD", 1.0));

  private static Anonymizer with(Map<String, Operator> ops, Operator fallback) {
    return new Anonymizer(ops, fallback, KEY, 8);
  }

  @Test
  void replaceWritesTheEntityTypeByDefaultAndCounts() {
    Map<String, Integer> counts = new HashMap<>();
    String out =
        with(Map.of(), Operator.replace(""))
            .apply(TEXT, FOUND, (e, n) -> counts.merge(e, n, Integer::sum));
    assertThat(out).isEqualTo("mail <EMAIL_ADDRESS>, card <CREDIT_CARD>.");
    assertThat(counts).containsEntry("EMAIL_ADDRESS", 1).containsEntry("CREDIT_CARD", 1);
  }

  @Test
  void replaceWithAFixedValue() {
    assertThat(
            with(Map.of("EMAIL_ADDRESS", Operator.replace("[email]")), Operator.replace(""))
                .apply(TEXT, FOUND, (e, n) -> {}))
        .isEqualTo("mail [email], card <CREDIT_CARD>.");
  }

  @Test
  void maskFromStartOrEndKeepsTheRest() {
    Anonymizer a =
        with(
            Map.of(
                "CREDIT_CARD", Operator.mask('*', 15, false),
                "EMAIL_ADDRESS", Operator.mask('#', 11, true)),
            Operator.replace(""));
    assertThat(a.apply(TEXT, FOUND, (e, n) -> {}))
        .isEqualTo("mail jane@###########, card ***************1111.");
  }

  @Test
  void maskAllWhenNoCountAndNeverSplitsSurrogatePairs() {
    String text = "id 😀😀x";
    Anonymizer a = with(Map.of(), Operator.mask('*', 0, false));
    assertThat(a.apply(text, List.of(new Finding(3, 8, "X", 1)), (e, n) -> {})).isEqualTo("id ***");
  }

  @Test
  void redactRemovesAndKeepLeavesButCounts() {
    Map<String, Integer> counts = new HashMap<>();
    Anonymizer a =
        with(
            Map.of(
                "EMAIL_ADDRESS",
                Operator.of(Operator.Kind.REDACT),
                "CREDIT_CARD",
                Operator.of(Operator.Kind.KEEP)),
            Operator.replace(""));
    assertThat(a.apply(TEXT, FOUND, (e, n) -> counts.merge(e, n, Integer::sum)))
        .isEqualTo("mail , card 4111 1111 1111 1111.");
    assertThat(counts).hasSize(2);
  }

  @Test
  void hashIsAStableKeyedPseudonym() {
    Anonymizer a = with(Map.of(), Operator.of(Operator.Kind.HASH));
    String once = a.apply(TEXT, FOUND, (e, n) -> {});
    String again = with(Map.of(), Operator.of(Operator.Kind.HASH)).apply(TEXT, FOUND, (e, n) -> {});
    assertThat(once).matches("mail <EMAIL_ADDRESS:[0-9a-f]{8}>, card <CREDIT_CARD:[0-9a-f]{8}>\\.");
    assertThat(again).isEqualTo(once);
    // printf jane@example.com | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
    // SHA2-256(stdin)= e54ecd8285defd5c7a03f9025dba809862224f8c4b3b8ec1b7844d775a27b734
    assertThat(a.hash("jane@example.com")).isEqualTo("e54ecd82");
    Anonymizer otherKey =
        new Anonymizer(
            Map.of(),
            Operator.of(Operator.Kind.HASH),
            "another-key-of-32-bytes-length!!".getBytes(StandardCharsets.UTF_8),
            8);
    assertThat(otherKey.hash("jane@example.com")).isNotEqualTo(a.hash("jane@example.com"));
    assertThat(
            new Anonymizer(Map.of(), Operator.of(Operator.Kind.HASH), KEY, 16)
                .hash("jane@example.com"))
        .startsWith(a.hash("jane@example.com"))
        .hasSize(16);
  }
}
