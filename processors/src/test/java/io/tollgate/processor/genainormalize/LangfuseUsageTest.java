package io.tollgate.processor.genainormalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How one usage_details object reads; the span-level behaviour is in the mapping tests. */
class LangfuseUsageTest {

  private static Object count(String json, String target) {
    Converted c = LangfuseUsage.parse(json).count(target);
    if (c == Converted.ABSENT) {
      return "absent";
    }
    return c.ok() ? c.value().getIntValue() : "failed";
  }

  @Test
  void notAnObjectIsUnreadable() {
    assertThat(LangfuseUsage.parse("[1, 2]")).isNull();
    assertThat(LangfuseUsage.parse("35")).isNull();
    assertThat(LangfuseUsage.parse("")).isNull();
  }

  @Test
  void nullsSayNothingAndAbsentSidesAreNotWritten() {
    String json = "{\"input\": 12, \"output\": null}";
    assertThat(count(json, LangfuseUsage.INPUT)).isEqualTo(12L);
    assertThat(count(json, LangfuseUsage.OUTPUT)).isEqualTo("absent");
    assertThat(count(json, LangfuseUsage.CACHE_READ)).isEqualTo("absent");
    assertThat(LangfuseUsage.parse(json).complete()).isTrue();
  }

  @Test
  void countsSentAsTextOrIntegralDoublesAreRead() {
    String json = "{\"input\": \"12\", \"output\": 3.0}";
    assertThat(count(json, LangfuseUsage.INPUT)).isEqualTo(12L);
    assertThat(count(json, LangfuseUsage.OUTPUT)).isEqualTo(3L);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // one number per kind, total consistent: nothing lost
        "{\"input\": 7, \"cache_read_input_tokens\": 3, \"output\": 2, \"total\": 12} | true",
        // zero counts of kinds without a home carry nothing
        "{\"input\": 7, \"input_audio_tokens\": 0, \"foo\": 0} | true",
        // two spellings of one kind, both non-zero: summed, the split lost
        "{\"input_cached_tokens\": 2, \"cache_read_input_tokens\": 3, \"input\": 1} | false",
        "{\"input\": 1, \"input_tokens\": 2} | false",
        // a key on no known side
        "{\"input\": 1, \"promptTokenCount\": 1} | false",
        // two totals, or one that is not input + output
        "{\"input\": 1, \"total\": 1, \"total_tokens\": 1} | false",
        "{\"input\": 1, \"output\": 1, \"total\": 3} | false",
        // a negative or fractional count
        "{\"input\": -1} | false",
        "{\"output\": 1.5} | false",
        // OpenAI's object: a non-zero detail without a home (audio)
        "{\"prompt_tokens\": 9, \"completion_tokens\": 1, \"total_tokens\": 10,"
            + " \"prompt_tokens_details\": {\"audio_tokens\": 4}} | false",
      })
  void completeOnlyWhenEveryNumberCanBeRecovered(String json, boolean complete) {
    assertThat(LangfuseUsage.parse(json).complete()).isEqualTo(complete);
  }

  @Test
  void openAisObjectWithAnExtraKeyIsReadAsBuckets() {
    // Not OpenAI's exact shape (Langfuse's schema is strict): its keys are usage types, and a
    // nested object is no count.
    String json =
        "{\"prompt_tokens\": 9, \"completion_tokens\": 1, \"total_tokens\": 10, \"cost\": 0.1,"
            + " \"prompt_tokens_details\": {\"cached_tokens\": 4}}";
    LangfuseUsage u = LangfuseUsage.parse(json);
    assertThat(u.complete()).isFalse();
    assertThat(count(json, LangfuseUsage.INPUT)).isEqualTo("absent");
    assertThat(count(json, LangfuseUsage.CACHE_READ)).isEqualTo("absent");
  }
}
