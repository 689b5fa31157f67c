package io.tollgate.processor.genaicost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The bundled table loads, is dated, and each name variant finds exactly its own entry. */
class BundledPricesTest {

  private static final PriceFile TABLE = PriceFiles.bundled();

  @Test
  void loadsWithAnAsOfDateAndEveryReferenceModel() {
    assertThat(LocalDate.parse(TABLE.asOf())).isAfter(LocalDate.of(2025, 1, 1));
    assertThat(TABLE.prices())
        .extracting(PriceEntry::model)
        .contains(
            "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o1", "o1-mini",
            "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "claude-3-haiku",
            "claude-3-opus", "claude-3-5-sonnet", "claude-3-7-sonnet", "claude-sonnet-4",
            "claude-sonnet-4-5", "claude-3-5-haiku", "claude-opus-4", "claude-opus-4-1",
            "claude-opus-4-5", "claude-haiku-4-5", "gemini-1.5-pro", "gemini-1.5-flash",
            "gemini-2.0-flash", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite",
            "mistral-large", "command-r", "command-r-plus", "command-a");
  }

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("gpt-4o", "gpt-4o"),
        Arguments.of("gpt-4o-2024-08-06", "gpt-4o"),
        Arguments.of("GPT-4o-2024-11-20", "gpt-4o"),
        Arguments.of("openai/gpt-4o", "gpt-4o"),
        Arguments.of("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),
        Arguments.of("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        Arguments.of("gpt-4.1-2025-04-14", "gpt-4.1"),
        Arguments.of("gpt-4.1-mini", "gpt-4.1-mini"),
        Arguments.of("openai/gpt-4.1-nano", "gpt-4.1-nano"),
        Arguments.of("o1-2024-12-17", "o1"),
        Arguments.of("o1-mini", "o1-mini"),
        Arguments.of("o3-2025-04-16", "o3"),
        Arguments.of("o3-mini-2025-01-31", "o3-mini"),
        Arguments.of("o4-mini-2025-04-16", "o4-mini"),
        Arguments.of("gpt-5-2025-08-07", "gpt-5"),
        Arguments.of("gpt-5-mini", "gpt-5-mini"),
        Arguments.of("gpt-5-nano-2025-08-07", "gpt-5-nano"),
        Arguments.of("claude-3-haiku-20240307", "claude-3-haiku"),
        Arguments.of("anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku"),
        Arguments.of("claude-3-opus-latest", "claude-3-opus"),
        Arguments.of("claude-3-5-sonnet-20240620", "claude-3-5-sonnet"),
        Arguments.of("claude-3-5-sonnet-20241022", "claude-3-5-sonnet"),
        Arguments.of("claude-3.5-sonnet", "claude-3-5-sonnet"),
        Arguments.of("anthropic/claude-3-5-sonnet-latest", "claude-3-5-sonnet"),
        Arguments.of("anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet"),
        Arguments.of("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet"),
        Arguments.of("claude-3-5-sonnet@20240620", "claude-3-5-sonnet"),
        Arguments.of("claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet"),
        Arguments.of("claude-3-7-sonnet-20250219", "claude-3-7-sonnet"),
        Arguments.of("claude-3.7-sonnet", "claude-3-7-sonnet"),
        Arguments.of("eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "claude-3-7-sonnet"),
        Arguments.of("claude-3-5-haiku-20241022", "claude-3-5-haiku"),
        Arguments.of("claude-sonnet-4-20250514", "claude-sonnet-4"),
        Arguments.of("claude-4-sonnet-20250514", "claude-sonnet-4"),
        Arguments.of("apac.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4"),
        Arguments.of("claude-sonnet-4@20250514", "claude-sonnet-4"),
        Arguments.of("claude-sonnet-4-5", "claude-sonnet-4-5"),
        Arguments.of("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        Arguments.of("claude-sonnet-4.5", "claude-sonnet-4-5"),
        Arguments.of("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
        Arguments.of("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
        Arguments.of("anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
        Arguments.of("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
        Arguments.of(
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5 (bedrock regional)"),
        Arguments.of(
            "bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "claude-sonnet-4-5 (bedrock regional)"),
        Arguments.of(
            "jp.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5 (bedrock regional)"),
        Arguments.of("claude-sonnet-4-6", "claude-sonnet-4-6"),
        Arguments.of("anthropic.claude-sonnet-4-6", "claude-sonnet-4-6"),
        Arguments.of("us.anthropic.claude-sonnet-4-6", "claude-sonnet-4-6 (bedrock regional)"),
        Arguments.of("claude-opus-4-20250514", "claude-opus-4"),
        Arguments.of("claude-opus-4-1-20250805", "claude-opus-4-1"),
        Arguments.of("us.anthropic.claude-opus-4-1-20250805-v1:0", "claude-opus-4-1"),
        Arguments.of("claude-opus-4-5-20251101", "claude-opus-4-5"),
        Arguments.of("claude-opus-4-6", "claude-opus-4-6"),
        Arguments.of("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        Arguments.of(
            "au.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5 (bedrock regional)"),
        Arguments.of("gemini-1.5-pro-002", "gemini-1.5-pro"),
        Arguments.of("gemini-1.5-flash-latest", "gemini-1.5-flash"),
        Arguments.of("gemini-2.0-flash-001", "gemini-2.0-flash"),
        Arguments.of("gemini-2.5-pro", "gemini-2.5-pro"),
        Arguments.of("models/gemini-2.5-pro", "gemini-2.5-pro"),
        Arguments.of("google/gemini-2.5-pro", "gemini-2.5-pro"),
        Arguments.of("gemini/gemini-2.5-pro-preview-06-05", "gemini-2.5-pro"),
        Arguments.of("gemini-2.5-flash", "gemini-2.5-flash"),
        Arguments.of("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash"),
        Arguments.of("gemini-2.5-flash-lite", "gemini-2.5-flash-lite"),
        Arguments.of("mistral-large-latest", "mistral-large"),
        Arguments.of("mistral/mistral-large-2411", "mistral-large"),
        Arguments.of("mistral.mistral-large-2402-v1:0", "mistral-large-2402 (bedrock)"),
        Arguments.of("command-r-08-2024", "command-r"),
        Arguments.of("cohere/command-r-plus", "command-r-plus"),
        Arguments.of("command-a-03-2025", "command-a"));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void eachVariantMatchesExactlyItsEntry(String name, String entry) {
    assertThat(matching(name)).containsExactly(entry);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gpt-4o-audio-preview",
        "gpt-4",
        "gpt-5-pro",
        "o1-preview",
        "claude-2.1",
        "claude-sonnet-4-7",
        "gemini-2.0-flash-lite",
        "gemini-1.5-flash-8b",
        "gemini-2.5-flash-preview-tts",
        "gemini-2.5-pro-exp-03-25",
        "command-r-03-2024",
        "command-r7b-12-2024",
        "llama-3.1-70b",
        "xgpt-4o",
        "gpt-4o "
      })
  void otherModelsMatchNothing(String name) {
    assertThat(matching(name)).isEmpty();
  }

  private static List<String> matching(String name) {
    return TABLE.prices().stream()
        .filter(
            e ->
                e.model().equalsIgnoreCase(name)
                    || Pattern.compile(e.match(), Pattern.CASE_INSENSITIVE)
                        .matcher(name)
                        .matches())
        .map(PriceEntry::model)
        .toList();
  }
}
